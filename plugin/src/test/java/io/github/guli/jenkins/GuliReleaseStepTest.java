package io.github.guli.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cloudbees.plugins.credentials.common.IdCredentials;
import hudson.EnvVars;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.registry.RegistryEndpoint;
import io.github.guli.engine.release.ReleaseRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.StoredConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How guliRelease resolves its parameters on the controller: the step's fields, else the build's environment, else
 * the global configuration, and the credentials looked up for the run.
 */
class GuliReleaseStepTest {
    private static final String GIT_URL = "http://git.example.com/gulimall.git";
    private static final String GIT_COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path workspace;

    /** The admins' configuration: a registry, a namespace and the credentials IDs for each. */
    private static GuliConfiguration admins() {
        GuliConfiguration g = GuliBuildStepTest.global(null, null);
        g.setRegistry("registry.example.com");
        g.setNamespace("atguigumall");
        g.setRegistryCredentialsId("aliyun-hub-id");
        g.setGitCredentialsId("gitee-id");
        return g;
    }

    /** A store with the admins' two logins and the ones a Jenkinsfile may name instead. */
    private static FakeCredentialsStore store() {
        Map<String, IdCredentials> byId = new HashMap<>();
        byId.put("aliyun-hub-id", TestCredentials.login("admin-registry", "registry-secret"));
        byId.put("gitee-id", TestCredentials.login("admin-git", "git-secret"));
        byId.put("harbor-id", TestCredentials.login("jenkinsfile-registry", "harbor-secret"));
        byId.put("gitlab-id", TestCredentials.login("jenkinsfile-git", "gitlab-secret"));
        return new FakeCredentialsStore(byId);
    }

