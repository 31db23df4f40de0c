package io.github.guli.jenkins;

import static io.github.guli.jenkins.GuliBuildStepTest.env;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.EnvVars;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.image.GeneratedImage;
import io.github.guli.engine.image.ImageRequest;
import io.github.guli.engine.registry.RegistryEndpoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How guliImage resolves its parameters on the controller: the step's fields, the build's environment and the global
 * configuration. (The secrets themselves are read in the real Jenkins: the stand-ins cannot hold one, so a login that
 * is looked up is seen in the store's lookups and in the error for an ID the store does not have.)
 */
class GuliImageStepTest {
    /** The admins' configuration: their registry, namespace, registry login and base image. */
    private static GuliConfiguration admins() {
        GuliConfiguration g = GuliBuildStepTest.global(null, null);
        g.setRegistry("registry.cn-hangzhou.aliyuncs.com");
        g.setNamespace("atguigumall");
        g.setRegistryCredentialsId("aliyun-hub-id");
        g.setBaseImage("registry.cn-hangzhou.aliyuncs.com/atguigumall/jre:17");
        return g;
    }

    private static ImageRequest request(
            GuliImageStep step, EnvVars env, GuliConfiguration global, FakeCredentialsStore store) throws Exception {
        return new GuliImageStep.Execution(step, null)
                .request(new TestRun(), env, global, new CredentialsLookup(store));
    }

    /** The step without a push, so that no login is looked up (the stand-ins cannot hold a password). */
    private static GuliImageStep noPush() {
        GuliImageStep step = new GuliImageStep();
        step.setPush(false);
        return step;
    }

    @Test
    void theStepsFieldsWinOverTheGlobalConfigurationAndTheEnvironment() throws Exception {
        GuliImageStep step = noPush();
        step.setProjectName("gulimall-admin-vue");
        step.setRegistry("http://127.0.0.1:5000");
        step.setNamespace("guli-test");
        step.setBaseImage("eclipse-temurin:21-jre");
        step.setModule("renren-fast-vue");
        step.setDockerfile("docker/Dockerfile");
        step.setJar("target/app.jar");
        step.setSaveTo("images/admin.tar");
        ImageRequest r = request(
                step, env(Map.of("PROJECT_NAME", "gulimall-order")), admins(), new FakeCredentialsStore(Map.of()));
        assertThat(r.name()).isEqualTo("gulimall-admin-vue");
        assertThat(r.registry()).isEqualTo("http://127.0.0.1:5000");
        assertThat(r.namespace()).isEqualTo("guli-test");
        assertThat(r.generated().baseImage()).isEqualTo("eclipse-temurin:21-jre");
        assertThat(r.module()).isEqualTo("renren-fast-vue");
        assertThat(r.dockerfile()).isEqualTo("docker/Dockerfile");
        assertThat(r.jar()).isEqualTo("target/app.jar");
        assertThat(r.saveTo()).isEqualTo("images/admin.tar");
        assertThat(r.push()).isFalse();
    }

    @Test
    void theAllowedBaseImagesComeFromTheGlobalConfigurationOnlyOnePerLine() throws Exception {
        GuliConfiguration g = admins();
        ImageRequest none = request(noPush(), env(Map.of()), g, new FakeCredentialsStore(Map.of()));
        assertThat(none.allowedBaseImages()).isEmpty();

        g.setAllowedBaseImages("atguigumall-base/jre\r\nshared/*\n");
        ImageRequest r = request(noPush(), env(Map.of()), g, new FakeCredentialsStore(Map.of()));
        assertThat(r.allowedBaseImages()).containsExactly("atguigumall-base/jre", "shared/*");
    }

    @Test
    void blankFieldsFallBackToTheGlobalConfigurationAndTheDefaults() throws Exception {
        GuliImageStep step = noPush();
        step.setProjectName(" ");
        step.setRegistry(" ");
        step.setNamespace("");
        step.setBaseImage(" ");
        step.setModule(" ");
        step.setDockerfile("");
        step.setSaveTo(" ");
        ImageRequest r = request(
                step, env(Map.of("PROJECT_NAME", "gulimall-order")), admins(), new FakeCredentialsStore(Map.of()));
        assertThat(r.name()).as("PROJECT_NAME").isEqualTo("gulimall-order");
        assertThat(r.registry()).isEqualTo("registry.cn-hangzhou.aliyuncs.com");
        assertThat(r.namespace()).isEqualTo("atguigumall");
        assertThat(r.generated().baseImage()).isEqualTo("registry.cn-hangzhou.aliyuncs.com/atguigumall/jre:17");
        assertThat(r.module()).isNull();
        assertThat(r.dockerfile()).isNull();
        assertThat(r.saveTo()).isNull();
        assertThat(r.generated().port()).isEqualTo(GeneratedImage.DEFAULT_PORT);
        assertThat(r.generated().profile()).isEqualTo(GeneratedImage.DEFAULT_PROFILE);
        assertThat(r.generated().javaOptions()).isEqualTo(GeneratedImage.DEFAULT_JAVA_OPTIONS);

        GuliConfiguration untouched = GuliBuildStepTest.global(null, null);
        r = request(step, env(Map.of()), untouched, new FakeCredentialsStore(Map.of()));
        assertThat(r.registry()).isEqualTo(RegistryEndpoint.DEFAULT);
        assertThat(r.namespace()).isNull();
        assertThat(r.generated().baseImage()).isEqualTo(GeneratedImage.DEFAULT_BASE_IMAGE);
        assertThat(r.name()).as("no name: ImageBuild says to give projectName").isNull();
    }

    @Test
    void theTagsAreTheSnapshotOfTheBranchAndBuildThenLatestThenTheGivenOnes() throws Exception {
        GuliImageStep step = noPush();
        step.setTags(List.of("v1.2.0"));
        FakeCredentialsStore store = new FakeCredentialsStore(Map.of());
        assertThat(request(step, env(Map.of("BRANCH_NAME", "feature/cart", "BUILD_NUMBER", "42")), admins(), store)
                        .tags())
                .containsExactly("SNAPSHOT-feature-cart-42", "latest", "v1.2.0");
        assertThat(request(
                                step,
                                env(Map.of(
                                        "BRANCH_NAME", "master", "GIT_BRANCH", "origin/release", "BUILD_NUMBER", "7")),
                                admins(),
                                store)
                        .tags())
                .as("BRANCH_NAME first")
                .containsExactly("SNAPSHOT-master-7", "latest", "v1.2.0");
        step.setLatest(false);
        assertThat(request(step, env(Map.of("GIT_BRANCH", "origin/master", "BUILD_NUMBER", "7")), admins(), store)
                        .tags())
                .as("checkout scm's GIT_BRANCH when there is no BRANCH_NAME")
                .containsExactly("SNAPSHOT-master-7", "v1.2.0");

        step.setTags(List.of());
        assertThatThrownBy(() -> request(step, env(Map.of("BUILD_NUMBER", "7")), admins(), store))
                .isInstanceOf(GuliException.class)
                .hasMessageStartingWith("no tag to give the image: the branch or build number is unknown");
    }

    @Test
    void aMissingRegistryCredentialIsNamedWithTheFix() {
        FakeCredentialsStore store = new FakeCredentialsStore(Map.of());
        assertThatThrownBy(() ->
                        request(new GuliImageStep(), env(Map.of("PROJECT_NAME", "gulimall-order")), admins(), store))
                .isInstanceOf(GuliException.class)
                .hasMessage("no credentials with ID 'aliyun-hub-id' (registry) are visible to this build: add "
                        + "'Username with password' credentials with that ID in Manage Jenkins > Credentials (or in the "
                        + "job's folder), or fix the ID");

        GuliImageStep step = new GuliImageStep();
        step.setRegistryCredentialsId("team-hub-id");
        assertThatThrownBy(() -> request(step, env(Map.of()), admins(), store))
                .as("the step's ID wins over the global one")
                .hasMessageStartingWith("no credentials with ID 'team-hub-id' (registry)");
        assertThat(store.lookups)
                .containsExactly(
                        "aliyun-hub-id as StandardUsernamePasswordCredentials for TestRun",
                        "aliyun-hub-id as StandardCredentials for TestRun",
                        "team-hub-id as StandardUsernamePasswordCredentials for TestRun",
                        "team-hub-id as StandardCredentials for TestRun");
    }

    @Test
    void whereTheImageGoesAndWithWhichLoginNeverComeFromTheBuildsEnvironment() throws Exception {
        // what a branch's build could set (withEnv, a script writing env): the registry, namespace and login the
        // admins configured stay theirs, so the registry password cannot be sent elsewhere
        EnvVars env = env(Map.of(
                "PROJECT_NAME", "gulimall-order",
                "REGISTRY", "evil.example.com",
                "DOCKERHUB_NAMESPACE", "evil",
                "DOCKER_CREDENTIAL_ID", "other-team-hub-id",
                "registry", "evil.example.com",
                "namespace", "evil",
                "registryCredentialsId", "other-team-hub-id",
                "baseImage", "evil.example.com/jre:17"));
        FakeCredentialsStore store = new FakeCredentialsStore(Map.of());
        assertThatThrownBy(() -> request(new GuliImageStep(), env, admins(), store))
                .hasMessageStartingWith("no credentials with ID 'aliyun-hub-id' (registry)");
        assertThat(store.lookups).noneMatch(l -> l.startsWith("other-team-hub-id"));

        ImageRequest r = request(noPush(), env, admins(), store);
        assertThat(r.registry()).isEqualTo("registry.cn-hangzhou.aliyuncs.com");
        assertThat(r.namespace()).isEqualTo("atguigumall");
        assertThat(r.generated().baseImage()).isEqualTo("registry.cn-hangzhou.aliyuncs.com/atguigumall/jre:17");
    }

    @Test
    void withoutAPushNoLoginIsLookedUpAndTheDockerCommandGetsTheBuildsEnvironment() throws Exception {
        FakeCredentialsStore store = new FakeCredentialsStore(Map.of());
        ImageRequest r = request(
                noPush(),
                env(Map.of("PROJECT_NAME", "gulimall-order", "DOCKER_HOST", "tcp://docker.example:2376")),
                admins(),
                store);
        assertThat(r.credentials()).isNull();
        assertThat(store.lookups)
                .as("the global login is not handed out when nothing is pushed")
                .isEmpty();
        assertThat(r.env()).containsEntry("DOCKER_HOST", "tcp://docker.example:2376");
    }

    @Test
    void daemonAndTheGeneratedImagesSettingsComeFromTheStep() throws Exception {
        GuliImageStep step = noPush();
        FakeCredentialsStore store = new FakeCredentialsStore(Map.of());
        assertThat(request(step, env(Map.of()), admins(), store).generated().daemon())
                .as("by default a generated image is assembled with no Docker engine")
                .isFalse();
        step.setDaemon(true);
        step.setPort(9000);
        step.setProfile(" ");
        step.setJavaOptions("-Xmx256m");
        GeneratedImage g = request(step, env(Map.of()), admins(), store).generated();
        assertThat(g.daemon()).isTrue();
        assertThat(g.port()).isEqualTo(9000);
        assertThat(g.profile()).as("blank: no profile").isNull();
        assertThat(g.javaOptions()).isEqualTo("-Xmx256m");

        step.setPort(0);
        assertThatThrownBy(() -> request(step, env(Map.of()), admins(), store))
                .hasMessageStartingWith("port 0 is not a TCP port");
    }
}
