package io.github.guli.engine.pipeline;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every key guliPipeline accepts, in the Jenkinsfile's map or in the service repository's guli.yaml. The table of
 * keys in docs/configuration.md is this enum; anything else is an error that lists these.
 */
public enum ConfigKey {
    SERVICE(
            "service",
            Type.STRING,
            "(required)",
            "the service this repository builds: module, image and deployment name; PROJECT_NAME's default (Jenkinsfile only)"),
    SERVICES("services", Type.LIST, "the modules of the root pom.xml, else [service]", "the PROJECT_NAME choices"),
    AGENT(
            "agent",
            Type.STRING,
            "any agent",
            "label of the agent to build on (Jenkinsfile only: guli.yaml is read on that agent)"),
    CONTAINER(
            "container",
            Type.STRING,
            "global `container`, else none",
            "the container of the agent's pod every stage runs in, as in `container('maven') { ... }` (Jenkinsfile or global configuration only; see docs/kubernetes-agents.md)"),
    REGISTRY("registry", Type.STRING, "global `registry`", "passed to guliImage and guliRelease"),
    NAMESPACE("namespace", Type.STRING, "global `namespace`", "passed to guliImage and guliRelease"),
    REGISTRY_CREDENTIALS_ID(
            "registryCredentialsId",
            Type.STRING,
            "global `registryCredentialsId`",
            "passed to guliImage and guliRelease"),
    GIT_CREDENTIALS_ID("gitCredentialsId", Type.STRING, "global `gitCredentialsId`", "passed to guliRelease"),
    KUBECONFIG_ID("kubeconfigId", Type.STRING, "guliDeployK8s' default", "passed to guliDeployK8s"),
    BUILD("build", Type.STAGE, "true", "the build stage: false skips it, a map adds arguments to guliBuild"),
    QUALITY_GATE(
            "qualityGate",
            Type.STAGE,
            "true (front end: false)",
            "the quality gate stage: false skips it, a map adds arguments to guliQualityGate"),
    IMAGE("image", Type.STAGE, "true", "the image stage: false skips it, a map adds arguments to guliImage"),
    DEPLOY(
            "deploy",
            Type.STAGE,
            "true",
            "approval and deploy: false skips both (and the DEPLOY parameter's default), a map adds arguments to guliDeployK8s"),
    RELEASE(
            "release",
            Type.STAGE,
            "true",
            "the release stage of a release version: false skips it, a map adds arguments to guliRelease"),
    APPROVERS(
            "approvers",
            Type.STRING,
            "global `approvers`, else anyone who may build the job",
            "who may approve, comma-separated user IDs or group names (the input step's submitter)"),
    APPROVAL_TIMEOUT_MINUTES(
            "approvalTimeoutMinutes",
            Type.INTEGER,
            "global `approvalTimeoutMinutes`, else 60",
            "how long an approval waits before the build ends ABORTED"),
    CONCURRENCY(
            "concurrency",
            Type.STRING,
            "global `concurrency`, else lock",
            "how deploys and releases of one service are kept apart: `lock` (they queue) or `newest` (a newer build drops the older ones waiting); Jenkinsfile or global configuration only (see docs/steps.md)"),
    FRONTEND_BUILD(
            "frontendBuild",
            Type.STRING,
            "npm ci && npm run build",
            "the front end's build command (guliFrontendPipeline only)");

    /** What a key's value may be. */
    public enum Type {
        STRING("a string"),
        LIST("a list of strings"),
        INTEGER("a positive whole number"),
        STAGE("true, false, or a map of step arguments");

        final String description;

        Type(String description) {
            this.description = description;
        }
    }

    public final String key;
    public final Type type;
    public final String defaultText;
    public final String description;

    ConfigKey(String key, Type type, String defaultText, String description) {
        this.key = key;
        this.type = type;
        this.defaultText = defaultText;
        this.description = description;
    }

    public static Optional<ConfigKey> of(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(k -> k.key).sorted().toList();
    }
}
