package io.github.guli.jenkins;

import static io.github.guli.jenkins.GuliQualityGateResumeTest.deserialize;
import static io.github.guli.jenkins.GuliQualityGateResumeTest.serialize;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import hudson.model.Run;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.github.guli.engine.deploy.Deploy;
import io.github.guli.engine.deploy.DeployRequest;
import io.github.guli.engine.deploy.Kubeconfig;
import io.github.guli.engine.deploy.RolloutState;
import java.io.File;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * guliDeployK8s' rollout wait survives a controller restart: the execution, saved as Pipeline saves the build's
 * program (Java serialization) while the rollout is under way, is read back into a new object whose
 * {@code onResume} looks at the rollout again, against fabric8's mock API server in CRUD mode; the test plays the
 * deployment controller by writing the Deployment's status.
 */
@EnableKubernetesMockClient(crud = true)
class GuliDeployK8sResumeTest {
    /** The kubeconfig each test's "credentials store" holds, by context id: it must not travel with the execution. */
    static final Map<String, String> KUBECONFIGS = new ConcurrentHashMap<>();
    /** How many more calls find the agent not connected yet, by context id (as after a restart, until it is back). */
    static final Map<String, Integer> OFFLINE = new ConcurrentHashMap<>();

    static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: gulimall-auth-server
            spec:
              replicas: 2
              selector:
                matchLabels: {app: gulimall-auth-server}
              template:
                metadata:
                  labels: {app: gulimall-auth-server}
                spec:
                  containers:
                    - name: gulimall-auth-server
                      image: registry.example.com/atguigumall/gulimall-auth-server:${TAG_NAME}
            """;

    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path workspace;

    /** The execution with what only a running Jenkins has: its timer, its credentials store and the agent. */
    static final class OnTestController extends GuliDeployK8sExecution {
        private static final long serialVersionUID = 1L;
        private final String id;
        private final String workspace;

        OnTestController(GuliQualityGateResumeTest.TestContext context, RolloutState applied, String workspace) {
            super(context, "mock-kubeconfig", applied);
            this.id = context.id;
            this.workspace = workspace;
        }

        @Override
        Kubeconfig kubeconfig(Run<?, ?> run) {
            return new Kubeconfig("credentials 'mock-kubeconfig'", KUBECONFIGS.get(id));
        }

        @Override
        <T extends Serializable> T onAgent(EngineOnAgent<T> call) throws Exception {
            if (OFFLINE.getOrDefault(id, 0) > 0) {
                OFFLINE.merge(id, -1, Integer::sum);
                throw new java.io.IOException("Unable to create live FilePath for agent-1"); // as Pipeline says it
            }
            return here(call, workspace);
        }

        @Override
        ScheduledFuture<?> later(Runnable task, Duration delay) {
            return GuliQualityGateResumeTest.TIMER.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Runs an engine call as on the workspace's agent, which is this JVM; fails as {@code runOn} does. */
    static <T extends Serializable> T here(EngineOnAgent<T> call, String workspace) throws Exception {
        return call.invoke(new File(workspace), null).orThrow();
    }

    @Test
    void aRolloutWaitSavedWithTheBuildIsTakenUpAfterARestartAndFinishes() throws Exception {
        String ns = "resume-" + UUID.randomUUID().toString().substring(0, 8);
        String id = deployed(ns);
        RolloutState applied = apply(ns, "v2", 300);
        byte[] saved = serialize(new OnTestController(context(id), applied, workspace.toString()));

        GuliDeployK8sExecution resumed = deserialize(saved);
        OFFLINE.put(id, 1); // the agent reconnects a little after the controller is back
        resumed.onResume();
        available(ns, 2); // the deployment controller finishes the rollout while the build waits

        @SuppressWarnings("unchecked")
        Map<String, Object> out =
                (Map<String, Object>) GuliQualityGateResumeTest.OUTCOMES.get(id).get(1, TimeUnit.MINUTES);
        assertThat(out)
                .containsEntry("rollout", "complete (Deployment " + ns + "/gulimall-auth-server)")
                .containsEntry("changed", java.util.List.of("Deployment " + ns + "/gulimall-auth-server"));
        assertThat(GuliQualityGateResumeTest.CONSOLE)
                .anyMatch(l -> l.equals("[guliDeployK8s] Jenkins restarted while "
                        + "waiting: looking at the rollout of Deployment " + ns + "/gulimall-auth-server on "
                        + server.url("/")
                        + " again"))
                .anyMatch(
                        l -> l.startsWith(
                                "[guliDeployK8s] the workspace's agent, which reaches the cluster, is not "
                                        + "connected (Unable to create live FilePath for agent-1): looking again until the rollout's deadline"));
        assertThat(image(ns)).endsWith(":v2");
        assertThat(new String(saved, StandardCharsets.ISO_8859_1))
                .as("no kubeconfig is saved with the build")
                .doesNotContain(token(id));
    }

    @Test
    void aRolloutWhoseDeadlinePassesAfterTheRestartIsRolledBackToThePreviousRevision() throws Exception {
        String ns = "expire-" + UUID.randomUUID().toString().substring(0, 8);
        String id = deployed(ns);
        RolloutState applied = apply(ns, "v2", 2);
        byte[] saved = serialize(new OnTestController(context(id), applied, workspace.toString()));

        GuliDeployK8sExecution resumed = deserialize(saved);
        resumed.onResume();

        assertThatThrownBy(() -> GuliQualityGateResumeTest.OUTCOMES.get(id).get(1, TimeUnit.MINUTES))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(AbortException.class)
                .hasMessageStartingWith("[guliDeployK8s] the rollout did not finish within 2s (timeout): Deployment "
                        + ns + "/gulimall-auth-server")
                .hasMessageEndingWith("; rolled back: restored Deployment " + ns + "/gulimall-auth-server");
        assertThat(image(ns)).endsWith(":v1");
        assertThat(new String(saved, StandardCharsets.ISO_8859_1)).doesNotContain(token(id));
    }

    @Test
    void anAbortAfterTheRestartRollsBackThenEndsTheStepWithTheAbort() throws Exception {
        String ns = "abort-" + UUID.randomUUID().toString().substring(0, 8);
        String id = deployed(ns);
        RolloutState applied = apply(ns, "v2", 300);
        GuliDeployK8sExecution resumed = savedAndReadBack(id, applied);
        resumed.onResume();
        InterruptedException abort = new InterruptedException("aborted by a user");
        resumed.stop(abort);

        assertThatThrownBy(() -> GuliQualityGateResumeTest.OUTCOMES.get(id).get(1, TimeUnit.MINUTES))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isSameAs(abort);
        assertThat(image(ns)).endsWith(":v1");
        assertThat(GuliQualityGateResumeTest.CONSOLE)
                .anyMatch(l -> l.equals("[guliDeployK8s] the build was aborted "
                        + "while waiting for the rollout; rolled back: restored Deployment " + ns
                        + "/gulimall-auth-server"));
    }

    @Test
    void whenTheAgentDoesNotComeBackTheControllerRollsBackWithTheCredentialsKubeconfig() throws Exception {
        String ns = "gone-" + UUID.randomUUID().toString().substring(0, 8);
        String id = deployed(ns);
        RolloutState applied = apply(ns, "v2", 2);
        GuliDeployK8sExecution resumed = savedAndReadBack(id, applied);
        OFFLINE.put(id, Integer.MAX_VALUE); // the agent never reconnects
        resumed.onResume();

        assertThatThrownBy(() -> GuliQualityGateResumeTest.OUTCOMES.get(id).get(1, TimeUnit.MINUTES))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(AbortException.class)
                .hasMessage(
                        "[guliDeployK8s] the rollout's deadline passed while the workspace's agent was not connected "
                                + "(Unable to create live FilePath for agent-1); rolled back: restored Deployment " + ns
                                + "/gulimall-auth-server");
        assertThat(image(ns)).endsWith(":v1");
        assertThat(GuliQualityGateResumeTest.CONSOLE)
                .contains("[guliDeployK8s] the workspace's agent is not connected "
                        + "(Unable to create live FilePath for agent-1): rolling back from the controller");
    }

    /**
     * The kubeconfig's credentials were replaced by a broken file while the controller was down: the look fails on
     * the agent, so does the rollback, and the failure names the error for each, with the step's prefix once.
     */
    @Test
    void whenNeitherTheLookNorTheRollbackCanReachTheClusterTheFailureSaysSoWithThePrefixOnce() throws Exception {
        String ns = "broken-" + UUID.randomUUID().toString().substring(0, 8);
        String id = deployed(ns);
        RolloutState applied = apply(ns, "v2", 300);
        GuliDeployK8sExecution resumed = savedAndReadBack(id, applied);
        KUBECONFIGS.put(id, "apiVersion: v1\nkind: Config\n");
        resumed.onResume();

        String broken = "the kubeconfig from credentials 'mock-kubeconfig' is not a kubeconfig: it has no clusters or "
                + "contexts; store the whole file that kubectl uses (apiVersion: v1, kind: Config, clusters, users, "
                + "contexts)";
        assertThatThrownBy(() -> GuliQualityGateResumeTest.OUTCOMES.get(id).get(1, TimeUnit.MINUTES))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(AbortException.class)
                .hasMessage("[guliDeployK8s] " + broken + "; NOT ROLLED BACK (" + broken + "): check by hand what "
                        + "this deploy created [] and changed [Deployment " + ns + "/gulimall-auth-server]");
        assertThat(image(ns)).endsWith(":v2");
    }

    /**
     * The execution's class name is in every saved build waiting for a rollout: read back under that name, it is
     * the same execution (a rename would leave such builds unable to resume; see docs/releases.md).
     */
    @Test
    void aSavedRolloutWaitIsReadBackAsAGuliDeployK8sExecution() throws Exception {
        String ns = "name-" + UUID.randomUUID().toString().substring(0, 8);
        String id = deployed(ns);
        byte[] saved = serialize(new GuliDeployK8sExecution(context(id), "mock-kubeconfig", apply(ns, "v2", 300)));

        assertThat(new String(saved, StandardCharsets.ISO_8859_1))
                .contains("io.github.guli.jenkins.GuliDeployK8sExecution")
                .doesNotContain("GuliDeployK8sStep$Execution");
        Object resumed = deserialize(saved);
        assertThat(resumed).isExactlyInstanceOf(GuliDeployK8sExecution.class);
        assertThat(((GuliDeployK8sExecution) resumed).getStatus())
                .isEqualTo("waiting for the rollout of Deployment " + ns + "/gulimall-auth-server on " + server.url("/")
                        + ": " + apply(ns, "v2", 300).last().message());
    }

    /** The kubeconfig is not saved: read back after a restart, the execution looks it up again to mask its token. */
    @Test
    void theControllersLinesAndFailuresMaskTheKubeconfigsTokenAfterARestart() throws Exception {
        String ns = "mask-" + UUID.randomUUID().toString().substring(0, 8);
        String id = deployed(ns);
        RolloutState applied = apply(ns, "v2", 300);
        GuliDeployK8sExecution resumed = savedAndReadBack(id, applied);

        resumed.log().info("the cluster answered: bad token " + token(id));

        assertThat(GuliQualityGateResumeTest.CONSOLE)
                .contains("[guliDeployK8s] the cluster answered: bad token ****")
                .noneMatch(l -> l.contains(token(id)));
        assertThat(resumed.masked("rollback failed: " + token(id))).isEqualTo("rollback failed: ****");
    }

    /** The execution waiting for {@code applied}, saved with the build and read back, as after a restart. */
    private GuliDeployK8sExecution savedAndReadBack(String id, RolloutState applied) throws Exception {
        return deserialize(serialize(new OnTestController(context(id), applied, workspace.toString())));
    }

    /** Version v1 of the service, rolled out; returns the id of the test's step context. */
    private String deployed(String ns) throws Exception {
        String id = UUID.randomUUID().toString();
        GuliQualityGateResumeTest.OUTCOMES.put(id, new CompletableFuture<>());
        KUBECONFIGS.put(id, """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: mock
                    cluster: {server: '%s', insecure-skip-tls-verify: true}
                users:
                  - name: ci
                    user: {token: %s}
                contexts:
                  - name: mock
                    context: {cluster: mock, user: ci, namespace: %s}
                current-context: mock
                """.formatted(server.url("/"), token(id), ns));
        Files.createDirectories(workspace.resolve("gulimall-auth-server/deploy"));
        Files.writeString(workspace.resolve("gulimall-auth-server/deploy/deployment.yaml"), DEPLOYMENT);
        new Deploy(line -> {}, line -> {})
                .run(request(id, "v1").timeoutSeconds(300).waitForRollout(false));
        available(ns, 1);
        return id;
    }

    private RolloutState apply(String ns, String tag, int timeoutSeconds) {
        return new Deploy(line -> {}, line -> {}).apply(request(idOf(ns), tag).timeoutSeconds(timeoutSeconds));
    }

    private String idOf(String ns) {
        return KUBECONFIGS.entrySet().stream()
                .filter(e -> e.getValue().contains("namespace: " + ns + "}"))
                .findFirst()
                .orElseThrow()
                .getKey();
    }

    /** The auth server's manifests with image tag {@code tag}, to the cluster of kubeconfig {@code id}. */
    private DeployRequest request(String id, String tag) {
        return new DeployRequest()
                .workspace(workspace.toString())
                .configs("gulimall-auth-server/deploy/**")
                .env(Map.of("TAG_NAME", tag))
                .kubeconfig(new Kubeconfig("credentials 'mock-kubeconfig'", KUBECONFIGS.get(id)));
    }

    /** What the deployment controller writes once generation {@code generation} is rolled out. */
    private void available(String ns, long generation) {
        Deployment d = client.apps()
                .deployments()
                .inNamespace(ns)
                .withName("gulimall-auth-server")
                .get();
        assertThat(d.getMetadata().getGeneration()).isEqualTo(generation);
        d.setStatus(new DeploymentStatusBuilder()
                .withObservedGeneration(generation)
                .withReplicas(2)
                .withUpdatedReplicas(2)
                .withReadyReplicas(2)
                .withAvailableReplicas(2)
                .build());
        client.apps().deployments().inNamespace(ns).resource(d).updateStatus();
    }

    private String image(String ns) {
        return client.apps()
                .deployments()
                .inNamespace(ns)
                .withName("gulimall-auth-server")
                .get()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getImage();
    }

    private static String token(String id) {
        return "kube-token-" + id;
    }

    private static GuliQualityGateResumeTest.TestContext context(String id) {
        return new GuliQualityGateResumeTest.TestContext(id);
    }
}
