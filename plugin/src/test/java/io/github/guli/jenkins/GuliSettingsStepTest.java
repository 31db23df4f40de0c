package io.github.guli.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.build.ChangedServices;
import io.github.guli.engine.environment.Environment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The adapter: what it takes from the build's environment and the global configuration, and what it passes on. */
class GuliSettingsStepTest {
    static final String JOB = "shop/gulimall";
    final GuliSettingsStep step = new GuliSettingsStep();
    final Map<String, String> env = new HashMap<>(Map.of(
            "BUILD_NUMBER",
            "3",
            "PROJECT_VERSION",
            "v2.0.0",
            "DEPLOY",
            "true",
            "PATH",
            "/usr/bin",
            "SECRET_TOKEN",
            "s3cr3t"));

    GuliSettingsStepTest() {
        step.setCall(new LinkedHashMap<>(Map.of("service", "gulimall-order")));
        Map<String, Object> scm = new LinkedHashMap<>();
        scm.put("GIT_COMMIT", "feed");
        scm.put("GIT_BRANCH", "origin/main");
        scm.put("GIT_PREVIOUS_COMMIT", null);
        step.setScm(scm);
    }

    @Test
    @SuppressWarnings("unchecked")
    void takesTheParametersAndTheGlobalApprovalSettings() {
        Map<String, Object> s = GuliSettingsStep.resolve(step, JOB, env, "release-managers", 5, true);
        assertThat(s)
                .containsEntry("projectVersion", "v2.0.0")
                .containsEntry("snapshotTag", "SNAPSHOT-main-3")
                .containsEntry("commit", "feed")
                .containsEntry("kind", "maven");
        Map<String, Object> approval = (Map<String, Object>) ((Map<String, Object>) s.get("stages")).get("approval");
        assertThat(approval).containsEntry("timeoutMinutes", 5);
        assertThat((Map<String, Object>) approval.get("input")).containsEntry("submitter", "release-managers");
        // the build's job goes into the lock names: another job's deploys and releases of the service never meet
        Map<String, Object> stages = (Map<String, Object>) s.get("stages");
        assertThat(((Map<String, Object>) stages.get("deploy")).get("lock"))
                .isEqualTo(
                        Map.of("step", "lock", "args", Map.of("resource", "guli-deploy:shop/gulimall:gulimall-order")));
        assertThat(((Map<String, Object>) stages.get("release")).get("lock"))
                .isEqualTo(Map.of(
                        "step", "lock", "args", Map.of("resource", "guli-release:shop/gulimall:gulimall-order")));
        // only the variables the settings depend on reach the engine and its answer
        assertThat(s.toString()).doesNotContain("s3cr3t", "/usr/bin");
        assertThat(GuliSettingsStep.ENV)
                .containsExactly(
                        "PROJECT_NAME",
                        "PROJECT_VERSION",
                        "DEPLOY",
                        "BRANCH_NAME",
                        "BUILD_NUMBER",
                        "PROMOTE_TO",
                        "PROMOTE_DIGEST",
                        "ROLLBACK_TO",
                        "ENVIRONMENT");
    }

    @Test
    @SuppressWarnings("unchecked")
    void blankKindMeansMavenAndTheFileIsParsedHere() {
        step.setKind(" ");
        step.setFile("kind: x\n");
        assertThat(step.getKind()).isEqualTo("maven");
        assertThatThrownBy(() -> GuliSettingsStep.resolve(step, JOB, env, null, 60, true))
                .isInstanceOf(GuliException.class)
                .hasMessageStartingWith("unknown configuration key 'kind' in guli.yaml");
        step.setFile("deploy: false\n");
        assertThat(GuliSettingsStep.resolve(step, JOB, env, null, 60, false))
                .containsEntry("service", "gulimall-order");
        step.setFile(null);
        // without the Lockable Resources plugin, the plugin's own lock step
        Map<String, Object> deploy =
                (Map<String, Object>) ((Map<String, Object>) GuliSettingsStep.resolve(step, JOB, env, null, 60, false)
                                .get("stages"))
                        .get("deploy");
        assertThat((Map<String, Object>) deploy.get("lock")).containsEntry("step", "guliLock");
        step.setKind("frontend");
        step.setCall(new LinkedHashMap<>(Map.of("service", "gulimall-admin", "deploy", false)));
        assertThat(GuliSettingsStep.resolve(step, JOB, env, null, 60, false)).containsEntry("kind", "frontend");
        assertThat(step.getFile()).isNull();
    }