    /** A multibranch build of master #42 of v1.2.0 of gulimall-gateway, after checkout scm. */
    private static Map<String, String> buildEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("PROJECT_NAME", "gulimall-gateway");
        env.put("PROJECT_VERSION", "v1.2.0");
        env.put("BRANCH_NAME", "master");
        env.put("BUILD_NUMBER", "42");
        env.put("GIT_URL", GIT_URL);
        env.put("GIT_COMMIT", GIT_COMMIT);
        return env;
    }

    private ReleaseRequest request(
            GuliReleaseStep step, Map<String, String> env, GuliConfiguration global, FakeCredentialsStore store)
            throws Exception {
        EnvVars vars = GuliBuildStepTest.env(env);
        return new GuliReleaseStep.Execution(step, null)
                .request(new TestRun(), vars, workspace.toString(), global, new CredentialsLookup(store));
    }

    @Test
    void theBuildsApprovalsGoToTheTagMessage() throws Exception {
        TestRun run = new TestRun();
        io.github.guli.engine.approval.AuditEntry alice = new io.github.guli.engine.approval.AuditEntry(
                "alice",
                java.time.Instant.parse("2026-12-07T08:15:30Z"),
                "approved",
                "",
                "shop/gulimall/42",
                "gulimall-gateway",
                "v1.2.0",
                null,
                null);
        GuliAudit.record(run, workspace.resolve("audit"), "release-gulimall-gateway", alice, java.util.Set.of());
        ReleaseRequest r = new GuliReleaseStep.Execution(new GuliReleaseStep(), null)
                .request(
                        run,
                        GuliBuildStepTest.env(buildEnv()),
                        workspace.toString(),
                        admins(),
                        new CredentialsLookup(store()));
        assertThat(r.approvals()).containsExactly(alice.toJsonLine());
        assertThat(request(new GuliReleaseStep(), buildEnv(), admins(), store()).approvals())
                .isEmpty();
    }

    @Test
    void withoutFieldsTheBuildsEnvironmentAndTheGlobalConfigurationDecide() throws Exception {
        FakeCredentialsStore store = store();
        ReleaseRequest r = request(new GuliReleaseStep(), buildEnv(), admins(), store);
        assertThat(r.projectName()).isEqualTo("gulimall-gateway");
        assertThat(r.projectVersion()).isEqualTo("v1.2.0");
        assertThat(r.registry()).isEqualTo("registry.example.com");
        assertThat(r.namespace()).isEqualTo("atguigumall");
        assertThat(r.tagImage()).isTrue();
        assertThat(r.sourceTag()).isEqualTo("SNAPSHOT-master-42");
        assertThat(r.registryCredentials().username()).isEqualTo("admin-registry");
        assertThat(r.registryCredentials().password()).isEqualTo("registry-secret");
        assertThat(r.gitDir()).as("the workspace is tagged").isEqualTo(workspace.toString());
        assertThat(r.gitRemote()).isEqualTo(GIT_URL);
        assertThat(r.commit()).isEqualTo(GIT_COMMIT);
        assertThat(r.gitCredentials().username()).isEqualTo("admin-git");
        assertThat(r.gitCredentials().password()).isEqualTo("git-secret");
        assertThat(r.taggerName()).as("the engine's default").isNull();
        assertThat(r.taggerEmail()).isNull();
        assertThat(store.lookups)
                .containsExactly(
                        "aliyun-hub-id as StandardUsernamePasswordCredentials for TestRun",
                        "gitee-id as StandardUsernamePasswordCredentials for TestRun");
        assertThat(store.tracked).hasSize(2);
    }

    @Test
    void aPromotionsReleaseGoesByDigestAndCarriesItsConfigurationRecord() throws Exception {
        GuliReleaseStep step = new GuliReleaseStep();
        String digest = "sha256:" + "c".repeat(64);
        step.setDigest(digest);
        step.setConfigRecord(
                "namespace 'prod', group G: a.properties sha256:1\n\nnamespace 'prod', group G: b.yaml sha256:2");
        Map<String, String> env = buildEnv();
        env.remove("BRANCH_NAME"); // a promotion build needs no snapshot tag

        ReleaseRequest r = request(step, env, admins(), store());

        assertThat(r.sourceDigest()).isEqualTo(digest);
        assertThat(r.sourceTag()).isNull();
        assertThat(r.configRecord())
                .containsExactly(
                        "namespace 'prod', group G: a.properties sha256:1",
                        "namespace 'prod', group G: b.yaml sha256:2");
    }

    @Test
    void theStepsFieldsWinOverTheEnvironmentAndTheGlobalConfiguration() throws Exception {
        GuliReleaseStep step = new GuliReleaseStep();
        step.setProjectName("gulimall-cart");
        step.setProjectVersion("v2.0.0-rc.1");
        step.setRegistry("http://127.0.0.1:5000");
        step.setNamespace("guli-test");
        step.setSourceTag("SNAPSHOT-release-7");
        step.setRegistryCredentialsId("harbor-id");
        step.setGitCredentialsId("gitlab-id");
        step.setGitRemote("https://gitlab.example.com/mall/gulimall.git");
        step.setCommit("fedcba9876543210fedcba9876543210fedcba98");
        step.setTaggerName("release-bot");
        step.setTaggerEmail("release@example.com");
        FakeCredentialsStore store = store();
        ReleaseRequest r = request(step, buildEnv(), admins(), store);
        assertThat(r.projectName()).isEqualTo("gulimall-cart");
        assertThat(r.projectVersion()).isEqualTo("v2.0.0-rc.1");
        assertThat(r.registry()).isEqualTo("http://127.0.0.1:5000");
        assertThat(r.namespace()).isEqualTo("guli-test");
        assertThat(r.sourceTag()).isEqualTo("SNAPSHOT-release-7");
        assertThat(r.registryCredentials().username()).isEqualTo("jenkinsfile-registry");
        assertThat(r.gitRemote()).isEqualTo("https://gitlab.example.com/mall/gulimall.git");
        assertThat(r.commit()).isEqualTo("fedcba9876543210fedcba9876543210fedcba98");
        assertThat(r.gitCredentials().username()).isEqualTo("jenkinsfile-git");
        assertThat(r.taggerName()).isEqualTo("release-bot");
        assertThat(r.taggerEmail()).isEqualTo("release@example.com");
        assertThat(store.lookups).noneMatch(l -> l.startsWith("aliyun-hub-id") || l.startsWith("gitee-id"));
    }

    @Test
    void blankFieldsVariablesAndSettingsAreNotGiven() throws Exception {
        GuliReleaseStep step = new GuliReleaseStep();
        step.setProjectName(" ");
        step.setRegistry("");
        step.setNamespace("  ");
        step.setSourceTag(" ");
        step.setRegistryCredentialsId("");
        step.setGitRemote(" ");
        step.setCommit("");
        step.setTaggerName(" ");
        assertThat(step.getProjectName()).isNull();
        assertThat(step.getSourceTag()).isNull();
        Map<String, String> env = buildEnv();
        env.put("PROJECT_NAME", " gulimall-order ");
        ReleaseRequest r = request(step, env, admins(), store());
        assertThat(r.projectName()).isEqualTo("gulimall-order");
        assertThat(r.registry()).isEqualTo("registry.example.com");
        assertThat(r.namespace()).isEqualTo("atguigumall");
        assertThat(r.sourceTag()).isEqualTo("SNAPSHOT-master-42");
        assertThat(r.registryCredentials().username()).isEqualTo("admin-registry");
        assertThat(r.gitRemote()).isEqualTo(GIT_URL);
        assertThat(r.commit()).isEqualTo(GIT_COMMIT);
        assertThat(r.taggerName()).isNull();

        GuliConfiguration global = admins();
        global.setRegistry(" ");
        global.setNamespace("");
        global.setRegistryCredentialsId(" ");
        global.setGitCredentialsId("");
        env.put("PROJECT_NAME", "");
        env.put("GIT_COMMIT", " ");
        FakeCredentialsStore store = store();
        r = request(new GuliReleaseStep(), env, global, store);
        assertThat(r.projectName()).as("the engine names PROJECT_NAME").isNull();
        assertThat(r.registry()).isEqualTo(RegistryEndpoint.DEFAULT);
        assertThat(r.namespace()).isNull();
        assertThat(r.registryCredentials()).as("anonymous").isNull();
        assertThat(r.gitCredentials()).isNull();
        assertThat(r.commit()).as("HEAD").isNull();
        assertThat(store.lookups).isEmpty();
    }

    @Test
    void theSourceTagIsTheBranchsSnapshotAndWithoutABranchMustBeGiven() throws Exception {
        Map<String, String> env = buildEnv();
        env.put("BRANCH_NAME", "feature/cart");
        env.put("BUILD_NUMBER", "7");
        assertThat(request(new GuliReleaseStep(), env, admins(), store()).sourceTag())
                .isEqualTo("SNAPSHOT-feature-cart-7");

        env.put("BRANCH_NAME", " ");
        FakeCredentialsStore store = store();
        assertThatThrownBy(() -> request(new GuliReleaseStep(), env, admins(), store))
                .isInstanceOf(GuliException.class)
                .hasMessage("cannot tell which image tag to release: BRANCH_NAME is not set (not a multibranch job)."
                        + " Give sourceTag, e.g. guliRelease(sourceTag: 'SNAPSHOT-master-' + env.BUILD_NUMBER)");
        assertThat(store.lookups)
                .as("nothing looked up for a release that cannot run")
                .isEmpty();

        env.remove("BRANCH_NAME");
        GuliReleaseStep step = new GuliReleaseStep();
        step.setSourceTag("SNAPSHOT-master-6");
        assertThat(request(step, env, admins(), store()).sourceTag()).isEqualTo("SNAPSHOT-master-6");

        GuliReleaseStep gitOnly = new GuliReleaseStep();
        gitOnly.setTagImage(false);
        FakeCredentialsStore noImage = store();
        ReleaseRequest r = request(gitOnly, env, admins(), noImage);
        assertThat(r.tagImage()).isFalse();
        assertThat(r.sourceTag()).isNull();
        assertThat(r.registryCredentials()).isNull();
        assertThat(noImage.lookups).containsExactly("gitee-id as StandardUsernamePasswordCredentials for TestRun");
    }

    @Test
    void theGitRemoteIsTheCheckoutsUrlNeverTheWorkingTreesRemote() throws Exception {
        String rewritten = "https://attacker.example.com/steal.git";
        try (Git git = Git.init().setDirectory(workspace.toFile()).call()) {
            StoredConfig config = git.getRepository().getConfig();
            config.setString("remote", "origin", "url", rewritten); // what a build step of the branch can do
            config.save();
        }
        ReleaseRequest r = request(new GuliReleaseStep(), buildEnv(), admins(), store());
        assertThat(r.gitRemote()).isEqualTo(GIT_URL);

        Map<String, String> env = buildEnv();
        env.remove("GIT_URL");
        FakeCredentialsStore store = store();
        assertThatThrownBy(() -> request(new GuliReleaseStep(), env, admins(), store))
                .isInstanceOf(GuliException.class)
                .hasMessage("no repository URL to push the git tag to: give gitRemote (guliPipeline passes the URL "
                        + "its checkout reported), or tagGit: false. The workspace's .git/config is not read: the "
                        + "build can rewrite it");
        assertThat(store.lookups)
                .as("no credentials looked up before the remote is known")
                .isEmpty();

        GuliReleaseStep imageOnly = new GuliReleaseStep();
        imageOnly.setTagGit(false);
        FakeCredentialsStore noGit = store();
        r = request(imageOnly, env, admins(), noGit);
        assertThat(r.gitDir()).as("no git tag").isNull();
        assertThat(r.gitRemote()).isNull();
        assertThat(r.gitCredentials()).isNull();
        assertThat(noGit.lookups).containsExactly("aliyun-hub-id as StandardUsernamePasswordCredentials for TestRun");
    }

    @Test
    void theRegistryNamespaceAndCredentialsAreTheStepsOrTheAdminsNeverTheBranchsOrTheEnvironments() throws Exception {
        // the branch controls every file of the workspace, and a build can set variables
        Files.writeString(
                workspace.resolve("guli.yaml"),
                "registry: attacker.example.com\nnamespace: attacker\nregistryCredentialsId: harbor-id\n"
                        + "gitCredentialsId: gitlab-id\nrelease: {gitRemote: 'https://attacker.example.com/x.git'}\n");
        Map<String, String> env = buildEnv();
        env.put("REGISTRY", "attacker.example.com");
        env.put("DOCKERHUB_NAMESPACE", "attacker");
        env.put("DOCKER_CREDENTIAL_ID", "harbor-id");
        env.put("GITEE_CREDENTIAL_ID", "gitlab-id");
        FakeCredentialsStore store = store();
        ReleaseRequest r = request(new GuliReleaseStep(), env, admins(), store);
        assertThat(r.registry()).isEqualTo("registry.example.com");
        assertThat(r.namespace()).isEqualTo("atguigumall");
        assertThat(r.gitRemote()).isEqualTo(GIT_URL);
        assertThat(r.registryCredentials().username()).isEqualTo("admin-registry");
        assertThat(r.gitCredentials().username()).isEqualTo("admin-git");
        assertThat(store.lookups).noneMatch(l -> l.startsWith("harbor-id") || l.startsWith("gitlab-id"));
    }

    @Test
    void aMissingCredentialFailsNamingItsIdAndWhatItIsFor() {
        FakeCredentialsStore empty = new FakeCredentialsStore(Map.of());
        assertThatThrownBy(() -> request(new GuliReleaseStep(), buildEnv(), admins(), empty))
                .isInstanceOf(GuliException.class)
                .hasMessage("no credentials with ID 'aliyun-hub-id' (registry) are visible to this build: add "
                        + "'Username with password' credentials with that ID in Manage Jenkins > Credentials (or in "
                        + "the job's folder), or fix the ID");

        GuliReleaseStep step = new GuliReleaseStep();
        step.setGitCredentialsId("gitee-token");
        FakeCredentialsStore registryOnly = new FakeCredentialsStore(
                Map.of("aliyun-hub-id", TestCredentials.login("admin-registry", "registry-secret")));
        assertThatThrownBy(() -> request(step, buildEnv(), admins(), registryOnly))
                .hasMessageStartingWith("no credentials with ID 'gitee-token' (git) are visible to this build");
    }

    @Test
    void aBadVersionFailsBeforeAnyCredentialsAreLookedUp() {
        Map<String, String> env = buildEnv();
        env.put("PROJECT_VERSION", "1.2.0");
        FakeCredentialsStore store = store();
        assertThatThrownBy(() -> request(new GuliReleaseStep(), env, admins(), store))
                .isInstanceOf(GuliException.class)
                .hasMessageStartingWith("PROJECT_VERSION '1.2.0' is not a release version");
        assertThat(store.lookups).isEmpty();
    }

    @Test
    void checkOnlyNeedsNoSourceTagAndChecksWithTheSameCredentialsAndWorkingTree() throws Exception {
        Map<String, String> env = buildEnv();
        env.remove("BRANCH_NAME"); // not a multibranch job: no snapshot tag to name, and a check needs none
        GuliReleaseStep step = new GuliReleaseStep();
        step.setCheckOnly(true);
        FakeCredentialsStore store = store();
        ReleaseRequest r = request(step, env, admins(), store);
        assertThat(r.sourceTag()).as("the image is not built yet").isNull();
        assertThat(r.tagImage()).as("the version's image tag is read").isTrue();
        assertThat(r.registry()).isEqualTo("registry.example.com");
        assertThat(r.namespace()).isEqualTo("atguigumall");
        assertThat(r.registryCredentials().username()).isEqualTo("admin-registry");
        assertThat(r.gitDir()).isEqualTo(workspace.toString());
        assertThat(r.gitRemote()).isEqualTo(GIT_URL);
        assertThat(r.commit()).isEqualTo(GIT_COMMIT);
        assertThat(r.gitCredentials().username()).isEqualTo("admin-git");
        assertThat(store.lookups).hasSize(2);

        step.setCheckOnly(false);
        assertThatThrownBy(() -> request(step, env, admins(), store()))
                .hasMessageStartingWith("cannot tell which image tag to release");
    }
}
