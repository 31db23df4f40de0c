package io.github.guli.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.build.ChangedServices;
import io.github.guli.engine.environment.Environment;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineSettingsTest {
    static final Map<String, String> SCM = Map.of("GIT_COMMIT", "0123abc", "GIT_BRANCH", "origin/master");

    Map<String, Object> call = new LinkedHashMap<>(Map.of("service", "gulimall-gateway"));
    String file;
    String pom;
    Map<String, String> scm = SCM;
    Map<String, String> env = new HashMap<>(Map.of("BUILD_NUMBER", "7"));
    Map<String, String> global = new HashMap<>();
    String kind = PipelineSettings.MAVEN;
    boolean lock = true;
    String job = "shop/gulimall";
    List<Environment> environments;

    /** The request of this test's fields. */
    SettingsRequest request() {
        return new SettingsRequest()
                .call(call)
                .file(file)
                .pom(pom)
                .scm(scm)
                .env(env)
                .global(global)
                .kind(kind)
                .lockAvailable(lock)
                .jobFullName(job)
                .environments(environments);
    }

    Map<String, Object> resolve() {
        return PipelineSettings.resolve(request());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> stage(Map<String, Object> s, String name) {
        return (Map<String, Object>) ((Map<String, Object>) s.get("stages")).get(name);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> args(Map<String, Object> s, String name) {
        return (Map<String, Object>) stage(s, name).get("args");
    }

    @Test
    void snapshotBuildRunsEverythingButTheRelease() {
        Map<String, Object> s = resolve();
        assertThat(s)
                .containsEntry("projectName", "gulimall-gateway")
                .containsEntry("projectVersion", "")
                .containsEntry("release", false)
                .containsEntry("snapshotTag", "SNAPSHOT-master-7")
                .containsEntry("commit", "0123abc")
                .containsEntry("agent", "");
        assertThat((Map<String, Object>) s.get("stages"))
                .containsOnlyKeys("build", "qualityGate", "image", "approval", "deploy", "releaseApproval", "release");
        assertThat(stage(s, "build")).containsEntry("run", true).containsEntry("step", "guliBuild");
        assertThat(args(s, "build")).isEqualTo(Map.of("module", "gulimall-gateway"));
        assertThat(args(s, "image")).isEqualTo(Map.of("projectName", "gulimall-gateway"));
        assertThat(args(s, "deploy"))
                .isEqualTo(Map.of("projectName", "gulimall-gateway", "configs", "gulimall-gateway/deploy/**"));
        assertThat(stage(s, "deploy"))
                .containsEntry("lock", lockStep("guli-deploy:shop/gulimall:gulimall-gateway"))
                .doesNotContainKey("milestone");
        assertThat(stage(s, "release"))
                .containsEntry("lock", lockStep("guli-release:shop/gulimall:gulimall-gateway"))
                .doesNotContainKey("milestone");
        assertThat(stage(s, "release"))
                .containsEntry("run", false)
                .containsEntry(
                        "skipped",
                        "[guliPipeline] skipped: PROJECT_VERSION is empty: a snapshot build (a release version such as v1.2.0 releases)");
        assertThat(stage(s, "releaseApproval")).containsEntry("run", false);
        // BRANCH_NAME comes from the checkout in a job that is not multibranch, so the steps' tags agree
        assertThat((List<String>) s.get("env"))
                .containsExactly("PROJECT_NAME=gulimall-gateway", "PROJECT_VERSION=", "BRANCH_NAME=master");
    }

    @Test
    void releaseVersionAddsTheReleaseWithItsApproval() {
        env.put("PROJECT_VERSION", "v1.2.0");
        Map<String, Object> s = resolve();
        assertThat(s)
                .containsEntry("release", true)
                .containsEntry("releaseTag", "v1.2.0")
                .containsEntry("gitTag", "gulimall-gateway-v1.2.0");
        assertThat(args(s, "release"))
                .isEqualTo(Map.of(
                        "projectName",
                        "gulimall-gateway",
                        "projectVersion",
                        "v1.2.0",
                        "sourceTag",
                        "SNAPSHOT-master-7",
                        "commit",
                        "0123abc"));
        assertThat(stage(s, "releaseApproval"))
                .containsEntry("run", true)
                .containsEntry(
                        "input",
                        Map.of(
                                "id",
                                "release-gulimall-gateway",
                                "ok",
                                StageSettings.OK,
                                "message",
                                "release gulimall-gateway v1.2.0 (image tag v1.2.0, git tag gulimall-gateway-v1.2.0)?",
                                "submitterParameter",
                                "approver"));
    }

    @Test
    void approvalHasAnIdPerServiceATimeoutAndTheApprovers() {
        global.put("approvers", "ops");
        global.put("approvalTimeoutMinutes", "15");
        env.put("PROJECT_NAME", "gulimall-cart");
        Map<String, Object> s = resolve();
        assertThat(stage(s, "approval"))
                .containsEntry("run", true)
                .containsEntry("timeoutMinutes", 15)
                .containsEntry("what", "deploy gulimall-cart to the cluster")
                .containsEntry(
                        "input",
                        Map.of(
                                "id",
                                "deploy-gulimall-cart",
                                "message",
                                "deploy gulimall-cart to the cluster?",
                                "ok",
                                StageSettings.OK,
                                "submitter",
                                "ops",
                                "submitterParameter",
                                "approver"));
        assertThat(stage(s, "deploy")).containsEntry("lock", lockStep("guli-deploy:shop/gulimall:gulimall-cart"));
    }

    @Test
    void theJenkinsfileOverridesTheGlobalConfigurationAndGuliYamlOverridesItsOwnKeys() {
        global.put("approvers", "global-approvers");
        global.put("approvalTimeoutMinutes", "15");
        call.put("approvers", "jenkinsfile-approvers");
        call.put("approvalTimeoutMinutes", 20);
        call.put("namespace", "from-jenkinsfile");
        call.put("registry", "127.0.0.1:5000");
        call.put("image", Map.of("tags", List.of("extra"), "push", true));
        file = "image:\n  push: false\n";
        Map<String, Object> s = resolve();
        assertThat(stage(s, "approval")).containsEntry("timeoutMinutes", 20);
        assertThat((Map<String, Object>) stage(s, "approval").get("input"))
                .containsEntry("submitter", "jenkinsfile-approvers");
        assertThat(args(s, "image"))
                .isEqualTo(Map.of(
                        "projectName",
                        "gulimall-gateway",
                        "registry",
                        "127.0.0.1:5000",
                        "namespace",
                        "from-jenkinsfile",
                        "tags",
                        List.of("extra"),
                        "push",
                        false));
    }

    @Test
    void theImageStageForcesTheDockerEngineBuildWithDaemonTrue() {
        call.put("image", Map.of("daemon", true));
        assertThat(args(resolve(), "image")).isEqualTo(Map.of("projectName", "gulimall-gateway", "daemon", true));
        call.remove("image");
        file = "image:\n  daemon: true\n";
        assertThat(args(resolve(), "image")).containsEntry("daemon", true);
    }

    @Test
    void twoJobsDeployingAndReleasingOneServiceTakeDifferentLocks() {
        env.put("PROJECT_VERSION", "v1.2.0");
        job = "team-a/gulimall";
        Map<String, Object> a = resolve();
        job = "team-b/gulimall";
        Map<String, Object> b = resolve();
        assertThat(stage(a, "deploy").get("lock")).isEqualTo(lockStep("guli-deploy:team-a/gulimall:gulimall-gateway"));
        assertThat(stage(b, "deploy").get("lock")).isEqualTo(lockStep("guli-deploy:team-b/gulimall:gulimall-gateway"));
        assertThat(stage(a, "release").get("lock"))
                .isEqualTo(lockStep("guli-release:team-a/gulimall:gulimall-gateway"));
        assertThat(stage(b, "release").get("lock"))
                .isEqualTo(lockStep("guli-release:team-b/gulimall:gulimall-gateway"));

        for (String notAJob : new String[] {null, " ", "a:b"}) {
            job = notAJob;
            assertThatThrownBy(this::resolve)
                    .isInstanceOf(GuliException.class)
                    .hasMessageContaining("the lock names carry it");
        }
    }

    @Test
    void guliYamlCannotSetTheServiceAndSaysWhereItIsSet() {
        // the service names the image pushed and the locks taken: a branch must not pick another job's
        file = "service: gulimall-order\n";
        assertThatThrownBy(this::resolve)
                .isInstanceOf(GuliException.class)
                .hasMessageStartingWith("'service' cannot be set in guli.yaml, a file of the branch being built")
                .hasMessageContaining("guliPipeline(service: '...')")
                .hasMessageContaining("the build form's PROJECT_NAME");
    }

    @Test
    void guliYamlCannotSetATrustDecisionAndSaysWhereItMayBeSet() {
        // a pull request's guli.yaml must not choose who approves, where credentials go, or which cluster
        Map<String, String> refused = Map.of(
                "approvers: pr-author", "approvers",
                "approvalTimeoutMinutes: 99999", "approvalTimeoutMinutes",
                "registry: evil.example", "registry",
                "namespace: evil", "namespace",
                "registryCredentialsId: other-team-registry", "registryCredentialsId",
                "gitCredentialsId: other-team-git", "gitCredentialsId",
                "kubeconfigId: prod-kubeconfig", "kubeconfigId");
        refused.forEach((yaml, key) -> {
            file = yaml + "\n";
            assertThatThrownBy(this::resolve)
                    .isInstanceOf(GuliException.class)
                    .hasMessage("'" + key + "' cannot be "
                            + "set in guli.yaml: it is a file of the branch being built, and '" + key
                            + "' is a trust decision "
                            + "of the admins (a pull request must not choose it). Set it in the Jenkinsfile, e.g. "
                            + "guliPipeline(service: '...', " + key
                            + ": ...), or in Manage Jenkins > System > guli-pipeline");
        });
        // nor the environments, their clusters, approvers or Nacos: Manage Jenkins > System only
        file = "environments: [{name: prod, kubeconfigCredentialsId: pr-cluster, approvers: pr-author}]\n";
        assertThatThrownBy(this::resolve)
                .hasMessageStartingWith("unknown configuration key 'environments' in guli.yaml");
        file = "concurrency: milestone\n";
        assertThatThrownBy(this::resolve)
                .hasMessageStartingWith("'concurrency' cannot be set in guli.yaml")
                .hasMessageEndingWith(
                        "guliPipeline(service: '...', concurrency: ...), or in Manage Jenkins > System > guli-pipeline");
        // nor through a stage map's step arguments
        for (String yaml : List.of(
                "image: {registry: evil.example}",
                "image: {registryCredentialsId: x}",
                "image: {namespace: evil}",
                "qualityGate: {sonarUrl: 'http://evil.example'}",
                "qualityGate: {sonarCredentialsId: x}",
                "build: {sonarUrl: 'http://evil.example'}",
                "build: {sonarCredentialsId: x}",
                "build: {sonarProjectKey: another-teams-project}",
                "build: {settingsCredentialsId: x}",
                "build: {url: 'http://evil.example/r.git'}",
                "build: {credentialsId: x}",
                "deploy: {kubeconfigId: prod}",
                "deploy: {namespace: kube-system}",
                "deploy: {context: prod}",
                "deploy: {projectName: gulimall-order}",
                "release: {gitRemote: 'http://evil.example/r.git'}",
                "release: {gitCredentialsId: x}",
                "release: {registry: evil.example}",
                "release: {commit: abc}")) {
            file = yaml + "\n";
            String stage = yaml.substring(0, yaml.indexOf(':'));
            String arg = yaml.substring(yaml.indexOf('{') + 1, yaml.indexOf(':', yaml.indexOf('{')));
            assertThatThrownBy(this::resolve)
                    .as(yaml)
                    .hasMessageStartingWith("'" + stage + "." + arg + "' cannot be "
                            + "set in guli.yaml, a file of the branch being built: under '" + stage
                            + "' it may set only ")
                    .hasMessageContaining("Set " + arg + " in the Jenkinsfile, e.g. guliPipeline(service: '...', "
                            + stage + ": [" + arg + ": ...)]");
        }
        // the process container is the Jenkinsfile's too
        file = "container: maven\n";
        assertThatThrownBy(this::resolve).hasMessageContaining("'container'").hasMessageContaining("in guli.yaml");
        // what is the repository's own stays
        file = "services: [gulimall-gateway, gulimall-cart]\nbuild: {goals: verify, skipTests: true}\n"
                + "qualityGate: {timeout: 5}\nimage: {port: 8080, baseImage: 'eclipse-temurin:17-jre'}\n"
                + "deploy: {configs: 'k8s/**', timeout: 300}\nrelease: {tagGit: false}\n";
        Map<String, Object> s = resolve();
        assertThat(args(s, "build")).containsEntry("goals", "verify").containsEntry("skipTests", true);
        assertThat(args(s, "deploy")).containsEntry("configs", "k8s/**");
    }

    @Test
    void theReleasePushesToTheUrlTheCheckoutUsed() {
        env.put("PROJECT_VERSION", "v1.2.0");
        scm = Map.of(
                "GIT_COMMIT", "0123abc", "GIT_BRANCH", "origin/master", "GIT_URL", "https://git.example/gulimall.git");
        assertThat(args(resolve(), "release")).containsEntry("gitRemote", "https://git.example/gulimall.git");
        call.put("release", Map.of("gitRemote", "https://mirror.example/gulimall.git"));
        assertThat(args(resolve(), "release")).containsEntry("gitRemote", "https://mirror.example/gulimall.git");
    }

    @Test
    void falseSkipsAStageSayingWhere() {
        file = "qualityGate: false\ndeploy: false\n";
        call.put("build", false);
        Map<String, Object> s = resolve();
        assertThat(stage(s, "build"))
                .containsEntry("run", false)
                .containsEntry(
                        "skipped",
                        "[guliPipeline] skipped: 'build' is false in the Jenkinsfile's guliPipeline(...) map");
        assertThat(stage(s, "qualityGate"))
                .containsEntry("skipped", "[guliPipeline] skipped: 'qualityGate' is false in guli.yaml");
        assertThat(stage(s, "approval")).containsEntry("run", false);
        assertThat(stage(s, "deploy"))
                .containsEntry("skipped", "[guliPipeline] skipped: 'deploy' is false in guli.yaml");
        assertThat((Map<String, Object>) s.get("parameters")).containsEntry("deploy", false);
    }

    @Test
    void anUntickedDeployParameterSkipsApprovalAndDeploy() {
        env.put("DEPLOY", "false");
        Map<String, Object> s = resolve();
        assertThat(stage(s, "approval"))
                .containsEntry("run", false)
                .containsEntry("skipped", "[guliPipeline] skipped: the DEPLOY parameter is not ticked");
        assertThat(stage(s, "deploy")).containsEntry("run", false);
    }

    @Test
    void noBuildMeansNoQualityGate() {
        call.put("build", false);
        assertThat(stage(resolve(), "qualityGate"))
                .containsEntry("run", false)
                .containsEntry(
                        "skipped",
                        "[guliPipeline] skipped: the build stage is skipped, so there is no analysis to wait for");
    }

    @Test
    void unknownKeysAreRefusedListingTheKnownOnes() {
        file = "qualityGate: false\nrelaese: false\n";
        assertThatThrownBy(this::resolve)
                .isInstanceOf(GuliException.class)
                .hasMessageStartingWith(
                        "unknown configuration key 'relaese' in guli.yaml (did you mean 'release'?). Known keys: ")
                .hasMessageContaining(String.join(", ", ConfigKey.names()));
        file = null;
        call.put("kubeconfig", "k");
        assertThatThrownBy(this::resolve)
                .hasMessageContaining("unknown configuration key 'kubeconfig' in the Jenkinsfile's "
                        + "guliPipeline(...) map (did you mean 'kubeconfigId'?)");
        call.remove("kubeconfig");
        call.put("colour", "blue");
        assertThatThrownBy(this::resolve)
                .hasMessageStartingWith(
                        "unknown configuration key 'colour' in the Jenkinsfile's "
                                + "guliPipeline(...) map. Known keys: agent, approvalTimeoutMinutes, approvers, build, concurrency,");
    }

    @Test
    void theContainerComesFromTheJenkinsfileOrTheGlobalConfigurationNeverFromGuliYaml() {
        assertThat(resolve()).containsEntry("container", "");
        global.put("container", "maven");
        assertThat(resolve()).containsEntry("container", "maven");
        call.put("container", "build-tools");
        assertThat(resolve()).containsEntry("container", "build-tools");
        file = "container: jnlp\n";
        assertThatThrownBy(this::resolve)
                .hasMessageStartingWith(
                        "'container' cannot be set in guli.yaml: it is a file of " + "the branch being built")
                .hasMessageEndingWith("container: ...), or in Manage Jenkins > System > guli-pipeline");
    }

    @Test
    void wrongTypesAreRefused() {
        file = "deploy: maybe\n";
        assertThatThrownBy(this::resolve)
                .hasMessage("'deploy' in guli.yaml must be true, false, or a map of step " + "arguments, not 'maybe'");
        file = null;
        String jenkinsfile = "the Jenkinsfile's guliPipeline(...) map";
        call.put("approvalTimeoutMinutes", -5);
        assertThatThrownBy(this::resolve)
                .hasMessage(
                        "'approvalTimeoutMinutes' in " + jenkinsfile + " must be a " + "positive whole number, not -5");
        call.remove("approvalTimeoutMinutes");
        call.put("namespace", List.of("a", "b"));
        assertThatThrownBy(this::resolve)
                .hasMessage("'namespace' in " + jenkinsfile + " must be a string, not a list [a, b]");
        call.remove("namespace");
        call.put("concurrency", "none");
        assertThatThrownBy(this::resolve)
                .hasMessageStartingWith("'concurrency' in " + jenkinsfile + " is 'none': use 'lock'")
                .hasMessageContaining("'newest'");
    }

    @Test
    void badFilesAreRefusedWithTheLine() {
        file = "namespace: atguigumall\n  deploy: : false\n";
        assertThatThrownBy(this::resolve).hasMessageStartingWith("guli.yaml is not valid YAML at line 2");
        file = "- a\n- b\n";
        assertThatThrownBy(this::resolve).hasMessageStartingWith("guli.yaml must be a map of configuration keys");
        file = "agent: maven\n";
        assertThatThrownBy(this::resolve).hasMessageStartingWith("'agent' cannot be set in guli.yaml");
        file = "# only a comment\n";
        assertThat(resolve()).containsEntry("service", "gulimall-gateway");
    }

    @Test
    void invalidProjectVersionIsRefusedWithTheRuleBeforeAnyCheckout() {
        scm = null;
        env.put("PROJECT_VERSION", "v0.0Beta"); // the course's own default
        assertThatThrownBy(this::resolve)
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("PROJECT_VERSION 'v0.0Beta' is not a release version")
                .hasMessageContaining("'v' followed by a semantic version");
    }

    @Test
    void serviceAndProjectNameMustBeImageNames() {
        call.remove("service");
        assertThatThrownBy(this::resolve).hasMessageStartingWith("'service' is not set");
        call.put("service", "Gulimall_Gateway");
        assertThatThrownBy(this::resolve)
                .hasMessageStartingWith("'service' in the Jenkinsfile's guliPipeline(...) map "
                        + "is 'Gulimall_Gateway': a service name is lower-case");
        call.put("service", "gulimall-gateway");
        env.put("PROJECT_NAME", "../etc");
        assertThatThrownBy(this::resolve).hasMessageStartingWith("PROJECT_NAME is '../etc'");
    }

    Map<String, Object> resolveChanged(ChangedServices.Result changes) {
        env.put("PROJECT_NAME", "(changed)");
        return PipelineSettings.resolve(request().changes(changes));
    }

    @Test
    @SuppressWarnings("unchecked")
    void changedPlansOneBuildOfThemAllAndAGateAnImageAndALockedDeployPerService() {
        Map<String, Object> s = resolveChanged(new ChangedServices.Result(
                "abc",
                List.of(
                        new ChangedServices.Pick(
                                "gulimall-order", "it is built from gulimall-common, which changed: x"),
                        new ChangedServices.Pick("gulimall-cart", "gulimall-cart changed: y")),
                "2 file(s) changed"));

        assertThat(s)
                .containsEntry("services", List.of("gulimall-order", "gulimall-cart"))
                .containsEntry(
                        "changes",
                        List.of(
                                "[guliPipeline] (changed): 2 file(s) changed",
                                "[guliPipeline] building gulimall-order: it is built from gulimall-common, which changed: x",
                                "[guliPipeline] building gulimall-cart: gulimall-cart changed: y"));
        assertThat(args(s, "build")).isEqualTo(Map.of("modules", List.of("gulimall-order", "gulimall-cart")));
        assertThat((List<Object>) stage(s, "qualityGate").get("calls"))
                .containsExactly(Map.of("module", "gulimall-order"), Map.of("module", "gulimall-cart"));
        assertThat((List<Object>) stage(s, "image").get("calls"))
                .containsExactly(Map.of("projectName", "gulimall-order"), Map.of("projectName", "gulimall-cart"));
        assertThat((List<Map<String, Object>>) stage(s, "deploy").get("calls"))
                .extracting(c -> c.get("lock"))
                .containsExactly(
                        lockStep("guli-deploy:shop/gulimall:gulimall-order"),
                        lockStep("guli-deploy:shop/gulimall:gulimall-cart"));
        assertThat((Map<String, Object>) stage(s, "deploy").get("stash"))
                .containsEntry("includes", "gulimall-order/deploy/**,gulimall-cart/deploy/**");
        assertThat((Map<String, Object>) stage(s, "approval").get("input"))
                .containsEntry("id", "deploy-changed")
                .containsEntry("message", "deploy gulimall-order, gulimall-cart to the cluster?");
    }

    @Test
    void aModuleTheConfigurationNamesWinsOverTheChangedModules() {
        file = "build: {module: gulimall-cart}\n";
        Map<String, Object> s = resolveChanged(new ChangedServices.Result(
                "abc",
                List.of(
                        new ChangedServices.Pick("gulimall-order", "x"),
                        new ChangedServices.Pick("gulimall-cart", "y")),
                "2 file(s) changed"));
        assertThat(args(s, "build")).isEqualTo(Map.of("module", "gulimall-cart"));
    }

    @Test
    void changedIsRestrictedByTheServicesListAndNeedsTheChangesAndOneServiceToRelease() {
        file = "services: [gulimall-cart]\n";
        Map<String, Object> s = resolveChanged(new ChangedServices.Result(
                "abc",
                List.of(
                        new ChangedServices.Pick("gulimall-order", "why"),
                        new ChangedServices.Pick("gulimall-cart", "why")),
                "note"));
        assertThat(s).containsEntry("services", List.of("gulimall-cart"));
        assertThat((List<String>) s.get("changes"))
                .contains(
                        "[guliPipeline] not building gulimall-order (why): it is " + "not in 'services' of guli.yaml");

        Map<String, Object> none = resolveChanged(new ChangedServices.Result("abc", List.of(), "nothing"));
        for (String st : List.of("build", "qualityGate", "image", "approval", "deploy")) {
            assertThat(stage(none, st))
                    .containsEntry("run", false)
                    .containsEntry(
                            "skipped", "[guliPipeline] skipped: no service changed, so there is nothing to build");
        }

        assertThatThrownBy(() -> resolveChanged(null))
                .hasMessageStartingWith(
                        "PROJECT_NAME (changed) needs the " + "changes since the last successful build");
        scm = null; // before checkout: nothing known yet, nothing refused
        assertThat(resolveChanged(null)).containsEntry("services", List.of());
        env.put("PROJECT_VERSION", "v1.2.0");
        assertThatThrownBy(() -> resolveChanged(null))
                .hasMessage("PROJECT_VERSION v1.2.0 releases one service: "
                        + "choose it in PROJECT_NAME instead of (changed)");
    }

    @Test
    void projectNameChoicesComeFromTheCallElseFromThePomModules() {
        pom = "<project><modules><module>gulimall-common</module><module>gulimall-cart</module>"
                + "<module>gulimall-gateway</module></modules><profiles><profile><modules><module>extra</module>"
                + "</modules></profile></profiles></project>";
        assertThat((Map<String, Object>) resolve().get("parameters"))
                .containsEntry(
                        "projectNames", List.of("(changed)", "gulimall-gateway", "gulimall-common", "gulimall-cart"));
        call.put("services", List.of("gulimall-cart", "gulimall-order"));
        assertThat((Map<String, Object>) resolve().get("parameters"))
                .containsEntry(
                        "projectNames", List.of("(changed)", "gulimall-gateway", "gulimall-cart", "gulimall-order"));
        call.remove("services");
        pom = null;
        assertThat((Map<String, Object>) resolve().get("parameters"))
                .containsEntry("projectNames", List.of("gulimall-gateway"));
        pom = "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><project>&e;</project>";
        assertThatThrownBy(this::resolve)
                .hasMessageStartingWith("the repository's pom.xml has a DOCTYPE")
                .hasMessageContaining("services: [");
        pom = "<!DOCTYPE x [<!ENTITY a \"lol\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]><project>&b;</project>";
        assertThatThrownBy(this::resolve).hasMessageStartingWith("the repository's pom.xml has a DOCTYPE");
        // read on the controller: bounded, as guli.yaml is
        pom = "<project><modules><module>gulimall-cart</module></modules><!--" + "x".repeat(600 * 1024)
                + "--></project>";
        assertThatThrownBy(this::resolve)
                .hasMessageStartingWith("the repository's pom.xml is larger than 512 KB")
                .hasMessageContaining("services: [");
        call.put("services", List.of("gulimall-cart"));
        assertThat((Map<String, Object>) resolve().get("parameters"))
                .containsEntry("projectNames", List.of("(changed)", "gulimall-gateway", "gulimall-cart"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theReactorsServicesReadOnTheAgentAreTheChoicesNotThePomText() {
        pom = "<project><modules><module>gulimall-common</module><module>services</module></modules></project>";
        Map<String, Object> p = (Map<String, Object>)
                PipelineSettings.resolve(request().services(List.of("gulimall-product", "gulimall-order")))
                        .get("parameters");
        assertThat(p)
                .containsEntry(
                        "projectNames", List.of("(changed)", "gulimall-gateway", "gulimall-product", "gulimall-order"));
        // an artifactId of the branch becomes a choice only if it is a service name
        assertThatThrownBy(() -> PipelineSettings.resolve(request().services(List.of("Gulimall-Order"))))
                .hasMessageStartingWith("a service of the repository's pom.xml is 'Gulimall-Order': a service name is");
        call.put("services", List.of("gulimall-cart")); // the configuration's list wins over both
        assertThat((Map<String, Object>) PipelineSettings.resolve(request().services(List.of("Gulimall-Order")))
                        .get("parameters"))
                .containsEntry("projectNames", List.of("(changed)", "gulimall-gateway", "gulimall-cart"));
    }

    @Test
    void theBranchComesFromBranchNameOrTheCheckout() {
        env.put("BRANCH_NAME", "feature/x");
        Map<String, Object> s = resolve();
        assertThat(s).containsEntry("snapshotTag", "SNAPSHOT-feature-x-7");
        assertThat((List<String>) s.get("env")).containsExactly("PROJECT_NAME=gulimall-gateway", "PROJECT_VERSION=");
        env.remove("BRANCH_NAME");
        scm = Map.of("GIT_COMMIT", "abc", "GIT_BRANCH", "refs/remotes/origin/release/1.x");
        assertThat(resolve()).containsEntry("snapshotTag", "SNAPSHOT-release-1.x-7");
        scm = Map.of("GIT_COMMIT", "abc");
        assertThatThrownBy(this::resolve).hasMessageStartingWith("cannot tell the branch for the image tag");
        call.put("image", false); // no tag needed, no branch needed
        assertThat(resolve()).containsEntry("snapshotTag", null);
    }

    @Test
    void withoutTheLockStepDeploysAndReleasesTakeGuliLockNeverAMilestone() {
        lock = false;
        env.put("PROJECT_VERSION", "v1.2.0");
        Map<String, Object> s = resolve();
        assertThat(stage(s, "deploy"))
                .containsEntry("lock", guliLock("guli-deploy:shop/gulimall:gulimall-gateway", false))
                .doesNotContainKey("milestone");
        assertThat(stage(s, "release"))
                .containsEntry("lock", guliLock("guli-release:shop/gulimall:gulimall-gateway", false))
                .doesNotContainKey("milestone");
    }

    @Test
    void newestTakesGuliLockWhichDropsOlderWaitersWithOrWithoutTheLockStep() {
        call.put("concurrency", "newest");
        env.put("PROJECT_VERSION", "v1.2.0");
        for (boolean available : new boolean[] {true, false}) {
            lock = available;
            Map<String, Object> s = resolve();
            assertThat(stage(s, "deploy"))
                    .containsEntry("lock", guliLock("guli-deploy:shop/gulimall:gulimall-gateway", true));
            assertThat(stage(s, "release"))
                    .containsEntry("lock", guliLock("guli-release:shop/gulimall:gulimall-gateway", true));
        }
    }

    @Test
    void theGlobalConfigurationMayChooseNewestAndTheJenkinsfileWinsButGuliYamlMayNot() {
        global.put("concurrency", "newest");
        assertThat(stage(resolve(), "deploy"))
                .containsEntry("lock", guliLock("guli-deploy:shop/gulimall:gulimall-gateway", true));
        call.put("concurrency", "lock");
        assertThat(stage(resolve(), "deploy"))
                .containsEntry("lock", lockStep("guli-deploy:shop/gulimall:gulimall-gateway"));
        call.remove("concurrency");
        global.put("concurrency", "milestone");
        assertThatThrownBy(this::resolve)
                .hasMessageStartingWith("'concurrency' in the global configuration is 'milestone'");
        global.remove("concurrency");
        file = "concurrency: newest\n";
        assertThatThrownBy(this::resolve)
                .hasMessageStartingWith("'concurrency' cannot be set in guli.yaml")
                .hasMessageEndingWith("or in Manage Jenkins > System > guli-pipeline");
    }

    @Test
    void milestoneIsRefusedNamingTheReplacement() {
        call.put("concurrency", "milestone");
        assertThatThrownBy(this::resolve)
                .isInstanceOf(GuliException.class)
                .hasMessageStartingWith(
                        "'concurrency' in the Jenkinsfile's guliPipeline(...) map is 'milestone', which is no longer "
                                + "offered: a milestone is per job, so it aborts the builds of the job's other services")
                .hasMessageContaining("Use 'lock' (the default")
                .hasMessageContaining("'newest'");
    }

    private static Map<String, Object> lockStep(String resource) {
        return Map.of("step", "lock", "args", Map.of("resource", resource));
    }

    private static Map<String, Object> guliLock(String resource, boolean newest) {
        return Map.of("step", "guliLock", "args", Map.of("resource", resource, "newest", newest));
    }

    @Test
    void frontEndBuildsWithNpmAndItsOwnDockerfile() {
        kind = PipelineSettings.FRONTEND;
        call.put("service", "gulimall-admin-vue");
        Map<String, Object> s = resolve();
        assertThat(stage(s, "build"))
                .containsEntry("command", "npm ci && npm run build")
                .doesNotContainKey("step");
        assertThat(stage(s, "qualityGate"))
                .containsEntry("run", false)
                .containsEntry(
                        "skipped",
                        "[guliPipeline] skipped: a front end has no quality gate unless its configuration says qualityGate: true");
        assertThat(args(s, "image")).isEqualTo(Map.of("projectName", "gulimall-admin-vue", "dockerfile", "Dockerfile"));
        file = "frontendBuild: npm ci && npm run build:prod\n";
        assertThat(stage(resolve(), "build")).containsEntry("command", "npm ci && npm run build:prod");
        kind = "gradle";
        assertThatThrownBy(this::resolve).hasMessageStartingWith("kind 'gradle' is not known");
    }

    @Test
    void theResultIsPlainSerializableCollections() throws Exception {
        env.put("PROJECT_VERSION", "v1.0.0+build.5");
        Map<String, Object> s = resolve();
        assertThat(s).containsEntry("releaseTag", "v1.0.0_build.5");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }
        Object back = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())).readObject();
        assertThat(back).isEqualTo(s);
        assertThat(s).isInstanceOf(LinkedHashMap.class);
        assertThat(s.get("stages")).isInstanceOf(LinkedHashMap.class);
        assertThat(((Map<?, ?>) s.get("parameters")).get("projectNames")).isInstanceOf(java.util.ArrayList.class);
    }

    /** test needs no approval, staging has its own approvers, prod the global ones. */
    void threeEnvironments() {
        environments = List.of(
                new Environment("test").approvalRequired(false),
                new Environment("staging").approvers(List.of("qa-leads", "bob")),
                new Environment("prod"));
        global.put("approvers", "release-managers");
    }

    @Test
    @SuppressWarnings("unchecked")
    void withoutEnvironmentsTheFormAndThePlanAreUnchanged() {
        Map<String, Object> without = resolve();
        environments = List.of();
        assertThat(resolve()).isEqualTo(without).doesNotContainKey("promotion");
        assertThat((Map<String, Object>) without.get("parameters"))
                .doesNotContainKeys("promoteTo", "environments", "rollbackToDescription");
        env.put("PROMOTE_TO", "staging");
        assertThatThrownBy(this::resolve)
                .isInstanceOf(GuliException.class)
                .hasMessageStartingWith("no environment is "
                        + "configured: add them (test, staging, prod...) in Manage Jenkins > System > guli-pipeline");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theFormOffersEachEnvironmentAfterTheFirstToPromoteToAndEveryOneToRollBack() {
        threeEnvironments();
        Map<String, Object> p = (Map<String, Object>) resolve().get("parameters");
        assertThat(p)
                .containsEntry("promoteTo", List.of("", "staging", "prod"))
                .containsEntry("environments", List.of("", "test", "staging", "prod"))
                .containsEntry("deploy", true)
                .containsKeys("promoteToDescription", "rollbackToDescription", "environmentDescription");
        assertThat(resolve()).doesNotContainKey("promotion");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPromotionSkipsEveryStageAndPromotesAfterTheEnvironmentsApprovalInsideItsLock() {
        threeEnvironments();
        scm = null; // guliSettings' first call, before any agent
        env.put("PROJECT_NAME", "gulimall-gateway");
        env.put("PROMOTE_TO", "staging");
        Map<String, Object> s = resolve();
        for (String st : List.of("build", "qualityGate", "image", "approval", "deploy", "releaseApproval", "release")) {
            assertThat(stage(s, st)).as(st).containsEntry("run", false);
        }
        assertThat(stage(s, "build"))
                .containsEntry(
                        "skipped",
                        "[guliPipeline] skipped: PROMOTE_TO is staging: a promotion deploys the image the environment "
                                + "before it runs and builds nothing");
        Map<String, Object> promotion = (Map<String, Object>) s.get("promotion");
        assertThat(promotion)
                .containsEntry("step", "guliPromote")
                .containsEntry("args", Map.of("service", "gulimall-gateway", "to", "staging"))
                .doesNotContainKey("release") // staging is not the release point
                .containsEntry("lock", lockStep("guli-deploy:shop/gulimall:gulimall-gateway:staging"));
        assertThat(promotion.get("skipped").toString())
                .isEqualTo("[guliPipeline] skipped build, quality gate, image, deploy and release: PROMOTE_TO is "
                        + "staging: a promotion deploys the image the environment before it runs and builds nothing");
        Map<String, Object> approval = (Map<String, Object>) promotion.get("approval");
        assertThat(approval)
                .containsEntry("run", true)
                .containsEntry("what", "promote gulimall-gateway to staging")
                .containsEntry(
                        "input",
                        Map.of(
                                "id", "promote-gulimall-gateway-staging",
                                "message", "promote gulimall-gateway to staging?",
                                "ok", StageSettings.OK,
                                "submitter", "qa-leads,bob",
                                "submitterParameter", "approver"));
        // the form of the next build stays the job's
        assertThat((Map<String, Object>) s.get("parameters")).containsEntry("deploy", true);

        env.put("PROMOTE_TO", "prod");
        env.put("PROJECT_VERSION", "v1.4.2");
        promotion = (Map<String, Object>) resolve().get("promotion");
        // prod is the release point: PROJECT_VERSION is the version released, the preview's digest is promoted
        assertThat(promotion)
                .containsEntry("args", Map.of("service", "gulimall-gateway", "to", "prod"))
                .containsEntry(
                        "preview",
                        Map.of(
                                "step",
                                "guliPromotionPreview",
                                "args",
                                Map.of("service", "gulimall-gateway", "to", "prod")))
                .containsEntry(
                        "release",
                        Map.of(
                                "step",
                                "guliRelease",
                                "args",
                                Map.of("projectName", "gulimall-gateway", "projectVersion", "v1.4.2")))
                .containsEntry("lock", lockStep("guli-deploy:shop/gulimall:gulimall-gateway:prod"));
        env.put("PROJECT_VERSION", "1.4.2");
        assertThatThrownBy(this::resolve).hasMessageContaining("1.4.2");
        env.put("PROJECT_VERSION", "v1.4.2");
        assertThat((Map<String, Object>) ((Map<String, Object>) promotion.get("approval")).get("input"))
                .containsEntry("message", "promote gulimall-gateway v1.4.2 to prod?")
                .containsEntry("submitter", "release-managers"); // prod names none: the global approvers
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPromotionDeploysTheJenkinsfilesManifestsAndTheDigestOfPromoteDigest() {
        threeEnvironments();
        call.put("deploy", Map.of("configs", "k8s/gateway/**"));
        env.put("PROMOTE_TO", "staging");
        String digest = "sha256:" + "d".repeat(64);
        env.put("PROMOTE_DIGEST", digest);
        Map<String, Object> promotion = (Map<String, Object>) resolve().get("promotion");
        Map<String, Object> args =
                Map.of("service", "gulimall-gateway", "to", "staging", "digest", digest, "configs", "k8s/gateway/**");
        assertThat(promotion).containsEntry("args", args);
        assertThat((Map<String, Object>) promotion.get("preview")).containsEntry("args", args);
        assertThat((Map<String, Object>) resolve().get("parameters")).containsKey("promoteDigestDescription");

        env.put("PROMOTE_DIGEST", "sha256:abc");
        assertThatThrownBy(this::resolve)
                .hasMessageStartingWith("PROMOTE_DIGEST 'sha256:abc' is not an image digest: give it as sha256:");
        env.put("PROMOTE_DIGEST", digest);
        env.remove("PROMOTE_TO");
        env.put("ROLLBACK_TO", "v1.4.1");
        env.put("ENVIRONMENT", "prod");
        assertThatThrownBy(this::resolve)
                .hasMessageStartingWith("PROMOTE_DIGEST is '" + digest + "' but PROMOTE_TO is empty");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRollbackRollsTheChosenEnvironmentBackWithItsApproval() {
        threeEnvironments();
        env.put("ROLLBACK_TO", "v1.4.1");
        env.put("ENVIRONMENT", "prod");
        Map<String, Object> s = resolve();
        assertThat(stage(s, "image"))
                .containsEntry("run", false)
                .containsEntry(
                        "skipped",
                        "[guliPipeline] skipped: ROLLBACK_TO is v1.4.1: a rollback deploys that release's image "
                                + "again and builds nothing");
        Map<String, Object> promotion = (Map<String, Object>) s.get("promotion");
        assertThat(promotion)
                .containsEntry("args", Map.of("service", "gulimall-gateway", "to", "prod", "rollbackTo", "v1.4.1"))
                .containsEntry("lock", lockStep("guli-deploy:shop/gulimall:gulimall-gateway:prod"))
                .doesNotContainKey("release"); // a rollback releases nothing, even at the release point
        assertThat((Map<String, Object>) ((Map<String, Object>) promotion.get("approval")).get("input"))
                .containsEntry("id", "rollback-gulimall-gateway-prod")
                .containsEntry("message", "roll gulimall-gateway in prod back to v1.4.1?")
                .containsEntry("ok", StageSettings.OK); // neither approves nor rejects

        env.put("ENVIRONMENT", "test"); // the first environment: its own history, and no approval
        Map<String, Object> approval =
                (Map<String, Object>) ((Map<String, Object>) resolve().get("promotion")).get("approval");
        assertThat(approval)
                .containsEntry("run", false)
                .containsEntry(
                        "skipped",
                        "[guliPipeline] skipped: environment 'test' needs no approval (Manage Jenkins > System > "
                                + "guli-pipeline > Environments)");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anEnvironmentThatIsNotConfiguredFailsNamingTheConfiguredOnes() {
        threeEnvironments();
        env.put("PROMOTE_TO", "uat");
        assertThatThrownBy(this::resolve)
                .isInstanceOf(GuliException.class)
                .hasMessage("there is no environment 'uat': the environments are test, staging, prod (Manage Jenkins > "
                        + "System > guli-pipeline)");
        env.remove("PROMOTE_TO");
        env.put("ROLLBACK_TO", "v1.4.1");
        env.put("ENVIRONMENT", "uat");
        assertThatThrownBy(this::resolve).hasMessageStartingWith("there is no environment 'uat'");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPromotionOrRollbackThatCannotBeTellsWhatToSet() {
        threeEnvironments();
        env.put("PROMOTE_TO", "test");
        assertThatThrownBy(this::resolve)
                .hasMessage("PROMOTE_TO is 'test', the first environment, which a snapshot build deploys to: "
                        + "promote to one after it (staging, prod)");
        env.put("ROLLBACK_TO", "v1.4.1");
        assertThatThrownBy(this::resolve)
                .hasMessageStartingWith("give PROMOTE_TO (promote to the next environment) or " + "ROLLBACK_TO");
        env.remove("PROMOTE_TO");
        assertThatThrownBy(this::resolve)
                .hasMessage("ROLLBACK_TO v1.4.1 needs ENVIRONMENT, the environment to roll "
                        + "back: one of test, staging, prod");
        env.put("ENVIRONMENT", "prod");
        env.put("ROLLBACK_TO", "1.4.1");
        assertThatThrownBy(this::resolve).hasMessageStartingWith("ROLLBACK_TO '1.4.1' is not a release version");
        env.put("ROLLBACK_TO", "v1.4.1");
        env.put("PROJECT_VERSION", "v1.4.2");
        assertThatThrownBy(this::resolve).hasMessageStartingWith("ROLLBACK_TO rolls back to its own version");
        env.remove("ROLLBACK_TO");
        env.remove("PROJECT_VERSION");
        assertThatThrownBy(this::resolve).hasMessageStartingWith("ENVIRONMENT is 'prod' but ROLLBACK_TO is empty");
        env.remove("ENVIRONMENT");
        env.put("PROJECT_NAME", "(changed)");
        env.put("PROMOTE_TO", "prod");
        call.put("services", List.of("gulimall-gateway", "gulimall-cart"));
        assertThatThrownBy(this::resolve)
                .hasMessage("a promotion or rollback moves one service: choose it in "
                        + "PROJECT_NAME instead of (changed)");
    }

    @Test
    @SuppressWarnings("unchecked")
    void guliYamlCannotTurnAPromotionIntoABuildNorPickItsApprovers() {
        threeEnvironments();
        env.put("PROMOTE_TO", "staging");
        file = "build: true\ndeploy: true\nrelease: true\n";
        Map<String, Object> s = resolve();
        assertThat(stage(s, "build")).containsEntry("run", false);
        assertThat(stage(s, "deploy")).containsEntry("run", false);
        // prod names no approvers: the global ones, not the Jenkinsfile's
        call.put("approvers", "anyone");
        env.put("PROMOTE_TO", "prod");
        Map<String, Object> promotion = (Map<String, Object>) resolve().get("promotion");
        assertThat((Map<String, Object>) ((Map<String, Object>) promotion.get("approval")).get("input"))
                .containsEntry("submitter", "release-managers");
    }
}