    @Test
    @SuppressWarnings("unchecked")
    void changedComparesTheWorkspacesCommitsOnTheAgentAndPassesThePicksOn(@TempDir Path ws) throws Exception {
        Files.writeString(
                ws.resolve("pom.xml"),
                "<project><groupId>g</groupId><artifactId>root</artifactId>"
                        + "<packaging>pom</packaging><modules><module>lib</module><module>svc</module></modules></project>");
        Files.createDirectories(ws.resolve("lib"));
        Files.createDirectories(ws.resolve("svc"));
        Files.writeString(
                ws.resolve("lib/pom.xml"),
                "<project><parent><groupId>g</groupId><artifactId>root</artifactId>"
                        + "</parent><artifactId>lib</artifactId></project>");
        Files.writeString(
                ws.resolve("svc/pom.xml"),
                "<project><parent><groupId>g</groupId><artifactId>root</artifactId>"
                        + "</parent><artifactId>svc</artifactId><dependencies><dependency><groupId>g</groupId>"
                        + "<artifactId>lib</artifactId></dependency></dependencies></project>");
        String first;
        try (Git git = Git.init().setDirectory(ws.toFile()).call()) {
            git.add().addFilepattern(".").call();
            first = git.commit()
                    .setMessage("one")
                    .setAuthor("a", "a@b")
                    .setCommitter("a", "a@b")
                    .call()
                    .name();
            Files.writeString(ws.resolve("lib/A.java"), "class A {}");
            git.add().addFilepattern(".").call();
            git.commit()
                    .setMessage("two")
                    .setAuthor("a", "a@b")
                    .setCommitter("a", "a@b")
                    .call();
        }

        ChangedServices.Result changes = new GuliSettingsStep.Changes(null, first, null).call(ws.toFile(), null);
        env.put("PROJECT_NAME", "(changed)");
        env.remove("PROJECT_VERSION");
        Map<String, Object> s =
                GuliSettingsStep.resolve(step, JOB, env, null, 60, true, null, null, null, changes, List.of(), false);

        assertThat(s).containsEntry("services", List.of("svc"));
        assertThat((List<String>) s.get("changes"))
                .contains("[guliPipeline] building svc: it is built from lib, " + "which changed: lib/A.java");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theFormOffersTheServicesChangedPicksFromEvenInANestedAggregator(@TempDir Path ws) throws Exception {
        String root = "<project><groupId>g</groupId><artifactId>gulimall</artifactId><packaging>pom</packaging>"
                + "<modules><module>gulimall-common</module><module>services</module></modules></project>";
        Files.writeString(ws.resolve("pom.xml"), root);
        Files.createDirectories(ws.resolve("gulimall-common"));
        Files.writeString(
                ws.resolve("gulimall-common/pom.xml"),
                "<project><parent><groupId>g</groupId><artifactId>gulimall</artifactId></parent>"
                        + "<artifactId>gulimall-common</artifactId></project>");
        Files.createDirectories(ws.resolve("services"));
        Files.writeString(
                ws.resolve("services/pom.xml"),
                "<project><parent><groupId>g</groupId><artifactId>gulimall</artifactId></parent>"
                        + "<artifactId>services</artifactId><packaging>pom</packaging><modules>"
                        + "<module>gulimall-product</module><module>gulimall-order</module></modules></project>");
        for (String service : List.of("gulimall-product", "gulimall-order")) {
            Files.createDirectories(ws.resolve("services/" + service));
            Files.writeString(
                    ws.resolve("services/" + service + "/pom.xml"),
                    "<project><parent><groupId>g</groupId><artifactId>services</artifactId></parent><artifactId>"
                            + service + "</artifactId><dependencies><dependency><groupId>g</groupId>"
                            + "<artifactId>gulimall-common</artifactId></dependency></dependencies></project>");
        }
        try (Git git = Git.init().setDirectory(ws.toFile()).call()) {
            git.add().addFilepattern(".").call();
            git.commit()
                    .setMessage("one")
                    .setAuthor("a", "a@b")
                    .setCommitter("a", "a@b")
                    .call();
        }
        step.setCall(new LinkedHashMap<>(Map.of("service", "gulimall-product")));
        env.put("PROJECT_NAME", "(changed)");
        env.remove("PROJECT_VERSION");

        // what Execution reads on the agent: the reactor's services, and the changes (the job's first build: all)
        List<String> services = new GuliSettingsStep.Services(null).call(ws.toFile(), null);
        ChangedServices.Result changes = new GuliSettingsStep.Changes(null, null, null).call(ws.toFile(), null);
        Map<String, Object> s = GuliSettingsStep.resolve(
                step, JOB, env, null, 60, true, null, services, null, changes, List.of(), false);

        List<String> choices = (List<String>) ((Map<String, Object>) s.get("parameters")).get("projectNames");
        assertThat(choices).containsExactly("(changed)", "gulimall-product", "gulimall-order");
        assertThat((List<String>) s.get("services")).containsExactlyElementsOf(choices.subList(1, choices.size()));
    }

    @Test
    void aHostilePomInTheWorkspaceFailsTheChoicesNamingIt(@TempDir Path ws) throws Exception {
        Path pom = Files.writeString(
                ws.resolve("pom.xml"),
                "<?xml version=\"1.0\"?><!DOCTYPE project [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                        + "<project><artifactId>&e;</artifactId></project>");
        assertThatThrownBy(() -> new GuliSettingsStep.Services(null).call(ws.toFile(), null))
                .isInstanceOf(GuliException.class)
                .hasMessageStartingWith(pom + " has a DOCTYPE");
        Files.writeString(pom, "<project><artifactId>x</artifactId><!--" + "x".repeat(600 * 1024) + "--></project>");
        assertThatThrownBy(() -> new GuliSettingsStep.Services(null).call(ws.toFile(), null))
                .hasMessageStartingWith(pom + " is larger than 512 KB");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theConfiguredEnvironmentsOfferPromotionAndTheirApprovalsReachThePlan() {
        GuliEnvironment test = new GuliEnvironment("test");
        test.setApprovalRequired(false);
        GuliEnvironment prod = new GuliEnvironment("prod");
        prod.setApprovers("release-managers, alice");
        prod.setKubeconfigCredentialsId("prod-kubeconfig");
        List<Environment> environments = List.of(test, prod).stream()
                .map(GuliPromoteStep::withoutSecrets)
                .toList();
        env.remove("PROJECT_VERSION");
        env.put("PROMOTE_TO", "prod");
        Map<String, Object> s =
                GuliSettingsStep.resolve(step, JOB, env, null, 60, true, null, null, null, null, environments, false);

        assertThat((Map<String, Object>) s.get("parameters")).containsEntry("promoteTo", List.of("", "prod"));
        Map<String, Object> promotion = (Map<String, Object>) s.get("promotion");
        assertThat(promotion).containsEntry("args", Map.of("service", "gulimall-order", "to", "prod"));
        Map<String, Object> approval = (Map<String, Object>) promotion.get("approval");
        assertThat((Map<String, Object>) approval.get("input")).containsEntry("submitter", "release-managers,alice");
        assertThat(s.toString()).doesNotContain("prod-kubeconfig");
    }

    @Test
    void onTheAgentTheCommitsSinceTheLastReleaseOfTheServicePickedAreRead(@TempDir Path ws) throws Exception {
        try (Git git = Git.init().setDirectory(ws.toFile()).call()) {
            Files.writeString(ws.resolve("a.txt"), "1");
            git.add().addFilepattern(".").call();
            git.commit()
                    .setMessage("one")
                    .setAuthor("Ann", "a@b")
                    .setCommitter("Ann", "a@b")
                    .call();
            git.tag()
                    .setName("gulimall-order-v1.0.0")
                    .setAnnotated(true)
                    .setMessage("r")
                    .call();
            Files.writeString(ws.resolve("a.txt"), "2");
            git.add().addFilepattern(".").call();
            git.commit()
                    .setMessage("two")
                    .setAuthor("Bo", "b@b")
                    .setCommitter("Bo", "b@b")
                    .call();
        }

        io.github.guli.engine.pipeline.SinceRelease since =
                new GuliSettingsStep.Since(null, "gulimall-order", "v2.0.0").call(ws.toFile(), null);

        assertThat(since.since()).isEqualTo("v1.0.0");
        assertThat(since.commits().commits()).extracting(c -> c.subject()).containsExactly("two");
        // before checkout (no workspace) and for (changed) nothing is read
        assertThat(GuliSettingsStep.sinceRelease(step, env, null, null)).isNull();
        env.put("PROJECT_NAME", "(changed)");
        assertThat(GuliSettingsStep.sinceRelease(step, env, new hudson.FilePath(ws.toFile()), null))
                .isNull();
    }
}
