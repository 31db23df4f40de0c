package io.github.guli.jenkins;

import static io.github.guli.jenkins.GuliQualityGateResumeTest.deserialize;
import static io.github.guli.jenkins.GuliQualityGateResumeTest.serialize;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import hudson.model.Run;
import io.github.guli.engine.UsernamePassword;
import io.github.guli.engine.deploy.Deploy;
import io.github.guli.engine.deploy.DeployRequest;
import io.github.guli.engine.deploy.FakeController;
import io.github.guli.engine.deploy.Kubeconfig;
import io.github.guli.engine.environment.ApplyJournal;
import io.github.guli.engine.environment.EnvironmentRequest;
import io.github.guli.engine.environment.PinnedRollout;
import io.github.guli.engine.environment.Promotion;
import io.github.guli.testsupport.NacosStandIn;
import io.github.guli.testsupport.TestImages;
import io.github.guli.testsupport.TestServices;
import io.github.guli.testsupport.TwoClusters;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * guliPromote's rollout wait survives a controller restart: a promotion applied to prod (its configuration published
 * to prod's Nacos, the manifests applied) is saved as Pipeline saves the build's program, read back, and resumed
 * against two mock clusters (a {@link FakeController} in each), images in the real registry and the Nacos stand-in.
 * Prod ran v1.0.0 with {@code db.password=old-pass} before; staging runs v1.1.0, which is promoted.
 */
class GuliPromoteResumeTest {
    /** Prod's Nacos login and kubeconfig by test context id: the "credentials store", not saved with the build. */
    static final Map<String, UsernamePassword> NACOS_LOGINS = new ConcurrentHashMap<>();

    static final Map<String, Kubeconfig> KUBECONFIGS = new ConcurrentHashMap<>();
    static final String OLD_CONFIG = "db.password=old-pass\nport=1\n";
    static final String NEW_CONFIG = "db.password=new-pass\nport=2\n";

    final Map<String, String> digests = new HashMap<>();
    TwoClusters clusters;
    NacosStandIn nacos;
    String app;
    String repository;
    String id;

    @TempDir
    Path workspace;

    /** The execution with what only a running Jenkins has: its timer, its credentials store and the agent. */
    static final class OnTestController extends GuliPromoteExecution {
        private static final long serialVersionUID = 1L;
        private final String id;
        private final String workspace;

        OnTestController(String id, String service, PinnedRollout applied, String workspace) {
            super(new GuliQualityGateResumeTest.TestContext(id), service, false, "prod-kube", "nacos-prod", applied);
            this.id = id;
            this.workspace = workspace;
        }

        @Override
        Kubeconfig kubeconfig(Run<?, ?> run) {
            return KUBECONFIGS.get(id);
        }

        @Override
        UsernamePassword nacosLogin(Run<?, ?> run) {
            return NACOS_LOGINS.get(id);
        }

        @Override
        <T extends Serializable> T onAgent(EngineOnAgent<T> call) throws Exception {
            return GuliDeployK8sResumeTest.here(call.masking(secrets(null)), workspace);
        }

