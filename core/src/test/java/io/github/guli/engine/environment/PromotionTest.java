package io.github.guli.engine.environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.UsernamePassword;
import io.github.guli.engine.deploy.Deploy;
import io.github.guli.engine.deploy.DeployRequest;
import io.github.guli.engine.deploy.FakeController;
import io.github.guli.engine.registry.RegistryClient;
import io.github.guli.engine.registry.RegistryEndpoint;
import io.github.guli.engine.registry.Retry;
import io.github.guli.testsupport.NacosStandIn;
import io.github.guli.testsupport.RecordingProxy;
import io.github.guli.testsupport.TestImages;
import io.github.guli.testsupport.TestServices;
import io.github.guli.testsupport.TwoClusters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Promotion and rollback between two clusters (fabric8's mock API servers, a {@link FakeController} in each) of
 * images pushed to the real registry, which is reached through a recording proxy so the test sees every request.
 */
class PromotionTest {
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    final Map<String, String> digests = new HashMap<>();
    TwoClusters clusters;
    RecordingProxy registry;
    UsernamePassword creds;
    String app;
    String repository;

    @TempDir
    Path workspace;

    @BeforeEach
    void setUp() throws Exception {
        String real = TestServices.registry();
        creds = TestServices.registryCredentials();
        app = "promo-" + UUID.randomUUID().toString().substring(0, 8);
        for (String v : List.of("v1.0.0", "v1.1.0", "v1.2.0")) {
            digests.put(v, TestImages.push(real, creds, "guli-test/" + app, v));
        }
        registry = new RecordingProxy("http://" + real);
        repository = registry.hostPort() + "/guli-test/" + app;
        clusters = new TwoClusters();
        clusters.staging.controller(FakeController.Mode.ROLL_OUT, image -> false, this::imageId);
        clusters.prod.controller(FakeController.Mode.ROLL_OUT, image -> false, this::imageId);
        Path dir = Files.createDirectories(workspace.resolve(app + "/deploy"));
        Files.writeString(dir.resolve("deploy.yaml"), """
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
    }

    @AfterEach
    void tearDown() throws Exception {
        clusters.close();
        registry.close();
    }

    /** What a kubelet reports as the image ID of what it pulled: the digest of the tag, or the pinned one. */
    private String imageId(String image) {
        String tag = ClusterReader.tagOf(image);
        return "docker-pullable://" + (tag == null ? image : repository + "@" + digests.get(tag));
    }

    private Deploy deploy() {
        return new Deploy(log::add, log::add, Duration.ofMillis(100));
    }

    /** A snapshot build's deploy to staging (guliDeployK8s): the manifests with tag {@code tag}. */
    private void deployToStaging(String tag, boolean wait) {
        deploy().run(new DeployRequest()
                .workspace(workspace.toString())
                .configs(app + "/deploy/**")
                .env(Map.of("REGISTRY", registry.hostPort(), "TAG_NAME", tag))
                .kubeconfig(clusters.staging.kubeconfig("staging"))
                .namespace(clusters.staging.namespace)
                .waitForRollout(wait)
                .timeoutSeconds(30));
    }

    private EnvironmentRequest request() {
        return new EnvironmentRequest()
                .service(app)
                .environments(clusters.environments())
                .workspace(workspace.toString())
                .env(Map.of("REGISTRY", registry.hostPort()))
                .registry("http://" + registry.hostPort())
                .registryCredentials(creds)
                .timeoutSeconds(30);
    }

    private EnvironmentResult promote(EnvironmentRequest r) {
        return new Promotion(log::add, deploy()).run(r.to("prod"));
    }

    private static String image(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    @Test
    void promotesTheDigestThatRunsInThePreviousEnvironmentMovingNoLayerAndChangingNothingThere() throws Exception {
        deployToStaging("v1.1.0", true);
        Deployment before = clusters.staging.deployment(app);
        int replicaSets = clusters.staging
                .client
                .apps()
                .replicaSets()
                .inNamespace("gulimall-staging")
                .list()
                .getItems()
                .size();
        registry.reset();

        EnvironmentResult result = promote(request().version("v1.1.0"));

        String pinned = repository + "@" + digests.get("v1.1.0");
        Deployment prod = clusters.prod.deployment(app);
        assertThat(image(prod)).isEqualTo(pinned);
        for (Map<String, String> a : List.of(
                prod.getMetadata().getAnnotations(),
                prod.getSpec().getTemplate().getMetadata().getAnnotations())) {
            assertThat(a)
                    .containsEntry("guli.io/version", "v1.1.0")
                    .containsEntry("guli.io/digest", digests.get("v1.1.0"))
                    .containsEntry("guli.io/promoted-from", "staging");
        }
        assertThat(result.image()).isEqualTo(pinned);
        assertThat(result.replaced()).isNull();
        assertThat(log).anyMatch(l -> l.contains("carries no org.opencontainers.image.revision label"));
        assertThat(result.deploy().rollout()).startsWith("complete");
        assertThat(result.summary()).contains("v1.1.0", "runs in prod", "replaced nothing");
        // the registry was only read: the digest was looked up and its config read (for the label), no layer moved,
        // no tag written
        assertThat(registry.requests())
                .isNotEmpty()
                .allMatch(r -> r.startsWith("GET /v2/guli-test/" + app + "/manifests/sha256:")
                        || r.startsWith("GET /v2/guli-test/" + app + "/blobs/sha256:"))
                .filteredOn(r -> r.contains("/blobs/"))
                .isNotEmpty()
                .allMatch(r -> r.endsWith("/blobs/" + configDigest(digests.get("v1.1.0"))));
        Deployment after = clusters.staging.deployment(app);
        assertThat(after.getMetadata().getResourceVersion())
                .isEqualTo(before.getMetadata().getResourceVersion());
        assertThat(clusters.staging
                        .client
                        .apps()
                        .replicaSets()
                        .inNamespace("gulimall-staging")
                        .list()
                        .getItems())
                .hasSize(replicaSets);

        // the next promotion reads what it deployed: prod's own digest is known from its pinned image
        try (ClusterReader reader = new ClusterReader(clusters.environments().get("prod"), log::add)) {
            Running running = reader.running(app);
            assertThat(running.digest()).isEqualTo(digests.get("v1.1.0"));
            assertThat(running.version()).isEqualTo("v1.1.0");
        }
    }

    @Test
    void aDigestOrVersionThatDoesNotRunInThePreviousEnvironmentIsRefusedNamingWhatRunsThere() {
        deployToStaging("v1.1.0", true);

        assertThatThrownBy(() -> promote(request().digest(digests.get("v1.0.0"))))
                .isInstanceOf(GuliException.class)
                .hasMessageContaining(digests.get("v1.0.0") + " does not run in environment 'staging'")
                .hasMessageContaining("which runs v1.1.0 (" + repository + ":v1.1.0, digest " + digests.get("v1.1.0"));
        assertThatThrownBy(() -> promote(request().version("v1.0.0")))
                .hasMessageContaining("v1.0.0 does not run in environment 'staging', which runs v1.1.0");
        assertThat(clusters.prod.deployment(app)).isNull();
    }

    @Test
    void whatHasNotRolledOutHealthyIsNotPromoted() throws Exception {
        clusters.staging.controller(FakeController.Mode.HANG, image -> false, this::imageId);
        deployToStaging("v1.1.0", false);
        long deadline = System.currentTimeMillis() + 10_000;
        while (clusters.staging.deployment(app).getStatus() == null && System.currentTimeMillis() < deadline) {
            Thread.sleep(50); // until the controller saw it: its new pods never become ready
        }

        assertThatThrownBy(() -> promote(request()))
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("cannot promote " + app + " to prod: environment 'staging' runs v1.1.0")
                .hasMessageContaining("not rolled out healthy: 0 of 2 replicas updated, 0 available")
                .hasMessageContaining("fix or roll back staging first");
        assertThat(clusters.prod.deployment(app)).isNull();
    }

    @Test
    void unknownEnvironmentsTheFirstOneAndAServiceThatDoesNotRunAreRefused() {
        assertThatThrownBy(() -> new Promotion(log::add, deploy()).run(request().to("preprod")))
                .hasMessage("there is no environment 'preprod': the environments are staging, prod (Manage Jenkins > "
                        + "System > guli-pipeline)");
        assertThatThrownBy(() -> new Promotion(log::add, deploy()).run(request().to("staging")))
                .hasMessageContaining("environment 'staging' is the first environment")
                .hasMessageContaining("promote to prod");
        assertThatThrownBy(() -> promote(request()))
                .hasMessageContaining(app + " does not run in environment 'staging'");
        assertThat(clusters.prod.deployment(app)).isNull();
    }

    @Test
    void aFailedRolloutInTheTargetLeavesItOnTheImageItRanBefore() throws Exception {
        deployToStaging("v1.0.0", true);
        promote(request());
        String old = repository + "@" + digests.get("v1.0.0");
        assertThat(image(clusters.prod.deployment(app))).isEqualTo(old);
        deployToStaging("v1.1.0", true);
        String broken = digests.get("v1.1.0");
        clusters.prod.controller(FakeController.Mode.ROLL_OUT, image -> image.endsWith(broken), this::imageId);

        assertThatThrownBy(() -> promote(request().version("v1.1.0")))
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("rolled back: restored Deployment gulimall/" + app);

        Deployment prod = clusters.prod.deployment(app);
        assertThat(image(prod)).isEqualTo(old);
        assertThat(prod.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("guli.io/version", "v1.0.0");
    }

    @Test
    void rollsBackToAReleaseThePredecessorRanAndSaysWhatItReplaced() {
        deployToStaging("v1.0.0", true);
        deployToStaging("v1.1.0", true);
        promote(request());
        registry.reset();

        EnvironmentResult result =
                new RollbackTo(log::add, deploy()).run(request().to("prod").version("v1.0.0"));

        Deployment prod = clusters.prod.deployment(app);
        assertThat(image(prod)).isEqualTo(repository + "@" + digests.get("v1.0.0"));
        assertThat(prod.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("guli.io/version", "v1.0.0")
                .containsEntry("guli.io/replaced", "v1.1.0");
        assertThat(result.replaced().version()).isEqualTo("v1.1.0");
        assertThat(result.summary()).contains("runs in prod; it replaced v1.1.0 (" + repository + "@");
        assertThat(registry.requests())
                .allMatch(r -> r.equals("GET /v2/guli-test/" + app + "/manifests/v1.0.0")
                        || r.equals("GET /v2/guli-test/" + app + "/blobs/" + configDigest(digests.get("v1.0.0"))));
    }

    @Test
    void aReleaseThePredecessorNeverRanIsRefused() {
        deployToStaging("v1.0.0", true);
        deployToStaging("v1.1.0", true);
        promote(request());

        assertThatThrownBy(() -> new RollbackTo(log::add, deploy())
                        .run(request().to("prod").version("v1.2.0")))
                .isInstanceOf(GuliException.class)
                .hasMessage("cannot roll prod back to v1.2.0: " + app + " never ran v1.2.0 (" + digests.get("v1.2.0")
                        + ") in environment 'staging', "
                        + "which comes before prod (the versions its ReplicaSets kept: v1.0.0, v1.1.0); give one of "
                        + "those");
        assertThat(image(clusters.prod.deployment(app))).endsWith(digests.get("v1.1.0"));
    }

    /** What guliRelease does at the release point: tags the digest prod runs as the release. */
    private void release(String digest, String version) {
        new RegistryClient(RegistryEndpoint.parse("http://" + TestServices.registry()), creds, Retry.DEFAULT, l -> {})
                .copyTag("guli-test/" + app, digest, version);
    }

    @Test
    void aReleaseTaggedByDigestAtTheReleasePointIsARollbackTargetMatchedByDigest() throws Exception {
        for (String v : List.of("SNAPSHOT-master-7", "SNAPSHOT-master-8")) {
            digests.put(v, TestImages.push(TestServices.registry(), creds, "guli-test/" + app, v));
        }
        deployToStaging("SNAPSHOT-master-7", true);
        promote(request());
        release(digests.get("SNAPSHOT-master-7"), "v2.0.0");
        deployToStaging("SNAPSHOT-master-8", true);
        promote(request());

        EnvironmentResult result =
                new RollbackTo(log::add, deploy()).run(request().to("prod").version("v2.0.0"));

        Deployment prod = clusters.prod.deployment(app);
        assertThat(image(prod)).isEqualTo(repository + "@" + digests.get("SNAPSHOT-master-7"));
        assertThat(prod.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("guli.io/version", "v2.0.0")
                .containsEntry("guli.io/replaced", "SNAPSHOT-master-8");
        assertThat(result.version()).isEqualTo("v2.0.0");
        assertThat(log)
                .contains("v2.0.0 (" + digests.get("SNAPSHOT-master-7") + ") ran in environment 'staging' as "
                        + "SNAPSHOT-master-7: rolling prod back to it");

        // a release whose digest never ran in staging, though it ran there under other names
        release(digests.get("v1.2.0"), "v3.0.0");
        assertThatThrownBy(() -> new RollbackTo(log::add, deploy())
                        .run(request().to("prod").version("v3.0.0")))
                .isInstanceOf(GuliException.class)
                .hasMessage("cannot roll prod back to v3.0.0: " + app + " never ran v3.0.0 (" + digests.get("v1.2.0")
                        + ") in environment 'staging', which comes before prod (the versions its ReplicaSets kept: "
                        + "SNAPSHOT-master-7, SNAPSHOT-master-8); give one of those");
        assertThat(image(clusters.prod.deployment(app))).endsWith(digests.get("SNAPSHOT-master-7"));
    }

    @Test
    void aWorkspaceThatHasNotThePreviewedCommitCheckedOutIsRefusedBeforeAnythingChanges() throws Exception {
        deployToStaging("v1.1.0", true);
        String previewed;
        try (Git git = Git.init().setDirectory(workspace.toFile()).call()) {
            git.add().addFilepattern(".").call();
            previewed = commit(git, "the commit previewed");
            String pushed = commit(git, "a push during the approval");

            assertThatThrownBy(() -> promote(request().commit(previewed)))
                    .isInstanceOf(GuliException.class)
                    .hasMessage("cannot promote " + app + " to prod: the workspace has " + pushed + " checked out, "
                            + "not " + previewed + ", the commit the preview read (the branch moved since?); nothing "
                            + "was changed: run it again to preview and approve what the branch holds now");
            assertThatThrownBy(() -> new RollbackTo(log::add, deploy())
                            .run(request().to("prod").version("v1.1.0").commit(previewed)))
                    .hasMessageStartingWith("cannot roll prod back to v1.1.0: the workspace has " + pushed);
            assertThat(clusters.prod.deployment(app)).isNull();

            git.checkout().setName(previewed).call();
            assertThat(promote(request().commit(previewed)).digest()).isEqualTo(digests.get("v1.1.0"));
        }
    }

    /** The digest of the config of the image {@code digest}, from the real registry. */
    private String configDigest(String digest) {
        RegistryClient real = new RegistryClient(
                RegistryEndpoint.parse("http://" + TestServices.registry()), creds, Retry.DEFAULT, line -> {});
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(real.getManifest("guli-test/" + app, digest).body())
                    .path("config")
                    .path("digest")
                    .asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A snapshot image of the commit {@code built} (its revision label), run in staging; its digest. */
    private String builtFrom(String built, String tag) throws Exception {
        digests.put(
                tag,
                TestImages.push(
                        TestServices.registry(),
                        creds,
                        "guli-test/" + app,
                        tag,
                        Map.of("org.opencontainers.image.revision", built)));
        deployToStaging(tag, true);
        return digests.get(tag);
    }

    private void replicas(int n) throws Exception {
        Path manifest = workspace.resolve(app + "/deploy/deploy.yaml");
        Files.writeString(manifest, Files.readString(manifest).replaceFirst("replicas: \\d+", "replicas: " + n));
    }

    @Test
    void theManifestsAndConfigurationOfTheBuiltCommitAreDeployedAlthoughTheBranchMovedAndChangedThem()
            throws Exception {
        try (Git git = Git.init().setDirectory(workspace.toFile()).call();
                NacosStandIn nacos = NacosStandIn.open()) {
            configFile("application.properties", "port=1\n");
            git.add().addFilepattern(".").call();
            String built = commit(git, "the commit built");
            String digest = builtFrom(built, "SNAPSHOT-master-7");
            replicas(3);
            configFile("application.properties", "port=2\n");
            git.add().addFilepattern(".").call();
            String moved = commit(git, "a push after the build");

            // the branch moved since the preview read it: with the built commit known that does not matter
            EnvironmentResult result = promote(withNacos(request().commit(built), nacos, null));

            Deployment prod = clusters.prod.deployment(app);
            assertThat(image(prod)).isEqualTo(repository + "@" + digest);
            assertThat(prod.getSpec().getReplicas()).isEqualTo(2);
            assertThat(prodConfig(nacos, "application.properties")).contains("port=1\n");
            assertThat(result.digest()).isEqualTo(digest);
            assertThat(log).anyMatch(l -> l.contains("was built from commit " + built));
            assertThat(Files.readString(workspace.resolve(app + "/deploy/deploy.yaml")))
                    .contains("replicas: 3");
            try (var left = Files.list(workspace.resolveSibling(workspace.getFileName() + "@tmp"))) {
                assertThat(left.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("guli-built-"));
            }
            // a rollback deploys the release's own commit too
            replicas(4);
            git.add().addFilepattern(".").call();
            commit(git, "another push");
            deployToStaging("v1.0.0", true);
            assertThat(clusters.staging.deployment(app).getSpec().getReplicas()).isEqualTo(4);
            new RollbackTo(log::add, deploy()).run(request().to("staging").version("SNAPSHOT-master-7"));
            assertThat(clusters.staging.deployment(app).getSpec().getReplicas()).isEqualTo(2);
        }
    }

    @Test
    void aBuiltCommitTheCloneDoesNotHoldIsRefusedBeforeAnythingChanges() throws Exception {
        try (Git git = Git.init().setDirectory(workspace.toFile()).call()) {
            git.add().addFilepattern(".").call();
            commit(git, "the branch");
            String elsewhere = "0123456789abcdef0123456789abcdef01234567";
            builtFrom(elsewhere, "SNAPSHOT-other-1");

            assertThatThrownBy(() -> promote(request()))
                    .isInstanceOf(GuliException.class)
                    .hasMessageContaining("cannot promote " + app + " to prod: the image was built from commit "
                            + elsewhere + ", which the workspace's git repository does not hold (a shallow clone")
                    .hasMessageContaining("no shallow clone or depth")
                    .hasMessageContaining("+refs/heads/*:refs/remotes/origin/*");
            assertThat(clusters.prod.deployment(app)).isNull();
        }
    }

    @Test
    void aSymbolicLinkOfTheBuiltCommitStaysOneAndIsRefusedAsInACheckout() throws Exception {
        try (Git git = Git.init().setDirectory(workspace.toFile()).call();
                NacosStandIn nacos = NacosStandIn.open()) {
            Path config = Files.createDirectories(workspace.resolve(app + "/config/prod"));
            Files.createSymbolicLink(config.resolve("application.properties"), Path.of("/etc/hostname"));
            git.add().addFilepattern(".").call();
            String built = commit(git, "a link to a file of the agent");
            builtFrom(built, "SNAPSHOT-link-1");
            Files.delete(config.resolve("application.properties"));

            assertThatThrownBy(() -> promote(withNacos(request(), nacos, null)))
                    .isInstanceOf(GuliException.class)
                    .hasMessageContaining("application.properties is a symbolic link");
            assertThat(clusters.prod.deployment(app)).isNull();
            assertThat(prodConfig(nacos, "application.properties")).isEmpty();
        }
    }

    @Test
    void aLabelThatIsNotACommitIsIgnoredAndTheWorkspaceAsCheckedOutIsDeployed() throws Exception {
        builtFrom("main\u001b[31m", "SNAPSHOT-odd-1");
        replicas(3);

        promote(request());

        assertThat(clusters.prod.deployment(app).getSpec().getReplicas()).isEqualTo(3);
        assertThat(log)
                .anyMatch(
                        l -> l.contains("org.opencontainers.image.revision 'main?[31m', which is not a 40-hex commit"))
                .anyMatch(l -> l.contains("the commit it was built from is not known"));
    }

    private static String commit(Git git, String message) throws Exception {
        return git.commit()
                .setMessage(message)
                .setAllowEmpty(true)
                .setSign(false)
                .setAuthor("t", "t@example.com")
                .setCommitter("t", "t@example.com")
                .call()
                .name();
    }

    @Test
    void aVersionThatRanButIsNotReleasedIsRefused() {
        deployToStaging("v1.0.0", true);
        deployToStaging("SNAPSHOT-master-7", true);

        assertThatThrownBy(() -> new RollbackTo(log::add, deploy())
                        .run(request().to("prod").version("SNAPSHOT-master-7")))
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("cannot roll prod back to SNAPSHOT-master-7: it is not released, the registry "
                        + "has no tag " + repository + ":SNAPSHOT-master-7");
        assertThat(clusters.prod.deployment(app)).isNull();
    }

    /** The request with prod's Nacos at {@code nacos}, logged in as {@code user}. */
    private static EnvironmentRequest withNacos(EnvironmentRequest r, NacosStandIn nacos, UsernamePassword user) {
        r.environments()
                .get("prod")
                .nacosUrl(nacos.url())
                .nacosNamespace("prod")
                .nacosCredentials(user);
        return r;
    }

    private void configFile(String name, String content) throws Exception {
        Path dir = Files.createDirectories(workspace.resolve(app + "/config/prod"));
        Files.writeString(dir.resolve(name), content);
    }

    private Optional<String> prodConfig(NacosStandIn nacos, String dataId) {
        return nacos.content("prod", "DEFAULT_GROUP", dataId);
    }

    @Test
    void theConfigurationIsPublishedToTheTargetsNacosBeforeTheImageIsDeployedAndRecorded() throws Exception {
        deployToStaging("v1.1.0", true);
        try (NacosStandIn nacos = NacosStandIn.withAuth("nacos-admin", "s3cret-login")) {
            nacos.put(
                    "prod", "DEFAULT_GROUP", "application.properties", "db.password=old-pass\nport=1\n", "properties");
            configFile("application.properties", "db.password=new-pass\nport=2\n");

            EnvironmentResult result = promote(
                    withNacos(request().version("v1.1.0"), nacos, new UsernamePassword("nacos-admin", "s3cret-login")));

            assertThat(prodConfig(nacos, "application.properties")).contains("db.password=new-pass\nport=2\n");
            assertThat(image(clusters.prod.deployment(app))).isEqualTo(repository + "@" + digests.get("v1.1.0"));
            String sha = new io.github.guli.engine.nacos.NacosConfig("db.password=new-pass\nport=2\n", "properties")
                    .sha256();
            assertThat(result.config().sha256ByDataId()).isEqualTo(Map.of("application.properties", sha));
            assertThat(result.summary()).contains("configuration published", "application.properties sha256:" + sha);
            String all = String.join("\n", log);
            assertThat(all)
                    .contains("-port=1", "+port=2", "application.properties: published")
                    .doesNotContain("old-pass", "new-pass", "s3cret-login");
            assertThat(all.indexOf("application.properties: published"))
                    .isLessThan(all.indexOf("deploying " + repository));
            assertThat(nacos.requests())
                    .isNotEmpty()
                    .allSatisfy(q ->
                            assertThat(q.url()).doesNotContain("s3cret-login").doesNotContain("nacos-admin"));
        }
    }

    @Test
    void aChangeMadeInNacosSinceThePreviewIsRefusedNotOverwritten() throws Exception {
        deployToStaging("v1.1.0", true);
        try (NacosStandIn nacos = NacosStandIn.withAuth("nacos-admin", "s3cret-login")) {
            UsernamePassword user = new UsernamePassword("nacos-admin", "s3cret-login");
            nacos.put("prod", "DEFAULT_GROUP", "application.properties", "port=1\n", "properties");
            configFile("application.properties", "port=2\n");
            configFile("redis.yaml", "host: redis\n");
            String previewed = new io.github.guli.engine.nacos.NacosConfig("port=1\n", "properties").md5();
            Map<String, String> state = Map.of("application.properties", previewed, "redis.yaml", "absent");

            nacos.put("prod", "DEFAULT_GROUP", "application.properties", "port=9\n", "properties");
            assertThatThrownBy(() -> promote(withNacos(request().configState(state), nacos, user)))
                    .isInstanceOf(GuliException.class)
                    .hasMessageContaining("application.properties is md5 ")
                    .hasMessageContaining(", not md5 " + previewed + " as it was")
                    .hasMessageContaining("preview again");
            nacos.put("prod", "DEFAULT_GROUP", "application.properties", "port=1\n", "properties");
            nacos.put("prod", "DEFAULT_GROUP", "redis.yaml", "host: other\n", "yaml");
            assertThatThrownBy(() -> promote(withNacos(request().configState(state), nacos, user)))
                    .hasMessageContaining("redis.yaml is md5 ")
                    .hasMessageContaining("not absent as it was");
            assertThat(prodConfig(nacos, "application.properties")).contains("port=1\n");
            assertThat(prodConfig(nacos, "redis.yaml")).contains("host: other\n");
            assertThat(clusters.prod.deployment(app)).isNull();
        }
    }

    @Test
    void aFailedRolloutRestoresTheConfigurationItPublished() throws Exception {
        deployToStaging("v1.0.0", true);
        try (NacosStandIn nacos = NacosStandIn.open()) {
            configFile("application.properties", "port=1\n");
            promote(withNacos(request(), nacos, null));
            deployToStaging("v1.1.0", true);
            String broken = digests.get("v1.1.0");
            clusters.prod.controller(FakeController.Mode.ROLL_OUT, image -> image.endsWith(broken), this::imageId);
            configFile("application.properties", "port=2\n");
            configFile("extra.yaml", "a: b\n");

            assertThatThrownBy(() -> promote(withNacos(request().version("v1.1.0"), nacos, null)))
                    .isInstanceOf(GuliException.class)
                    .hasMessageContaining("rolled back: restored Deployment gulimall/" + app)
                    .hasMessageContaining("restored the configuration application.properties, extra.yaml in Nacos");

            assertThat(prodConfig(nacos, "application.properties")).contains("port=1\n");
            assertThat(prodConfig(nacos, "extra.yaml")).isEmpty();
            assertThat(image(clusters.prod.deployment(app))).endsWith(digests.get("v1.0.0"));
            assertThat(log).anyMatch(l -> l.contains("application.properties: restored its previous content"));
        }
    }

    @Test
    void aNacosRefusingTheLoginOrAnInvalidConfigurationFileFailsBeforeTheClusterOrNacosChanges() throws Exception {
        deployToStaging("v1.1.0", true);
        try (NacosStandIn nacos = NacosStandIn.withAuth("nacos-admin", "s3cret-login")) {
            nacos.put("prod", "DEFAULT_GROUP", "application.properties", "port=1\n", "properties");
            configFile("application.properties", "port=2\n");

            assertThatThrownBy(() ->
                            promote(withNacos(request(), nacos, new UsernamePassword("nacos-admin", "wrong-pass"))))
                    .isInstanceOf(GuliException.class)
                    .hasMessageContaining("cannot deploy " + app + " to prod: reading its configuration from "
                            + nacos.url() + "/nacos failed, nothing was changed")
                    .message()
                    .doesNotContain("wrong-pass");
            assertThat(clusters.prod.deployment(app)).isNull();
            assertThat(prodConfig(nacos, "application.properties")).contains("port=1\n");

            configFile("application properties.txt", "port=3\n");
            assertThatThrownBy(() ->
                            promote(withNacos(request(), nacos, new UsernamePassword("nacos-admin", "s3cret-login"))))
                    .isInstanceOf(GuliException.class)
                    .hasMessageContaining("the configuration in " + app + "/config/prod is refused");
            assertThat(clusters.prod.deployment(app)).isNull();
            assertThat(prodConfig(nacos, "application.properties")).contains("port=1\n");
            assertThat(nacos.requests())
                    .noneMatch(q -> q.method().equals("POST") && q.path().contains("/cs/"));
        }
    }

    @Test
    void aRollbackPublishesTheReleasesConfigurationToo() throws Exception {
        deployToStaging("v1.0.0", true);
        deployToStaging("v1.1.0", true);
        try (NacosStandIn nacos = NacosStandIn.open()) {
            configFile("application.yaml", "server: {port: 2}\n");
            promote(withNacos(request(), nacos, null));
            configFile("application.yaml", "server: {port: 1}\n");

            EnvironmentResult result = new RollbackTo(log::add, deploy())
                    .run(withNacos(request().to("prod").version("v1.0.0"), nacos, null));

            assertThat(prodConfig(nacos, "application.yaml")).contains("server: {port: 1}\n");
            assertThat(result.config().sha256ByDataId()).containsOnlyKeys("application.yaml");
            assertThat(image(clusters.prod.deployment(app))).endsWith(digests.get("v1.0.0"));
        }
    }

    @Test
    void intoAnotherRepositoryOfTheRegistryTheImageIsMountedAndPutByDigestMovingNoLayer() throws Exception {
        deployToStaging("v1.1.0", true);
        String prodNamespace = "guli-test-prod-" + UUID.randomUUID().toString().substring(0, 8);
        EnvironmentRequest r = request().version("v1.1.0");
        r.environments().get("prod").imageRepository(registry.hostPort() + "/" + prodNamespace);
        registry.reset();

        EnvironmentResult result = promote(r);

        String digest = digests.get("v1.1.0");
        String mounted = registry.hostPort() + "/" + prodNamespace + "/" + app + "@" + digest;
        assertThat(image(clusters.prod.deployment(app))).isEqualTo(mounted);
        assertThat(result.image()).isEqualTo(mounted);
        List<String> uploads = registry.uploads();
        assertThat(uploads)
                .as("the only body sent is the manifest, put by its digest (again after the login's challenge): no "
                        + "blob's bytes")
                .isNotEmpty()
                .allMatch(u -> u.startsWith("PUT /v2/" + prodNamespace + "/" + app + "/manifests/" + digest + " "));
        assertThat(registry.requests())
                .anyMatch(q -> q.equals("POST /v2/" + prodNamespace + "/" + app + "/blobs/uploads/"))
                .noneMatch(q -> q.startsWith("PATCH "))
                .filteredOn(q -> q.matches("GET /v2/.*/blobs/sha256:.*"))
                .as("the only blob read is the image's config, for its labels: no layer")
                .allMatch(q -> q.equals("GET /v2/guli-test/" + app + "/blobs/" + configDigest(digest)))
                .noneMatch(q -> q.matches("PUT /v2/.*/manifests/(?!sha256:).*"));
        assertThat(log)
                .anyMatch(l -> l.startsWith(
                                "mounted guli-test/" + app + "@" + digest + " into " + prodNamespace + "/" + app + ": ")
                        && l.endsWith(" mounted, no layer moved"));
        var real = new io.github.guli.engine.registry.RegistryClient(
                io.github.guli.engine.registry.RegistryEndpoint.parse("http://" + TestServices.registry()),
                creds,
                io.github.guli.engine.registry.Retry.DEFAULT,
                line -> {});
        assertThat(real.findManifest(prodNamespace + "/" + app, digest).digest())
                .isEqualTo(digest);
        var blobs = new io.github.guli.engine.registry.BlobUpload(real);
        var manifest = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(real.findManifest(prodNamespace + "/" + app, digest).body());
        for (var layer : manifest.path("layers")) {
            assertThat(blobs.exists(
                            prodNamespace + "/" + app, layer.path("digest").asText()))
                    .isTrue();
        }
    }

    @Test
    void aTargetWhoseImagesAreInAnotherRegistryIsRefusedBeforeAnythingChanges() {
        deployToStaging("v1.1.0", true);
        EnvironmentRequest r = request().version("v1.1.0");
        r.environments().get("prod").imageRepository("registry.cn-hangzhou.aliyuncs.com/atguigumall-prod");
        registry.reset();

        assertThatThrownBy(() -> promote(r))
                .isInstanceOf(GuliException.class)
                .hasMessageContaining(
                        "its images are in registry.cn-hangzhou.aliyuncs.com/atguigumall-prod, not in the "
                                + "registry " + registry.hostPort())
                .hasMessageContaining("between two registries every layer would have to be copied");
        assertThat(clusters.prod.deployment(app)).isNull();
        assertThat(registry.requests()).allMatch(q -> q.startsWith("GET "));
    }
    /** The request promoting into prod's own repository of the registry; returns that repository. */
    private String intoProdRepository(EnvironmentRequest r) {
        String prodNamespace = "guli-test-prod-" + UUID.randomUUID().toString().substring(0, 8);
        r.environments().get("prod").imageRepository(registry.hostPort() + "/" + prodNamespace);
        return prodNamespace + "/" + app;
    }

    private static RegistryClient realRegistry() {
        return new RegistryClient(
                RegistryEndpoint.parse("http://" + TestServices.registry()),
                TestServices.registryCredentials(),
                Retry.DEFAULT,
                line -> {});
    }

    @Test
    void aFailedRolloutAfterAMountDeletesTheMountedImageFromTheTargetsRepositoryByDigest() throws Exception {
        deployToStaging("v1.1.0", true);
        String digest = digests.get("v1.1.0");
        clusters.prod.controller(FakeController.Mode.ROLL_OUT, image -> image.endsWith(digest), this::imageId);
        EnvironmentRequest r = request().version("v1.1.0");
        String prodRepository = intoProdRepository(r);

        assertThatThrownBy(() -> promote(r))
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("rolled back: deleted Deployment gulimall/" + app)
                .hasMessageEndingWith("; deleted " + registry.hostPort() + "/" + prodRepository + "@" + digest
                        + ", which this promotion had mounted there");

        assertThat(clusters.prod.deployment(app)).isNull();
        assertThat(realRegistry().findManifest(prodRepository, digest)).isNull();
        assertThat(realRegistry().findManifest("guli-test/" + app, digest)).isNotNull();
        assertThat(registry.requests()).contains("DELETE /v2/" + prodRepository + "/manifests/" + digest);
    }

    @Test
    void aRegistryRefusingDeletesLeavesTheMountedImageWithAWarningNamingTheFixAndPutsBackTheRest() throws Exception {
        deployToStaging("v1.1.0", true);
        String digest = digests.get("v1.1.0");
        clusters.prod.controller(FakeController.Mode.ROLL_OUT, image -> image.endsWith(digest), this::imageId);
        EnvironmentRequest r = request().version("v1.1.0");
        String prodRepository = intoProdRepository(r);
        registry.refuse("DELETE", 405);

        assertThatThrownBy(() -> promote(r))
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("rolled back: deleted Deployment gulimall/" + app)
                .hasMessageContaining("; WARNING: " + registry.hostPort() + "/" + prodRepository + "@" + digest
                        + ", mounted by this promotion, stays in the registry: deleting " + digest
                        + " (HTTP 405) was refused")
                .hasMessageContaining("REGISTRY_STORAGE_DELETE_ENABLED=true");

        assertThat(clusters.prod.deployment(app)).isNull();
        assertThat(realRegistry().findManifest(prodRepository, digest)).isNotNull();
    }

    /** A journal that keeps the record as saved (serialized), checking nothing has changed yet when it is told. */
    private class SavingJournal implements ApplyJournal {
        final java.util.function.Supplier<String> prodState;
        byte[] saved;
        String stateWhenTold;

        SavingJournal(java.util.function.Supplier<String> prodState) {
            this.prodState = prodState;
        }

        @Override
        public void started(PutBack putBack) {
            stateWhenTold = prodState.get();
            var bytes = new java.io.ByteArrayOutputStream();
            try (var out = new java.io.ObjectOutputStream(bytes)) {
                out.writeObject(putBack);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            saved = bytes.toByteArray();
        }

        PutBack readBack() throws Exception {
            try (var in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(saved))) {
                return (PutBack) in.readObject();
            }
        }
    }

    @Test
    void whatIsRecordedBeforeTheFirstChangePutsBackTheImageTheConfigurationAndTheMountedImage() throws Exception {
        EnvironmentRequest first = request();
        String prodRepository = intoProdRepository(first);
        deployToStaging("v1.0.0", true);
        try (NacosStandIn nacos = NacosStandIn.withAuth("nacos-admin", "s3cret-login")) {
            UsernamePassword user = new UsernamePassword("nacos-admin", "s3cret-login");
            configFile("application.properties", "db.password=old-pass\nport=1\n");
            promote(withNacos(first, nacos, user));
            String before = registry.hostPort() + "/" + prodRepository + "@" + digests.get("v1.0.0");
            assertThat(image(clusters.prod.deployment(app))).isEqualTo(before);
            deployToStaging("v1.1.0", true);
            configFile("application.properties", "db.password=new-pass\nport=2\n");
            clusters.prod.controller(FakeController.Mode.HANG, image -> false, this::imageId);
            String digest = digests.get("v1.1.0");
            EnvironmentRequest r = withNacos(request(), nacos, user);
            r.environments()
                    .get("prod")
                    .imageRepository(first.environments().get("prod").imageRepository());
            SavingJournal journal = new SavingJournal(() -> image(clusters.prod.deployment(app)) + " "
                    + prodConfig(nacos, "application.properties").orElse("") + " "
                    + (realRegistry().findManifest(prodRepository, digest) != null));

            new Promotion(log::add, deploy()).apply(r.to("prod"), journal);
            assertThat(image(clusters.prod.deployment(app))).endsWith(digest);
            assertThat(prodConfig(nacos, "application.properties")).contains("db.password=new-pass\nport=2\n");

            assertThat(journal.stateWhenTold)
                    .as("told before the first change: prod's image, its configuration, the target repository")
                    .isEqualTo(before + " db.password=old-pass\nport=1\n false");
            assertThat(new String(journal.saved, java.nio.charset.StandardCharsets.ISO_8859_1))
                    .doesNotContain("old-pass", "new-pass", "s3cret-login", "nacos-admin");
            GuliException put = journal.readBack()
                    .putBack(
                            deploy(),
                            log::add,
                            r.environments().get("prod").kubeconfig(),
                            user,
                            creds,
                            "the controller restarted while applying");

            assertThat(put.getMessage())
                    .startsWith(
                            "the controller restarted while applying; rolled back: restored Deployment gulimall/" + app)
                    .contains("; restored the configuration application.properties in Nacos to what it held before")
                    .endsWith("; deleted " + registry.hostPort() + "/" + prodRepository + "@" + digest
                            + ", which this promotion had mounted there");
            assertThat(image(clusters.prod.deployment(app))).isEqualTo(before);
            assertThat(prodConfig(nacos, "application.properties")).contains("db.password=old-pass\nport=1\n");
            assertThat(realRegistry().findManifest(prodRepository, digest)).isNull();
            assertThat(realRegistry().findManifest(prodRepository, digests.get("v1.0.0")))
                    .isNotNull();
        }
    }

    @Test
    void aPutBackFromTheRecordChangesNothingThatTheApplyDidNotChange() throws Exception {
        deployToStaging("v1.0.0", true);
        promote(request());
        deployToStaging("v1.1.0", true);
        String resourceVersion = clusters.prod.deployment(app).getMetadata().getResourceVersion();
        SavingJournal journal = new SavingJournal(() -> "") {
            @Override
            public void started(PutBack putBack) {
                super.started(putBack);
                throw new GuliException("the build's state could not be saved");
            }
        };

        assertThatThrownBy(
                        () -> new Promotion(log::add, deploy()).apply(request().to("prod"), journal))
                .hasMessage("the build's state could not be saved");
        GuliException put = journal.readBack()
                .putBack(deploy(), log::add, clusters.prod.kubeconfig("prod"), null, creds, "restarted");

        assertThat(put.getMessage()).isEqualTo("restarted (this deploy changed nothing in the cluster)");
        assertThat(clusters.prod.deployment(app).getMetadata().getResourceVersion())
                .isEqualTo(resourceVersion);
        assertThat(image(clusters.prod.deployment(app))).endsWith(digests.get("v1.0.0"));
    }

    @Test
    void aPutBackFromTheRecordDeletesWhatTheFirstPromotionIntoAnEnvironmentCreated() throws Exception {
        deployToStaging("v1.0.0", true);
        clusters.prod.controller(FakeController.Mode.HANG, image -> false, this::imageId);
        SavingJournal journal = new SavingJournal(() -> String.valueOf(clusters.prod.deployment(app)));
        new Promotion(log::add, deploy()).apply(request().to("prod"), journal);
        assertThat(journal.stateWhenTold).isEqualTo("null");

        GuliException put = journal.readBack()
                .putBack(deploy(), log::add, clusters.prod.kubeconfig("prod"), null, creds, "restarted");

        assertThat(put.getMessage()).isEqualTo("restarted; rolled back: deleted Deployment gulimall/" + app);
        assertThat(clusters.prod.deployment(app)).isNull();
    }
}
