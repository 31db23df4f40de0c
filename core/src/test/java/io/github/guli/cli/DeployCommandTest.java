package io.github.guli.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.guli.testsupport.CourseEnv;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code guli deploy --dry-run} on the course's manifest and on the corrected copy: no cluster needed. */
class DeployCommandTest {
    static final String FIXTURES =
            Path.of("../test/fixtures/k8s").toAbsolutePath().normalize().toString();
    static final Map<String, String> COURSE_ENV = CourseEnv.with("PROJECT_NAME", "gulimall-auth-server");

    @Test
    void theCourseManifestFailsNamingEachMistake() {
        GuliRun r = GuliRun.inProcess(COURSE_ENV, "deploy", "--dry-run", "--dir", FIXTURES + "/course");
        assertThat(r.exit()).isEqualTo(1);
        String f = "[guli deploy] gulimall-auth-server/deploy/deploy.yaml:";
        assertThat(r.out())
                .contains(f + "2: error: Deployment gulimall-auth-server has apiVersion v1, which does not "
                        + "serve Deployment: use apiVersion: apps/v1")
                .contains(
                        f + "19: error: Deployment gulimall-auth-server: spec.template.spec.containers must be a list, "
                                + "not a map")
                .contains(f + "34: error: Deployment gulimall-auth-server has restartPolicy inside "
                        + "spec.template.spec.containers[0]")
                .contains(f + "37: error: Deployment gulimall-auth-server: 'strategy' is not a field of spec.template "
                        + "(PodTemplateSpec); it belongs under spec")
                .contains(
                        f + "42: error: Deployment gulimall-auth-server: 'revisionHistoryLimit' is not a field of the "
                                + "top level of Deployment; it belongs under spec")
                .contains(f
                        + "43: error: Deployment gulimall-auth-server: unknown field 'progressDeadkuneSeconds' in the "
                        + "top level of Deployment; did you mean 'progressDeadlineSeconds' (a field of spec)?")
                .contains(f + "59: error: Service gulimall-auth-server has nodePort 20001, outside 30000-32767")
                .contains(
                        "[guli deploy] checked 2 objects in 1 file (gulimall-auth-server/deploy/deploy.yaml): 7 errors, "
                                + "0 warnings")
                .contains("# ---- gulimall-auth-server/deploy/deploy.yaml (rendered) ----\nkind: Deployment\n")
                .contains(
                        "image: registry.cn-hangzhou.aliyuncs.com/atguigumall/gulimall-auth-server:SNAPSHOT-master-7");
        assertThat(r.err())
                .isEqualTo("guli deploy: error: the manifests have 7 errors (listed above): nothing was "
                        + "applied; fix them and run again\n");
    }

    @Test
    void theCorrectedManifestPassesAndIsPrintedRendered() {
        GuliRun r = GuliRun.inProcess(
                COURSE_ENV,
                "deploy",
                "--dry-run",
                "--dir",
                FIXTURES + "/corrected",
                "--configs",
                "gulimall-auth-server/deploy/**");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("[guli deploy] checked 2 objects in 1 file (gulimall-auth-server/deploy/deploy.yaml): "
                        + "0 errors, 0 warnings")
                .contains("        - name: gulimall-auth-server\n          image: registry.cn-hangzhou.aliyuncs.com/"
                        + "atguigumall/gulimall-auth-server:SNAPSHOT-master-7\n")
                .contains("      nodePort: 31001\n")
                .endsWith("[guli deploy] dry run: 2 objects valid, nothing applied\n");
    }

    @Test
    void anUndefinedVariableFailsNamingFileLineAndName() {
        Map<String, String> env = new HashMap<>(COURSE_ENV);
        env.remove("TAG_NAME");
        GuliRun r = GuliRun.inProcess(env, "deploy", "--dry-run", "--dir", FIXTURES + "/corrected");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out())
                .contains("[guli deploy] gulimall-auth-server/deploy/deploy.yaml:20: error: $TAG_NAME is not "
                        + "defined: define TAG_NAME");
    }

    @Test
    void withoutConfigsOrAModuleItSaysWhatToGive() {
        GuliRun r = GuliRun.inProcess(Map.of(), "deploy", "--dry-run");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("give --configs (e.g. 'gulimall-auth-server/deploy/**') or --project-name");
        GuliRun none = GuliRun.inProcess(Map.of(), "deploy", "--dry-run", "--configs", "nowhere/**", "--dir", FIXTURES);
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("configs 'nowhere/**' matches no .yaml, .yml or .json file in " + FIXTURES);
    }

    @Test
    void secretDataIsNotPrinted() throws Exception {
        Path dir = java.nio.file.Files.createTempDirectory("guli-secret");
        java.nio.file.Files.createDirectories(dir.resolve("app/deploy"));
        java.nio.file.Files.writeString(dir.resolve("app/deploy/s.yaml"), """
                apiVersion: v1
                kind: Secret
                metadata: {name: db}
                stringData:
                  password: $DB_PASSWORD
                  user: root
                """);
        GuliRun r = GuliRun.inProcess(
                Map.of("DB_PASSWORD", "s3cr3t-value", "PROJECT_NAME", "app"),
                "deploy",
                "--dry-run",
                "--dir",
                dir.toString());
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).doesNotContain("s3cr3t-value").contains("stringData: {}  # 2 keys, values not shown");
    }
}
