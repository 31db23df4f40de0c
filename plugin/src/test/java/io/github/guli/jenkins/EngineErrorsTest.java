package io.github.guli.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.when;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.MockedStatic;

/**
 * An engine error, on the workspace's agent or on the controller, reaches the build as an {@link AbortException}
 * whose message is the step's prefix once, then the engine's message: each step's real execution, started as
 * Pipeline starts it, with the workspace's agent in this JVM.
 */
class EngineErrorsTest {
    @TempDir
    Path workspace;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private MockedStatic<GuliConfiguration> configuration;
    private final GuliConfiguration global = GuliBuildStepTest.global(null, null);

    @BeforeEach
    void admins() {
        configuration = mockStatic(GuliConfiguration.class);
        configuration.when(GuliConfiguration::get).thenReturn(global);
    }

    @AfterEach
    void closeConfiguration() {
        configuration.close();
    }

    /** The step's context: the run, its console, the workspace on an agent that is this JVM, the environment. */
    private StepContext context(Map<String, String> env, boolean inNode) throws Exception {
        FilePath ws = inNode ? here() : null;
        StepContext c = mock(StepContext.class);
        TestRun run = spy(new TestRun());
        TestRun.TestJob job = mock(TestRun.TestJob.class);
        when(job.getFullName()).thenReturn("shop");
        doReturn(job).when(run).getParent();
        when(c.get(Run.class)).thenReturn(run);
        when(c.get(TaskListener.class))
                .thenReturn((TaskListener) () -> new PrintStream(console, true, StandardCharsets.UTF_8));
        when(c.get(EnvVars.class)).thenReturn(GuliBuildStepTest.env(env));
        when(c.get(Launcher.class)).thenReturn(mock(Launcher.class));
        when(c.get(FilePath.class)).thenReturn(ws);
        return c;
    }

    /** The workspace as a FilePath whose agent is this JVM. */
    private FilePath here() throws Exception {
        FilePath ws = mock(FilePath.class);
        VirtualChannel channel = mock(VirtualChannel.class);
        when(channel.export(eq(LaunchService.class), any())).thenAnswer(a -> a.getArgument(1));
        when(ws.getChannel()).thenReturn(channel);
        when(ws.getRemote()).thenReturn(workspace.toString());
        when(ws.act(any()))
                .thenAnswer(a -> ((FilePath.FileCallable<?>) a.getArgument(0)).invoke(workspace.toFile(), null));
        return ws;
    }

    /** The step fails with {@code prefix} once, then {@code message}. */
    private static void failsOnce(ThrowingCallable step, String prefix, String message) {
        assertThatThrownBy(step)
                .isInstanceOf(AbortException.class)
                .hasMessage(prefix + message)
                .satisfies(e -> assertThat(e.getMessage().split(java.util.regex.Pattern.quote(prefix), -1))
                        .as("the prefix once")
                        .hasSize(2));
    }

    /** What the engine says of a workspace without a checkout. */
    private String noPom() {
        return "no pom.xml in " + workspace + ": check out the repository first (checkout scm, or give the step a "
                + "repository URL), or point the build at the directory holding the root pom.xml";
    }

    @Test
    void guliBuildWithoutAPomOnTheAgent() throws Exception {
        GuliBuildStep step = new GuliBuildStep();
        step.setModule("gulimall-order");
        StepContext c = context(Map.of(), true);
        failsOnce(() -> new GuliBuildStep.Execution(step, c).run(c), GuliBuildStep.PREFIX, noPom());
    }

    @Test
    void guliImageWithoutTheJarOnTheAgent() throws Exception {
        GuliImageStep step = new GuliImageStep();
        step.setPush(false);
        step.setRegistry("http://127.0.0.1:5000");
        step.setNamespace("guli-test");
        step.setProjectName("gulimall-order-" + UUID.randomUUID().toString().substring(0, 8));
        StepContext c = context(Map.of("BRANCH_NAME", "master", "BUILD_NUMBER", "7"), true);
        failsOnce(
                () -> new GuliImageStep.Execution(step, c).run(c),
                GuliImageStep.PREFIX,
                "no Dockerfile in " + workspace + " and no Spring Boot jar in " + workspace + "/target: add a "
                        + "Dockerfile to the module, or build it first (guliBuild, or mvn package with "
                        + "spring-boot-maven-plugin) so that target/ holds its Spring Boot jar");
    }

