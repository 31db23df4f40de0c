package io.github.guli.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.guli.engine.build.ChangedServices;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole settings map, entry order included, for a few configurations that between them reach every stage's
 * branches: compared with the output committed under {@code settings/}, so that a change of the map shows.
 */
class PipelineSettingsGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String POM = "<project><modules><module>gulimall-gateway</module>"
            + "<module>gulimall-cart</module><module>gulimall-order</module></modules></project>";
    private static final Map<String, String> SCM = Map.of(
            "GIT_COMMIT", "0123abc", "GIT_BRANCH", "origin/master", "GIT_URL", "http://git.example/gulimall.git");

    @Test
    void snapshotBuildWithDefaults() throws IOException {
        assertGolden(
                "snapshot",
                new SettingsRequest()
                        .jobFullName("shop/gulimall")
                        .call(Map.of("service", "gulimall-gateway"))
                        .scm(SCM)
                        .env(Map.of("BUILD_NUMBER", "7"))
                        .global(Map.of())
                        .kind(PipelineSettings.MAVEN)
                        .lockAvailable(true));
    }

    @Test
    void releaseWithEveryLayerConfigured() throws IOException {
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("service", "gulimall-gateway");
        call.put("registry", "127.0.0.1:5000");
        call.put("namespace", "atguigumall");
        call.put("registryCredentialsId", "registry");
        call.put("gitCredentialsId", "git");
        call.put("kubeconfigId", "kube");
        call.put("agent", "maven");
        call.put("container", "build-tools");
        call.put("image", Map.of("tags", List.of("extra")));
        call.put("release", Map.of("tagGit", false));
        assertGolden(
                "release",
                new SettingsRequest()
                        .jobFullName("shop/gulimall")
                        .call(call)
                        .file("build: {goals: verify, skipTests: true}\ndeploy: {dryRun: true}\n")
                        .pom(POM)
                        .scm(SCM)
                        .env(Map.of("BUILD_NUMBER", "12", "PROJECT_NAME", "gulimall-cart", "PROJECT_VERSION", "v1.2.0"))
                        .global(Map.of("approvers", "ops", "approvalTimeoutMinutes", "15"))
                        .kind(PipelineSettings.MAVEN)
                        .lockAvailable(true));
    }

    @Test
    void changedServicesNewestWithoutTheLockStepAndAServicesList() throws IOException {
        assertGolden(
                "changed",
                new SettingsRequest()
                        .jobFullName("shop/gulimall")
                        .call(Map.of("service", "gulimall-gateway", "concurrency", "newest"))
                        .file(
                                "services: [gulimall-gateway, gulimall-cart, gulimall-order]\nqualityGate: {timeout: 5}\n")
                        .pom(POM)
                        .scm(SCM)
                        .env(Map.of(
                                "BUILD_NUMBER", "3", "PROJECT_NAME", PipelineSettings.CHANGED, "BRANCH_NAME", "dev"))
                        .global(Map.of())
                        .kind(PipelineSettings.MAVEN)
                        .lockAvailable(false)
                        .changes(new ChangedServices.Result(
                                "abc",
                                List.of(
                                        new ChangedServices.Pick("gulimall-order", "gulimall-order changed: x"),
                                        new ChangedServices.Pick("gulimall-ware", "gulimall-ware changed: y"),
                                        new ChangedServices.Pick("gulimall-cart", "gulimall-cart changed: z")),
                                "3 file(s) changed")));
    }

    @Test
    void changedButNothingToBuild() throws IOException {
        assertGolden(
                "changed-nothing",
                new SettingsRequest()
                        .jobFullName("shop/gulimall")
                        .call(Map.of("service", "gulimall-gateway"))
                        .pom(POM)
                        .scm(SCM)
                        .env(Map.of("BUILD_NUMBER", "4", "PROJECT_NAME", PipelineSettings.CHANGED))
                        .global(Map.of())
                        .kind(PipelineSettings.MAVEN)
                        .lockAvailable(true)
                        .changes(new ChangedServices.Result("abc", List.of(), "nothing changed")));
    }

    @Test
    void frontEndWithTheDeployParameterUnticked() throws IOException {
        assertGolden(
                "frontend",
                new SettingsRequest()
                        .jobFullName("shop/gulimall")
                        .call(Map.of("service", "gulimall-admin-vue"))
                        .file("frontendBuild: npm ci && npm run build:prod\n")
                        .scm(SCM)
                        .env(Map.of("BUILD_NUMBER", "9", "DEPLOY", "false"))
                        .global(Map.of("container", "node"))
                        .kind(PipelineSettings.FRONTEND)
                        .lockAvailable(true));
    }

    @Test
    void beforeCheckoutWithStagesSwitchedOff() throws IOException {
        assertGolden(
                "before-checkout",
                new SettingsRequest()
                        .jobFullName("shop/gulimall")
                        .call(Map.of("service", "gulimall-gateway", "build", false, "deploy", false, "release", false))
                        .env(Map.of("BUILD_NUMBER", "1", "PROJECT_VERSION", "v2.0.0-rc.1"))
                        .global(Map.of())
                        .kind(PipelineSettings.MAVEN)
                        .lockAvailable(false));
    }

    @Test
    void stagesSwitchedOffInGuliYaml() throws IOException {
        assertGolden(
                "switched-off",
                new SettingsRequest()
                        .jobFullName("shop/gulimall")
                        .call(Map.of("service", "gulimall-gateway"))
                        .file("qualityGate: false\nimage: false\n")
                        .scm(SCM)
                        .env(Map.of("BUILD_NUMBER", "2"))
                        .global(Map.of())
                        .kind(PipelineSettings.MAVEN)
                        .lockAvailable(true));
    }

    private static void assertGolden(String name, SettingsRequest request) throws IOException {
        String actual = JSON.writeValueAsString(PipelineSettings.resolve(request)) + "\n";
        String file = "settings/" + name + ".json";
        // the actual output lands in target/, to compare with or (after a deliberate change) to commit
        Path written = Path.of("target", "pipeline-settings", name + ".json");
        Files.createDirectories(written.getParent());
        Files.writeString(written, actual);
        try (InputStream in = PipelineSettingsGoldenTest.class.getResourceAsStream(file)) {
            assertThat(in).as("%s (the output is in %s)", file, written).isNotNull();
            assertThat(actual)
                    .as("the settings differ from %s (the output is in %s)", file, written)
                    .isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
