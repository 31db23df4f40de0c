package io.github.guli.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.github.guli.engine.GuliException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole deploy through the real fabric8 client, against fabric8's mock API server in CRUD mode (it stores
 * objects like an API server but runs no controller); {@link FakeController} writes Deployment status as the
 * deployment controller would. The client is made from a kubeconfig, as in a build.
 */
@EnableKubernetesMockClient(crud = true)
class DeployMockServerTest {
    /** The mock server logs every request; kept here so the setting is not collected with its logger. */
    private static final java.util.logging.Logger MOCK_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    static final String APP = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: gulimall-auth-server
              labels: {app: gulimall-auth-server}
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
                      image: $REGISTRY/atguigumall/gulimall-auth-server:${TAG_NAME}
                      resources:
                        requests: {cpu: 10m, memory: 10Mi}
                        limits: {cpu: 1000m, memory: 500Mi}
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: gulimall-auth-server
            spec:
              type: NodePort
              selector: {app: gulimall-auth-server}
              ports:
                - {name: http, port: 8080, targetPort: 8080, nodePort: 31001}
            """;
    static final String CONFIG = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: gulimall-auth-server-config
            data:
              SPRING_PROFILES_ACTIVE: prod
            """;

    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path workspace;

    final List<String> log = Collections.synchronizedList(new ArrayList<>());