        @Override
        ScheduledFuture<?> later(Runnable task, Duration delay) {
            return GuliQualityGateResumeTest.TIMER.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The execution as start() leaves it, about to apply on the test's timer; the build is "saved" (serialized as
     * Pipeline's program is) when the execution asks for a save, and that first save is what a restart reads back.
     */
    static final class ApplyingOnTestController extends GuliPromoteExecution {
        private static final long serialVersionUID = 1L;
        private final String id;
        private final String workspace;
        /** Before a restart the test drives the apply itself; after one, the resumed execution uses the timer. */
        private transient boolean applying = true;

        private transient byte[] firstSave;
        private transient String whenSaved;
        private transient java.util.function.Supplier<String> environmentState;

        ApplyingOnTestController(String id, String service, EnvironmentRequest request, String workspace) {
            super(
                    new GuliQualityGateResumeTest.TestContext(id),
                    service,
                    "prod-kube",
                    "nacos-prod",
                    "registry",
                    request);
            this.id = id;
            this.workspace = workspace;
        }

        @Override
        Kubeconfig kubeconfig(Run<?, ?> run) {
            return KUBECONFIGS.get(id);
        }

        @Override
        UsernamePassword nacosLogin(Run<?, ?> run) {
            return NACOS_LOGINS.get(id);
        }

        @Override
        UsernamePassword registryLogin(Run<?, ?> run) {
            return TestServices.registryCredentials();
        }

        @Override
        ApplyJournal exported(ApplyJournal journal) {
            return journal;
        }

        @Override
        java.util.concurrent.Future<Void> save() {
            if (firstSave == null) {
                whenSaved = environmentState.get();
                try {
                    firstSave = serialize(this);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return CompletableFuture.completedFuture(null);
        }

        /** Whether the agent's channel closes when the apply's call returns, its changes made. */
        private transient boolean channelClosesAfterTheApply;

        @Override
        <T extends Serializable> T onAgent(EngineOnAgent<T> call) throws Exception {
            T value = GuliDeployK8sResumeTest.here(call.masking(secrets(null)), workspace);
            if (channelClosesAfterTheApply && call instanceof GuliPromoteOnAgent.ApplyOnAgent) {
                throw new java.io.IOException("channel closed");
            }
            return value;
        }

        @Override
        ScheduledFuture<?> later(Runnable task, Duration delay) {
            return applying
                    ? null
                    : GuliQualityGateResumeTest.TIMER.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        String registry = TestServices.registry();
        UsernamePassword creds = TestServices.registryCredentials();
        app = "resume-" + UUID.randomUUID().toString().substring(0, 8);
        repository = registry + "/guli-test/" + app;
        for (String v : List.of("v1.0.0", "v1.1.0")) {
            digests.put(v, TestImages.push(registry, creds, "guli-test/" + app, v));
        }
        clusters = new TwoClusters();
        clusters.staging.controller(FakeController.Mode.ROLL_OUT, image -> false, this::imageId);
        clusters.prod.controller(FakeController.Mode.ROLL_OUT, image -> false, this::imageId);
        nacos = NacosStandIn.withAuth("nacos-admin", "s3cret-login");
        id = UUID.randomUUID().toString();
        GuliQualityGateResumeTest.OUTCOMES.put(id, new CompletableFuture<>());
        NACOS_LOGINS.put(id, new UsernamePassword("nacos-admin", "s3cret-login"));
        KUBECONFIGS.put(id, clusters.prod.kubeconfig("prod"));
        Files.createDirectories(workspace.resolve(app + "/deploy"));
        Files.writeString(workspace.resolve(app + "/deploy/deploy.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %1$s
                  labels: {app: %1$s}
                spec:
                  replicas: 2
                  selector:
                    matchLabels: {app: %1$s}
                  template:
                    metadata:
                      labels: {app: %1$s}
                    spec:
                      containers:
                        - name: %1$s
                          image: $REGISTRY/guli-test/%1$s:$TAG_NAME
                          resources:
                            requests: {cpu: 10m, memory: 10Mi}
                            limits: {cpu: 1000m, memory: 500Mi}
                """.formatted(app));
        deployToStaging("v1.0.0");
        config(OLD_CONFIG);
        new Promotion(line -> {}, deploy()).run(request());
        deployToStaging("v1.1.0");
        config(NEW_CONFIG);
    }

    @AfterEach
    void tearDown() throws Exception {
        clusters.close();
        nacos.close();
    }

    @Test
    void aPromotionWaitingForItsRolloutIsTakenUpAfterARestartAndFinishes() throws Exception {
        clusters.prod.controller(FakeController.Mode.HANG, image -> false, this::imageId);
        PinnedRollout applied = new Promotion(line -> {}, deploy()).apply(request());
        byte[] saved = serialize(new OnTestController(id, app, applied, workspace.toString()));

        GuliPromoteExecution resumed = deserialize(saved);
        clusters.prod.controller(FakeController.Mode.ROLL_OUT, image -> false, this::imageId);
        resumed.onResume();

        @SuppressWarnings("unchecked")
        Map<String, String> out =
                (Map<String, String>) GuliQualityGateResumeTest.OUTCOMES.get(id).get(1, TimeUnit.MINUTES);
        assertThat(out)
                .containsEntry("environment", "prod")
                .containsEntry("version", "v1.1.0")
                .containsEntry("digest", digests.get("v1.1.0"))
                .containsEntry("image", repository + "@" + digests.get("v1.1.0"));
        assertThat(image()).isEqualTo(repository + "@" + digests.get("v1.1.0"));
        assertThat(nacos.content("prod", "DEFAULT_GROUP", "application.properties"))
                .contains(NEW_CONFIG);
        assertThat(GuliQualityGateResumeTest.CONSOLE)
                .contains("[guliPromote] Jenkins restarted while waiting: looking at the rollout of Deployment "
                        + "gulimall/" + app + " on " + clusters.prod.server.url("/") + " again")
                .anyMatch(l -> l.startsWith("[guliPromote] promoted " + app + ": v1.1.0 ("));
        assertThat(new String(saved, StandardCharsets.ISO_8859_1))
                .as("no credential and no configuration content is saved with the build")
                .doesNotContain("s3cret-login", "not-checked-by-the-mock", "old-pass", "new-pass");
    }

    @Test
    void aRolloutFailingAfterTheRestartPutsBackTheImageAndTheConfigurationFromNacosHistory() throws Exception {
        String broken = digests.get("v1.1.0");
        clusters.prod.controller(FakeController.Mode.HANG, image -> false, this::imageId);
        PinnedRollout applied = new Promotion(line -> {}, deploy()).apply(request());
        GuliPromoteExecution resumed =
                deserialize(serialize(new OnTestController(id, app, applied, workspace.toString())));
        clusters.prod.controller(FakeController.Mode.ROLL_OUT, image -> image.endsWith(broken), this::imageId);
        resumed.onResume();

        assertThatThrownBy(() -> GuliQualityGateResumeTest.OUTCOMES.get(id).get(1, TimeUnit.MINUTES))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(AbortException.class)
                .hasMessageStartingWith("[guliPromote] Deployment gulimall/" + app)
                .hasMessageContaining("; rolled back: restored Deployment gulimall/" + app)
                .hasMessageEndingWith(
                        "; restored the configuration application.properties in Nacos to what it held " + "before");
        assertThat(image()).isEqualTo(repository + "@" + digests.get("v1.0.0"));
        assertThat(nacos.content("prod", "DEFAULT_GROUP", "application.properties"))
                .contains(OLD_CONFIG);
        assertThat(GuliQualityGateResumeTest.CONSOLE).noneMatch(l -> l.contains("s3cret-login"));
    }

    @Test
    void anAbortAfterTheRestartPutsBackTheImageAndTheConfigurationAndSaysWhat() throws Exception {
        clusters.prod.controller(FakeController.Mode.HANG, image -> false, this::imageId);
        PinnedRollout applied = new Promotion(line -> {}, deploy()).apply(request());
        GuliPromoteExecution resumed =
                deserialize(serialize(new OnTestController(id, app, applied, workspace.toString())));
        resumed.onResume();
        InterruptedException abort = new InterruptedException("aborted by a user");
        resumed.stop(abort);

        assertThatThrownBy(() -> GuliQualityGateResumeTest.OUTCOMES.get(id).get(1, TimeUnit.MINUTES))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isSameAs(abort);
        assertThat(image()).isEqualTo(repository + "@" + digests.get("v1.0.0"));
        assertThat(nacos.content("prod", "DEFAULT_GROUP", "application.properties"))
                .contains(OLD_CONFIG);
        assertThat(GuliQualityGateResumeTest.CONSOLE)
                .contains("[guliPromote] the build was aborted while waiting for the rollout; rolled back: restored "
                        + "Deployment gulimall/" + app + "; restored the configuration application.properties in "
                        + "Nacos to what it held before");
    }

    /** Before a restart the previous content is still in memory: an abort restores it without Nacos' history. */
    @Test
    void anAbortBeforeAnyRestartRestoresFromTheSnapshotInMemory() throws Exception {
        clusters.prod.controller(FakeController.Mode.HANG, image -> false, this::imageId);
        PinnedRollout applied = new Promotion(line -> {}, deploy()).apply(request());
        GuliPromoteExecution running = new OnTestController(id, app, applied, workspace.toString());
        running.stop(new InterruptedException("aborted by a user"));

        assertThatThrownBy(() -> GuliQualityGateResumeTest.OUTCOMES.get(id).get(1, TimeUnit.MINUTES))
                .isInstanceOf(ExecutionException.class);
        assertThat(nacos.content("prod", "DEFAULT_GROUP", "application.properties"))
                .contains(OLD_CONFIG);
        assertThat(nacos.requests()).noneMatch(q -> q.path().endsWith("/cs/history"));
        assertThat(image()).isEqualTo(repository + "@" + digests.get("v1.0.0"));
    }

    @Test
    void aRestartWhileTheApplyIsUnderWayPutsBackImageConfigurationAndMountedImageFromWhatWasSavedBeforeTheFirstChange()
            throws Exception {
        clusters.prod.controller(FakeController.Mode.HANG, image -> false, this::imageId);
        String prodRepository = "guli-test-prod-" + UUID.randomUUID().toString().substring(0, 8) + "/" + app;
        EnvironmentRequest r = request();
        r.environments()
                .get("prod")
                .imageRepository(TestServices.registry() + "/" + prodRepository.split("/")[0]);
        String before = image();
        ApplyingOnTestController running = new ApplyingOnTestController(id, app, r, workspace.toString());
        running.environmentState = () -> image() + " "
                + nacos.content("prod", "DEFAULT_GROUP", "application.properties")
                        .orElse("") + " " + (registry().findManifest(prodRepository, digests.get("v1.1.0")) != null);

        running.apply(); // the controller stops after it: its last save is the one made before the first change
        assertThat(image()).isEqualTo(TestServices.registry() + "/" + prodRepository + "@" + digests.get("v1.1.0"));
        assertThat(nacos.content("prod", "DEFAULT_GROUP", "application.properties"))
                .contains(NEW_CONFIG);
        assertThat(running.whenSaved)
                .as("saved before the first change: prod's image, its configuration, the target repository")
                .isEqualTo(before + " " + OLD_CONFIG + " false");
        assertThat(new String(running.firstSave, StandardCharsets.ISO_8859_1))
                .as("no credential and no configuration content is saved with the build")
                .doesNotContain("s3cret-login", "not-checked-by-the-mock", "old-pass", "new-pass")
                .doesNotContain(TestServices.registryCredentials().password());

        GuliPromoteExecution resumed = deserialize(running.firstSave);
        resumed.onResume();

        assertThatThrownBy(() -> GuliQualityGateResumeTest.OUTCOMES.get(id).get(1, TimeUnit.MINUTES))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(AbortException.class)
                .hasMessage("[guliPromote] Jenkins restarted while applying the promotion; rolled back: restored "
                        + "Deployment gulimall/" + app + "; restored the configuration application.properties in "
                        + "Nacos to what it held before; deleted " + TestServices.registry() + "/" + prodRepository
                        + "@" + digests.get("v1.1.0") + ", which this promotion had mounted there");
        assertThat(image()).isEqualTo(before);
        assertThat(nacos.content("prod", "DEFAULT_GROUP", "application.properties"))
                .contains(OLD_CONFIG);
        assertThat(registry().findManifest(prodRepository, digests.get("v1.1.0")))
                .isNull();
        assertThat(GuliQualityGateResumeTest.CONSOLE)
                .contains("[guliPromote] Jenkins restarted while applying the promotion to environment 'prod': "
                        + "putting back what it may have changed")
                .noneMatch(l -> l.contains("s3cret-login"));
    }

    @Test
    void theAgentGoingAwayDuringTheApplyPutsBackWhatWasRecordedAndFails() throws Exception {
        clusters.prod.controller(FakeController.Mode.HANG, image -> false, this::imageId);
        String before = image();
        ApplyingOnTestController running = new ApplyingOnTestController(id, app, request(), workspace.toString());
        running.environmentState = () -> "";
        running.channelClosesAfterTheApply = true;

        running.apply();

        assertThatThrownBy(() -> GuliQualityGateResumeTest.OUTCOMES.get(id).get(1, TimeUnit.MINUTES))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .hasMessage("[guliPromote] the promotion stopped while it was being applied (java.io.IOException: "
                        + "channel closed); rolled back: restored Deployment gulimall/" + app + "; restored the "
                        + "configuration application.properties in Nacos to what it held before");
        assertThat(image()).isEqualTo(before);
        assertThat(nacos.content("prod", "DEFAULT_GROUP", "application.properties"))
                .contains(OLD_CONFIG);
    }

    @Test
    void aRestartBeforeTheApplyRecordedAnythingFailsSayingNothingWasChanged() throws Exception {
        String before = image();
        GuliPromoteExecution resumed =
                deserialize(serialize(new ApplyingOnTestController(id, app, request(), workspace.toString())));
        resumed.onResume();

        assertThatThrownBy(() -> GuliQualityGateResumeTest.OUTCOMES.get(id).get(1, TimeUnit.MINUTES))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .hasMessage("[guliPromote] Jenkins restarted while applying the promotion, before it changed anything "
                        + "(it had recorded no change to put back): run the build again");
        assertThat(image()).isEqualTo(before);
    }

    private static io.github.guli.engine.registry.RegistryClient registry() {
        return new io.github.guli.engine.registry.RegistryClient(
                io.github.guli.engine.registry.RegistryEndpoint.parse("http://" + TestServices.registry()),
                TestServices.registryCredentials(),
                io.github.guli.engine.registry.Retry.DEFAULT,
                line -> {});
    }

    private EnvironmentRequest request() {
        EnvironmentRequest r = new EnvironmentRequest()
                .service(app)
                .to("prod")
                .environments(clusters.environments())
                .workspace(workspace.toString())
                .env(Map.of("REGISTRY", TestServices.registry()))
                .registry("http://" + TestServices.registry())
                .registryCredentials(TestServices.registryCredentials())
                .timeoutSeconds(30);
        r.environments()
                .get("prod")
                .nacosUrl(nacos.url())
                .nacosNamespace("prod")
                .nacosCredentials(NACOS_LOGINS.get(id));
        return r;
    }

    private Deploy deploy() {
        return new Deploy(line -> {}, line -> {}, Duration.ofMillis(100));
    }

    private void deployToStaging(String tag) {
        deploy().run(new DeployRequest()
                .workspace(workspace.toString())
                .configs(app + "/deploy/**")
                .env(Map.of("REGISTRY", TestServices.registry(), "TAG_NAME", tag))
                .kubeconfig(clusters.staging.kubeconfig("staging"))
                .namespace(clusters.staging.namespace)
                .timeoutSeconds(30));
    }

    private void config(String content) throws Exception {
        Path dir = Files.createDirectories(workspace.resolve(app + "/config/prod"));
        Files.writeString(dir.resolve("application.properties"), content);
    }

    /** What a kubelet reports as the image ID of what it pulled: the digest of the tag, or the pinned one. */
    private String imageId(String image) {
        String tag = image.contains("@") ? null : image.substring(image.lastIndexOf(':') + 1);
        return "docker-pullable://" + (tag == null ? image : repository + "@" + digests.get(tag));
    }

    private String image() {
        return clusters.prod
                .deployment(app)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getImage();
    }
}