    @Test
    void guliReleaseOfAnImageThatWasNeverBuilt() throws Exception {
        GuliReleaseStep step = new GuliReleaseStep();
        step.setRegistry("http://127.0.0.1:5000");
        step.setNamespace("guli-test");
        step.setGitRemote(System.getenv("GULI_TEST_GIT_URL") + "/none.git");
        String service = "gulimall-none-" + UUID.randomUUID().toString().substring(0, 8);
        StepContext c = context(
                Map.of(
                        "PROJECT_NAME", service,
                        "PROJECT_VERSION", "v1.0.0",
                        "BRANCH_NAME", "master",
                        "BUILD_NUMBER", "7"),
                true);
        failsOnce(
                () -> new GuliReleaseStep.Execution(step, c).run(c),
                GuliReleaseStep.PREFIX,
                "registry 127.0.0.1:5000 requires a login: give registry credentials (a username/password "
                        + "credentials ID, or GULI_REGISTRY_USERNAME/GULI_REGISTRY_PASSWORD)");
    }

    @Test
    void guliReleaseWithoutABranchOnTheController() throws Exception {
        GuliReleaseStep step = new GuliReleaseStep();
        step.setRegistry("http://127.0.0.1:5000");
        step.setGitRemote("http://127.0.0.1:8929/shop.git");
        StepContext c = context(Map.of("PROJECT_NAME", "gulimall-order", "PROJECT_VERSION", "v1.0.0"), true);
        failsOnce(
                () -> new GuliReleaseStep.Execution(step, c).run(c),
                GuliReleaseStep.PREFIX,
                "cannot tell which image tag to release: BRANCH_NAME is not set (not a multibranch job). Give "
                        + "sourceTag, e.g. guliRelease(sourceTag: 'SNAPSHOT-master-' + env.BUILD_NUMBER)");
    }

    @Test
    void guliProvisionWithABadSettingOnTheAgent() throws Exception {
        GuliProvisionStep step = new GuliProvisionStep();
        step.setDryRun(true);
        step.setSettings(Map.of("redis.nodes", "many"));
        StepContext c = context(Map.of(), true);
        failsOnce(
                () -> new GuliProvisionStep.Execution(step, c).run(c),
                GuliProvisionStep.PREFIX,
                "provision settings: redis.nodes='many' is not a whole number");
    }

    @Test
    void guliSettingsAfterCheckoutReadsTheBranchsPomOnTheAgentAndRefusesOneAboveTheLimit() throws Exception {
        Path pom = Files.writeString(
                workspace.resolve("pom.xml"),
                "<project><artifactId>x</artifactId><!--" + "x".repeat(600 * 1024) + "--></project>");
        GuliSettingsStep step = new GuliSettingsStep();
        step.setScm(Map.of("GIT_COMMIT", "abc"));
        StepContext c = context(Map.of(), true);
        failsOnce(
                () -> new GuliSettingsStep.Execution(step, c).run(c),
                GuliSettingsStep.PREFIX,
                pom + " is larger than 512 KB: a pom.xml of the branch is refused unread beyond that; make it smaller");
    }

    @Test
    void guliSettingsComparingChangesOutsideNode() throws Exception {
        GuliSettingsStep step = new GuliSettingsStep();
        step.setScm(Map.of("GIT_COMMIT", "abc"));
        StepContext c = context(Map.of("PROJECT_NAME", "(changed)"), false);
        failsOnce(
                () -> new GuliSettingsStep.Execution(step, c).run(c),
                GuliSettingsStep.PREFIX,
                "PROJECT_NAME (changed) compares the commits in the workspace: call guliSettings inside node, after "
                        + "checkout");
    }

    @Test
    void guliQualityGateWithoutAnAnalysisInTheWorkspace() throws Exception {
        GuliQualityGateStep step = new GuliQualityGateStep();
        step.setProjectKey("guli-none");
        step.setSonarUrl("http://127.0.0.1:9000");
        StepContext c = context(Map.of("PROJECT_NAME", "gulimall-order"), true);
        failsOnce(() -> new GuliQualityGateExecution(step, c).start(), GuliQualityGateStep.PREFIX, noPom());
    }

    @Test
    void guliDeployK8sWithAnInvalidManifestOnTheAgent() throws Exception {
        Files.createDirectories(workspace.resolve("gulimall-order/deploy"));
        Files.writeString(workspace.resolve("gulimall-order/deploy/deployment.yaml"), "kind: Deployment\n");
        GuliDeployK8sStep step = new GuliDeployK8sStep();
        step.setDryRun(true);
        StepContext c = context(Map.of("PROJECT_NAME", "gulimall-order"), true);
        failsOnce(
                () -> new GuliDeployK8sExecution(step, c).start(),
                GuliDeployK8sStep.PREFIX,
                "the manifests have 1 error (listed above): nothing was applied; fix them and run again");
    }
}
