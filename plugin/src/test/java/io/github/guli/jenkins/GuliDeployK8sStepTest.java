package io.github.guli.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import hudson.AbortException;
import hudson.FilePath;
import io.github.guli.engine.deploy.DeployRequest;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How guliDeployK8s resolves its parameters when it starts, in dry runs: which manifests, substituted from the
 * build's environment. (A dry run reads neither the global configuration nor credentials: here, where the stand-ins
 * cannot give either, a lookup would fail the test.)
 */
class GuliDeployK8sStepTest {
    @TempDir
    Path workspace;

    /** The execution with the workspace's agent in this JVM. */
    static final class Here extends GuliDeployK8sExecution {
        private static final long serialVersionUID = 1L;
        private final String workspace;

        Here(GuliDeployK8sStep step, StepContext context, String workspace) {
            super(step, context);
            this.workspace = workspace;
        }

        @Override
        <T extends Serializable> T onAgent(EngineOnAgent<T> call) throws Exception {
            return GuliDeployK8sResumeTest.here(call, workspace);
        }
    }

    /** Starts a dry run of {@code step} with the build's environment {@code env}; returns what the step returned. */
    private Map<String, Object> dryRun(GuliDeployK8sStep step, Map<String, String> env) throws Exception {
        step.setDryRun(true);
        String id = UUID.randomUUID().toString();
        GuliQualityGateResumeTest.OUTCOMES.put(id, new CompletableFuture<>());
        FilePath ws = mock(FilePath.class);
        when(ws.getRemote()).thenReturn(workspace.toString());
        assertThat(new Here(
                                step,
                                new GuliQualityGateResumeTest.TestContext(id, ws, GuliBuildStepTest.env(env)),
                                workspace.toString())
                        .start())
                .as("a dry run ends in start")
                .isTrue();
        @SuppressWarnings("unchecked")
        Map<String, Object> out =
                (Map<String, Object>) GuliQualityGateResumeTest.OUTCOMES.get(id).get(1, TimeUnit.MINUTES);
        return out;
    }

    private void manifest(String dir, String tag) throws Exception {
        Files.createDirectories(workspace.resolve(dir));
        Files.writeString(
                workspace.resolve(dir).resolve("deployment.yaml"),
                GuliDeployK8sResumeTest.DEPLOYMENT.replace("${TAG_NAME}", tag));
    }

    private static List<String> consoleWith(String text) {
        synchronized (GuliQualityGateResumeTest.CONSOLE) {
            return GuliQualityGateResumeTest.CONSOLE.stream()
                    .filter(l -> l.contains(text))
                    .toList();
        }
    }

    @Test
    void theManifestsArePROJECT_NAMEsDeployFolderSubstitutedFromTheBuildsEnvironment() throws Exception {
        String tag = "SNAPSHOT-master-" + UUID.randomUUID().toString().substring(0, 8);
        manifest("gulimall-auth-server/deploy", "${TAG_NAME}");
        Map<String, Object> out =
                dryRun(new GuliDeployK8sStep(), Map.of("PROJECT_NAME", "gulimall-auth-server", "TAG_NAME", tag));
        assertThat(out)
                .containsEntry("dryRun", true)
                .containsEntry("created", List.of())
                .containsEntry("rollout", "1 object valid, nothing applied");
        assertThat(consoleWith("image: registry.example.com/atguigumall/gulimall-auth-server:" + tag))
                .hasSize(1);
    }

    @Test
    void projectNameOverridesPROJECT_NAMEAndConfigsOverrideBoth() throws Exception {
        String tag = "v-" + UUID.randomUUID().toString().substring(0, 8);
        manifest("gulimall-member/deploy", tag + "-member");
        manifest("k8s/auth", tag + "-configs");
        GuliDeployK8sStep step = new GuliDeployK8sStep();
        step.setProjectName("gulimall-member");
        dryRun(step, Map.of("PROJECT_NAME", "gulimall-auth-server"));
        assertThat(consoleWith(tag + "-member")).hasSize(1);

        step.setConfigs("k8s/**");
        dryRun(step, Map.of("PROJECT_NAME", "gulimall-auth-server"));
        assertThat(consoleWith(tag + "-configs")).hasSize(1);
        assertThat(consoleWith(tag + "-member"))
                .as("the project's folder is not read when configs are given")
                .hasSize(1);
    }

    @Test
    void withoutConfigsNorAProjectNameTheStepSaysWhatToGive() {
        assertThatThrownBy(() -> dryRun(new GuliDeployK8sStep(), Map.of()))
                .isInstanceOf(AbortException.class)
                .hasMessage("[guliDeployK8s] no manifests given: pass configs (e.g. configs: 'gulimall-auth-server/"
                        + "deploy/**') or projectName, or set PROJECT_NAME: <PROJECT_NAME>/deploy/** is the default");
    }

    @Test
    void theTimeoutIsInSecondsAndANonPositiveOneIsTheDefault() {
        GuliDeployK8sStep step = new GuliDeployK8sStep();
        assertThat(step.getTimeout()).isEqualTo(DeployRequest.DEFAULT_TIMEOUT_SECONDS);
        step.setTimeout(120);
        assertThat(step.getTimeout()).isEqualTo(120);
        step.setTimeout(0);
        assertThat(step.getTimeout()).isEqualTo(DeployRequest.DEFAULT_TIMEOUT_SECONDS);
        step.setTimeout(-5);
        assertThat(step.getTimeout()).isEqualTo(DeployRequest.DEFAULT_TIMEOUT_SECONDS);
        assertThat(step.isWait()).isTrue();
        assertThat(step.isRollbackOnFailure()).isTrue();
        assertThat(step.isEnableConfigSubstitution()).isTrue();
    }
}
