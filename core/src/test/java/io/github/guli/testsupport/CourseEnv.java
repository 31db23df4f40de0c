package io.github.guli.testsupport;

import java.util.HashMap;
import java.util.Map;

/** The variables the course's Jenkinsfile sets for its deploy manifests (test/fixtures/k8s). */
public final class CourseEnv {
    private CourseEnv() {}

    public static final Map<String, String> OF_THE_JENKINSFILE = Map.of(
            "REGISTRY", "registry.cn-hangzhou.aliyuncs.com",
            "DOCKERHUB_NAMESPACE", "atguigumall",
            "APP_NAME", "gulimall-auth-server",
            "TAG_NAME", "SNAPSHOT-master-7");

    /** Those variables and the given one. */
    public static Map<String, String> with(String name, String value) {
        Map<String, String> env = new HashMap<>(OF_THE_JENKINSFILE);
        env.put(name, value);
        return Map.copyOf(env);
    }
}