    private String kubeconfig(String namespace) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: mock
                    cluster:
                      server: %s
                      insecure-skip-tls-verify: true
                users:
                  - name: ci
                    user:
                      token: not-checked-by-the-mock
                contexts:
                  - name: mock
                    context: {cluster: mock, user: ci, namespace: %s}
                current-context: mock
                """.formatted(server.url("/"), namespace);
    }

    /** The auth server's manifests with image tag {@code tag}, into {@code namespace}; waits up to 30s. */
    private DeployRequest request(String namespace, String tag) {
        return new DeployRequest()
                .workspace(workspace.toString())
                .configs("gulimall-auth-server/deploy/**")
                .env(Map.of("REGISTRY", "registry.cn-hangzhou.aliyuncs.com", "TAG_NAME", tag))
                .kubeconfig(new Kubeconfig("credentials 'mock-kubeconfig'", kubeconfig(namespace)))
                .timeoutSeconds(30);
    }

    private Deploy engine() {
        return new Deploy(log::add, log::add, Duration.ofMillis(100));
    }

    /** The state as another process gets it: written with Java serialization and read back. */
    static RolloutState readBack(byte[] saved) throws Exception {
        try (var in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(saved))) {
            return (RolloutState) in.readObject();
        }
    }

    static byte[] save(RolloutState state) throws Exception {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(state);
        }
        return bytes.toByteArray();
    }

    /**
     * Where each test of a failing second deploy starts: v1.0.0 rolled out in {@code ns}, then the controller in mode
     * {@code next} and the next version's manifests (with a new ConfigMap) in place. The caller closes the controller.
     */
    private FakeController v1RolledOutThen(String ns, FakeController.Mode next) throws Exception {
        manifests(APP);
        FakeController controller = new FakeController(client, ns, FakeController.Mode.ROLL_OUT);
        try {
            engine().run(request(ns, "v1.0.0"));
            controller.mode(next);
            manifests(APP, CONFIG);
            return controller;
        } catch (Exception | Error e) {
            controller.close();
            throw e;
        }
    }

    private void manifests(String... docs) throws Exception {
        Path dir = Files.createDirectories(workspace.resolve("gulimall-auth-server/deploy"));
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        for (int i = 0; i < docs.length; i++) {
            Files.writeString(dir.resolve(i + ".yaml"), docs[i]);
        }
    }

    private Deployment deployment(String ns) {
        return client.apps()
                .deployments()
                .inNamespace(ns)
                .withName("gulimall-auth-server")
                .get();
    }

    private static String image(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    @Test
    void createsWaitsForTheRolloutThenFindsNothingToChangeThenRollsANewTagOut() throws Exception {
        manifests(APP);
        try (FakeController controller = new FakeController(client, "first", FakeController.Mode.ROLL_OUT)) {
            DeployResult r = engine().run(request("first", "SNAPSHOT-master-1"));
            assertThat(r.created())
                    .containsExactly("Service first/gulimall-auth-server", "Deployment first/gulimall-auth-server");
            assertThat(r.rollout()).startsWith("complete");
            assertThat(log)
                    .anyMatch(l ->
                            l.startsWith("waiting up to 30s for the rollout of Deployment first/gulimall-auth-server"))
                    .anyMatch(
                            l -> l.matches(
                                    "Deployment first/gulimall-auth-server: (waiting for the controller to see the "
                                            + "new spec|0 of 2 new replicas updated, 0 available|0 of 2 updated replicas available) \\(\\d+s\\)"))
                    .anyMatch(l -> l.contains("Deployment first/gulimall-auth-server: rolled out, 2/2 available"))
                    .anyMatch(l -> l.startsWith("created: Service first/gulimall-auth-server, Deployment "
                            + "first/gulimall-auth-server; changed: none; unchanged: none; rollout: complete"));
            assertThat(client.services()
                            .inNamespace("first")
                            .withName("gulimall-auth-server")
                            .get()
                            .getSpec()
                            .getPorts()
                            .get(0)
                            .getNodePort())
                    .isEqualTo(31001);

            DeployResult again = engine().run(request("first", "SNAPSHOT-master-1"));
            assertThat(again.created()).isEmpty();
            assertThat(again.changed()).isEmpty();
            assertThat(again.unchanged())
                    .containsExactly("Service first/gulimall-auth-server", "Deployment first/gulimall-auth-server");

            DeployResult next = engine().run(request("first", "SNAPSHOT-master-2"));
            assertThat(next.changed()).containsExactly("Deployment first/gulimall-auth-server");
            assertThat(next.unchanged()).containsExactly("Service first/gulimall-auth-server");
            assertThat(next.rollout()).startsWith("complete");
            assertThat(image(deployment("first"))).endsWith(":SNAPSHOT-master-2");
            assertThat(deployment("first").getMetadata().getGeneration()).isEqualTo(2L);
            assertThat(controller.writes).anyMatch(w -> w.startsWith("gulimall-auth-server gen 2"));
        }
    }

    @Test
    void aRolloutPastItsDeadlineIsRolledBackAndTheFailureNamesThePodsReason() throws Exception {
        try (FakeController controller = v1RolledOutThen("stall", FakeController.Mode.STALL_PAST_DEADLINE)) {

            assertThatThrownBy(() -> engine().run(request("stall", "v1.0.1")))
                    .isInstanceOf(GuliException.class)
                    .hasMessageContaining("Deployment stall/gulimall-auth-server exceeded its progress deadline "
                            + "(ProgressDeadlineExceeded")
                    .hasMessageContaining("container gulimall-auth-server: ImagePullBackOff (Back-off pulling image "
                            + "\"registry.cn-hangzhou.aliyuncs.com/atguigumall/gulimall-auth-server:v1.0.1\")")
                    .hasMessageContaining(
                            "rolled back: restored Deployment stall/gulimall-auth-server, deleted ConfigMap "
                                    + "stall/gulimall-auth-server-config");
        }
        assertThat(image(deployment("stall"))).endsWith(":v1.0.0");
        assertThat(client.configMaps()
                        .inNamespace("stall")
                        .withName("gulimall-auth-server-config")
                        .get())
                .isNull();
        assertThat(client.services()
                        .inNamespace("stall")
                        .withName("gulimall-auth-server")
                        .get())
                .isNotNull();
        assertThat(log)
                .contains(
                        "rolling back what this deploy changed",
                        "rolled back: restored Deployment stall/gulimall-auth-server to its state before this deploy");
    }

    @Test
    void anAbortDuringTheRolloutWaitStillRollsBackAndKeepsTheInterrupt() throws Exception {
        try (FakeController controller = v1RolledOutThen("abort", FakeController.Mode.HANG)) {

            java.util.concurrent.atomic.AtomicReference<Throwable> failure =
                    new java.util.concurrent.atomic.AtomicReference<>();
            java.util.concurrent.atomic.AtomicBoolean stillInterrupted =
                    new java.util.concurrent.atomic.AtomicBoolean();
            int before = log.size();
            Thread build = new Thread(
                    () -> {
                        try {
                            engine().run(request("abort", "v1.0.1").timeoutSeconds(300));
                        } catch (Throwable t) {
                            failure.set(t);
                        }
                        stillInterrupted.set(Thread.currentThread().isInterrupted());
                    },
                    "aborted-build");
            build.start();
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < until
                    && new ArrayList<>(log)
                            .stream().skip(before).noneMatch(l -> l.startsWith("waiting up to 300s for the rollout"))) {
                Thread.onSpinWait();
            }
            build.interrupt(); // what Jenkins does to the step's thread when the build is aborted
            build.join(Duration.ofSeconds(60).toMillis());

            assertThat(build.isAlive()).as("the rollback is bounded in time").isFalse();
            assertThat(failure.get())
                    .isInstanceOf(GuliException.class)
                    .hasMessageContaining("interrupted (aborted) while waiting for the rollout")
                    .hasMessageContaining(
                            "rolled back: restored Deployment abort/gulimall-auth-server, deleted ConfigMap "
                                    + "abort/gulimall-auth-server-config")
                    .hasMessageNotContaining("ROLLBACK FAILED");
            assertThat(stillInterrupted).as("the abort is not swallowed").isTrue();
        }
        assertThat(image(deployment("abort"))).endsWith(":v1.0.0");
        assertThat(client.configMaps()
                        .inNamespace("abort")
                        .withName("gulimall-auth-server-config")
                        .get())
                .isNull();
        assertThat(log)
                .contains(
                        "rolled back: restored Deployment abort/gulimall-auth-server to its state before this deploy",
                        "rolled back: deleted ConfigMap abort/gulimall-auth-server-config (created by this deploy)");
    }

    @Test
    void aRolloutThatNeverFinishesTimesOutAndWhatItCreatedIsDeleted() throws Exception {
        manifests(APP);
        try (FakeController controller = new FakeController(client, "hang", FakeController.Mode.HANG)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> engine().run(request("hang", "v1.0.0").timeoutSeconds(2)))
                    .hasMessageContaining("the rollout did not finish within 2s (timeout): Deployment "
                            + "hang/gulimall-auth-server (0 of 2 new replicas updated, 0 available)")
                    .hasMessageContaining("rolled back: deleted Deployment hang/gulimall-auth-server, deleted Service "
                            + "hang/gulimall-auth-server");
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isBetween(Duration.ofSeconds(2), Duration.ofSeconds(20));
        }
        assertThat(deployment("hang")).isNull();
        assertThat(client.services()
                        .inNamespace("hang")
                        .withName("gulimall-auth-server")
                        .get())
                .isNull();
    }

    @Test
    void withoutRollbackTheFailureSaysWhatWasLeft() throws Exception {
        manifests(APP);
        try (FakeController controller = new FakeController(client, "keep", FakeController.Mode.HANG)) {
            assertThatThrownBy(() -> engine().run(
                                    request("keep", "v1.0.0").timeoutSeconds(1).rollbackOnFailure(false)))
                    .hasMessageContaining("did not finish within 1s")
                    .hasMessageContaining("left as applied (rollbackOnFailure: false): [created Service "
                            + "keep/gulimall-auth-server, created Deployment keep/gulimall-auth-server]");
        }
        assertThat(deployment("keep")).isNotNull();
    }

    @Test
    void withoutWaitingTheRolloutIsNotLookedAt() throws Exception {
        manifests(APP);
        DeployRequest r = request("nowait", "v1.0.0")
                .configs("gulimall-auth-server/deploy/")
                .waitForRollout(false)
                .timeoutSeconds(1);
        DeployResult result = new Deploy(log::add, log::add, Duration.ofMillis(100)).run(r);
        assertThat(result.rollout()).isEqualTo("not waited for (wait: false)");
        assertThat(result.created()).hasSize(2);
    }

    @Test
    void theNamespaceParameterPlacesObjectsWithoutOne() throws Exception {
        manifests(CONFIG);
        DeployRequest r = request("from-context", "v1.0.0")
                .configs("gulimall-auth-server/deploy/*.yaml")
                .substitute(false)
                .context("mock")
                .namespace("given")
                .timeoutSeconds(5);
        DeployResult result = new Deploy(log::add, log::add, Duration.ofMillis(100)).run(r);
        assertThat(result.created()).containsExactly("ConfigMap given/gulimall-auth-server-config");
        assertThat(result.rollout()).isEqualTo("no Deployment, StatefulSet or DaemonSet to wait for");
        assertThat(client.configMaps()
                        .inNamespace("given")
                        .withName("gulimall-auth-server-config")
                        .get())
                .isNotNull();
    }

    @Test
    void aSavedStateIsLookedAtOnceAtATimeUntilTheRolloutCompletes() throws Exception {
        try (FakeController controller = v1RolledOutThen("poll", FakeController.Mode.HANG)) {
            DeployRequest r = request("poll", "v1.0.1");
            RolloutState applied = engine().apply(r);
            assertThat(engine().poll(applied, r.kubeconfig()).state()).isEqualTo(Rollout.State.PROGRESSING);
            assertThat(applied.deadlineMillis())
                    .isBetween(System.currentTimeMillis() + 20_000, System.currentTimeMillis() + 30_000);

            byte[] saved = save(applied.withoutSecrets());
            assertThat(new String(saved, java.nio.charset.StandardCharsets.ISO_8859_1))
                    .as("no kubeconfig is saved")
                    .doesNotContain("not-checked-by-the-mock");
            RolloutState resumed = readBack(saved);
            assertThat(resumed.deadlineMillis()).isEqualTo(applied.deadlineMillis());
            controller.mode(FakeController.Mode.ROLL_OUT);
            Rollout.Status st = pollUntilDone(resumed, r.kubeconfig());

            assertThat(st.state()).isEqualTo(Rollout.State.COMPLETE);
            assertThat(st.message()).isEqualTo("complete (Deployment poll/gulimall-auth-server)");
            DeployResult result = resumed.result();
            assertThat(result.changed()).containsExactly("Deployment poll/gulimall-auth-server");
            assertThat(result.created()).containsExactly("ConfigMap poll/gulimall-auth-server-config");
        }
        assertThat(image(deployment("poll"))).endsWith(":v1.0.1");
    }

    private Rollout.Status pollUntilDone(RolloutState state, Kubeconfig kubeconfig) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Rollout.Status st = engine().poll(state, kubeconfig);
        while (st.state() == Rollout.State.PROGRESSING && System.nanoTime() < until) {
            Thread.sleep(100); // the next look, as the caller's timer would take it
            st = engine().poll(state, kubeconfig);
        }
        return st;
    }

    @Test
    void aSavedStatePastItsDeadlineFailsAndIsRolledBackToThePreviousRevision() throws Exception {
        try (FakeController controller = v1RolledOutThen("undo", FakeController.Mode.HANG)) {
            DeployRequest r = request("undo", "v1.0.1").timeoutSeconds(1);
            RolloutState resumed = readBack(save(engine().apply(r).withoutSecrets()));
            assertThat(image(deployment("undo"))).endsWith(":v1.0.1");

            Rollout.Status st = pollUntilDone(resumed, r.kubeconfig());
            assertThat(st.state()).isEqualTo(Rollout.State.FAILED);
            assertThat(st.message())
                    .startsWith("the rollout did not finish within 1s (timeout): Deployment "
                            + "undo/gulimall-auth-server (0 of 2 new replicas updated, 2 available)");

            GuliException failure = engine().rollBack(resumed, r.kubeconfig(), st.message());
            assertThat(failure.getMessage())
                    .startsWith(st.message())
                    .endsWith("; rolled back: restored Deployment "
                            + "undo/gulimall-auth-server, deleted ConfigMap undo/gulimall-auth-server-config");
        }
        assertThat(image(deployment("undo"))).endsWith(":v1.0.0");
        assertThat(client.configMaps()
                        .inNamespace("undo")
                        .withName("gulimall-auth-server-config")
                        .get())
                .isNull();
    }

    @Test
    void aSavedStateKeepsNoSecretsDataAndSaysToPutAChangedSecretBackByHand() throws Exception {
        String secret = """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: gulimall-auth-server-db
                stringData:
                  password: %s
                """;
        manifests(secret.formatted("first-Pa55word"));
        engine().run(request("secret", "v1").timeoutSeconds(5));
        manifests(secret.formatted("second-Pa55word"), CONFIG);
        DeployRequest r = request("secret", "v1").timeoutSeconds(5);
        RolloutState applied = engine().apply(r);

        byte[] saved = save(applied.withoutSecrets());
        String bytes = new String(saved, java.nio.charset.StandardCharsets.ISO_8859_1);
        String b64 = java.util.Base64.getEncoder().encodeToString("first-Pa55word".getBytes());
        assertThat(bytes)
                .doesNotContain(
                        "first-Pa55word",
                        b64,
                        "second-Pa55word",
                        java.util.Base64.getEncoder().encodeToString("second-Pa55word".getBytes()));
        assertThat(save(applied))
                .as("the full state, kept in memory only, has it")
                .asString(java.nio.charset.StandardCharsets.ISO_8859_1)
                .containsAnyOf("first-Pa55word", b64);

        GuliException failure = engine().rollBack(readBack(saved), r.kubeconfig(), "aborted");
        assertThat(failure.getMessage())
                .contains("rolled back: deleted ConfigMap secret/gulimall-auth-server-config")
                .contains(
                        "ROLLBACK FAILED for Secret secret/gulimall-auth-server-db (its previous content is not saved "
                                + "with the build (a Secret's data never is): put it back by hand)");
        assertThat(client.configMaps()
                        .inNamespace("secret")
                        .withName("gulimall-auth-server-config")
                        .get())
                .isNull();
    }
}
