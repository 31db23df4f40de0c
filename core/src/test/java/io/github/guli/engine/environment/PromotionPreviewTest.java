package io.github.guli.engine.environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.UsernamePassword;
import io.github.guli.engine.approval.Commit;
import io.github.guli.engine.deploy.Deploy;
import io.github.guli.engine.deploy.DeployRequest;
import io.github.guli.engine.deploy.FakeController;
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
import java.util.UUID;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The preview a promotion's approval shows: two clusters (fabric8's mock API servers), the real registry behind a
 * recording proxy, a git checkout with release tags, and the Nacos stand-in as prod's Nacos.
 */
class PromotionPreviewTest {
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    final Map<String, String> digests = new HashMap<>();
    TwoClusters clusters;
    RecordingProxy registry;
    String app;
    String repository;
    Git git;

    @TempDir
    Path workspace;

    @BeforeEach
    void setUp() throws Exception {
        String real = TestServices.registry();
        app = "preview-" + UUID.randomUUID().toString().substring(0, 8);
        for (String v : List.of("v1.0.0", "v1.1.0")) {
            digests.put(v, TestImages.push(real, TestServices.registryCredentials(), "guli-test/" + app, v));
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
                metadata: {name: %1$s, labels: {app: %1$s}}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: %1$s}}
                  template:
                    metadata: {labels: {app: %1$s}}
                    spec:
                      containers:
                        - name: %1$s
                          image: $REGISTRY/guli-test/%1$s:$TAG_NAME
                          resources:
                            requests: {cpu: 10m, memory: 10Mi}
                            limits: {cpu: 1000m, memory: 500Mi}
                """.formatted(app));
        git = Git.init().setDirectory(workspace.toFile()).call();
        commit("the manifests", "Ann");
        tag("v1.0.0");
        commit("order totals in cents", "Bo");
        commit("retry the payment callback", "Cy");
        tag("v1.1.0");
    }

    @AfterEach
    void tearDown() throws Exception {
        git.close();
        clusters.close();
        registry.close();
    }

    private void commit(String subject, String author) throws Exception {
        Files.writeString(
                workspace.resolve("CHANGES"),
                subject + "\n",
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        git.add().addFilepattern(".").call();
        PersonIdent who = new PersonIdent(author, author.toLowerCase() + "@example.com");
        git.commit()
                .setMessage(subject + "\n\nbody")
                .setAuthor(who)
                .setCommitter(who)
                .call();
    }

    private void tag(String version) throws Exception {
        git.tag()
                .setName(app + "-" + version)
                .setAnnotated(true)
                .setMessage("Release " + version)
                .call();
    }

    private String imageId(String image) {
        String tag = ClusterReader.tagOf(image);
        return "docker-pullable://" + (tag == null ? image : repository + "@" + digests.get(tag));
    }

    private Deploy deploy() {
        return new Deploy(log::add, log::add, Duration.ofMillis(100));
    }

    private void deployToStaging(String tag) {
        deploy().run(new DeployRequest()
                .workspace(workspace.toString())
                .configs(app + "/deploy/**")
                .env(Map.of("REGISTRY", registry.hostPort(), "TAG_NAME", tag))
                .kubeconfig(clusters.staging.kubeconfig("staging"))
                .namespace(clusters.staging.namespace)
                .timeoutSeconds(30));
    }

    private EnvironmentRequest request() {
        return new EnvironmentRequest()
                .service(app)
                .to("prod")
                .environments(clusters.environments())
                .workspace(workspace.toString())
                .env(Map.of("REGISTRY", registry.hostPort()))
                .registry("http://" + registry.hostPort())
                .registryCredentials(TestServices.registryCredentials())
                .timeoutSeconds(30);
    }

    private static EnvironmentRequest withNacos(EnvironmentRequest r, NacosStandIn nacos, UsernamePassword user) {
        r.environments()
                .get("prod")
                .nacosUrl(nacos.url())
                .nacosNamespace("prod")
                .nacosGroup("GULIMALL")
                .nacosCredentials(user);
        return r;
    }

    private void prodConfig(String content) throws Exception {
        Path dir = Files.createDirectories(workspace.resolve(app + "/config/prod"));
        Files.writeString(dir.resolve("application.properties"), content);
    }

    @Test
    void showsWhatAPromotionWouldDeployReplaceBringAndPublishChangingNothing() throws Exception {
        deployToStaging("v1.0.0");
        new Promotion(log::add, deploy()).run(request());
        deployToStaging("v1.1.0");
        String prodVersion = clusters.prod.deployment(app).getMetadata().getResourceVersion();
        try (NacosStandIn nacos = NacosStandIn.withAuth("nacos-admin", "s3cret-login")) {
            UsernamePassword login = new UsernamePassword("nacos-admin", "s3cret-login");
            nacos.put("prod", "GULIMALL", "application.properties", "db.password=old-pass\nport=1\n", "properties");
            prodConfig("db.password=new-pass\nport=2\n");
            registry.reset();

            Preview p = new PromotionPreview(log::add).run(withNacos(request(), nacos, login), false);

            assertThat(p.environment()).isEqualTo("prod");
            assertThat(p.from()).isEqualTo("staging");
            assertThat(p.version()).isEqualTo("v1.1.0");
            assertThat(p.digest()).isEqualTo(digests.get("v1.1.0"));
            assertThat(p.image()).isEqualTo(repository + "@" + digests.get("v1.1.0"));
            assertThat(p.current().version()).isEqualTo("v1.0.0");
            assertThat(p.current().digest()).isEqualTo(digests.get("v1.0.0"));
            assertThat(p.commits().commits())
                    .containsExactly(
                            new Commit("retry the payment callback", "Cy"), new Commit("order totals in cents", "Bo"));
            assertThat(p.commits().note()).isNull();
            assertThat(p.configDiff())
                    .contains("namespace 'prod' group GULIMALL", "-port=1", "+port=2")
                    .doesNotContain("old-pass", "new-pass");
            assertThat(p.text())
                    .contains("deploys v1.1.0 (" + p.image() + ") to prod, as it runs in staging")
                    .contains("replaces v1.0.0", "retry the payment callback (Cy)", "+port=2");
            // nothing changed: prod's Deployment, its Nacos, the registry (only manifests read by digest)
            assertThat(clusters.prod.deployment(app).getMetadata().getResourceVersion())
                    .isEqualTo(prodVersion);
            assertThat(nacos.content("prod", "GULIMALL", "application.properties"))
                    .contains("db.password=old-pass\nport=1\n");
            assertThat(nacos.requests())
                    .noneMatch(q -> !q.method().equals("GET") && q.path().contains("/cs/"));
            assertThat(registry.requests())
                    .allMatch(r -> r.startsWith("GET /v2/guli-test/" + app + "/manifests/")
                            || r.startsWith("GET /v2/guli-test/" + app + "/blobs/sha256:"));
            assertThat(p.builtCommit()).isNull();
            assertThat(p.text()).contains("built from: not known");

            // the promotion then publishes in the environment's group, what the preview showed
            new Promotion(log::add, deploy()).run(withNacos(request().digest(p.digest()), nacos, login));
            assertThat(nacos.content("prod", "GULIMALL", "application.properties"))
                    .contains("db.password=new-pass\nport=2\n");
            assertThat(nacos.content("prod", "DEFAULT_GROUP", "application.properties"))
                    .isEmpty();
        }
    }

    @Test
    void previewsTheConfigurationOfTheCommitTheImageWasBuiltFromNotOfTheBranch() throws Exception {
        prodConfig("port=1\n");
        commit("the configuration built", "Ann");
        String built = git.getRepository().resolve("HEAD").name();
        digests.put(
                "SNAPSHOT-master-3",
                TestImages.push(
                        TestServices.registry(),
                        TestServices.registryCredentials(),
                        "guli-test/" + app,
                        "SNAPSHOT-master-3",
                        Map.of("org.opencontainers.image.revision", built)));
        deployToStaging("SNAPSHOT-master-3");
        prodConfig("port=2\n");
        commit("a push after the build", "Bo");
        try (NacosStandIn nacos = NacosStandIn.open()) {
            nacos.put("prod", "GULIMALL", "application.properties", "port=0\n", "properties");

            Preview p = new PromotionPreview(log::add).run(withNacos(request(), nacos, null), false);

            assertThat(p.builtCommit()).isEqualTo(built);
            assertThat(p.configDiff()).contains("-port=0", "+port=1").doesNotContain("+port=2");
            assertThat(p.text()).contains("built from commit " + built);
        }
    }

    @Test
    void aFailedRolloutRestoresTheConfigurationInTheEnvironmentsGroup() throws Exception {
        deployToStaging("v1.0.0");
        try (NacosStandIn nacos = NacosStandIn.open()) {
            nacos.put("prod", "GULIMALL", "application.properties", "port=1\n", "properties");
            nacos.put("prod", "DEFAULT_GROUP", "application.properties", "port=9\n", "properties");
            prodConfig("port=2\n");
            String broken = digests.get("v1.0.0");
            clusters.prod.controller(FakeController.Mode.ROLL_OUT, image -> image.endsWith(broken), this::imageId);

            assertThatThrownBy(() -> new Promotion(log::add, deploy()).run(withNacos(request(), nacos, null)))
                    .isInstanceOf(GuliException.class)
                    .hasMessageContaining("restored the configuration application.properties in Nacos");

            assertThat(nacos.content("prod", "GULIMALL", "application.properties"))
                    .contains("port=1\n");
            assertThat(nacos.operations("prod", "GULIMALL", "application.properties"))
                    .hasSizeGreaterThan(1);
            assertThat(nacos.operations("prod", "DEFAULT_GROUP", "application.properties"))
                    .as("another group is never touched")
                    .hasSize(1);
        }
    }

    @Test
    void aRefusedPromotionOrNacosLoginFailsThePreview() throws Exception {
        deployToStaging("v1.1.0");
        assertThatThrownBy(() -> new PromotionPreview(log::add).run(request().version("v1.0.0"), false))
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("cannot promote " + app + " to prod: v1.0.0 does not run in environment "
                        + "'staging', which runs v1.1.0");
        try (NacosStandIn nacos = NacosStandIn.withAuth("nacos-admin", "s3cret-login")) {
            prodConfig("port=2\n");
            assertThatThrownBy(() -> new PromotionPreview(log::add)
                            .run(withNacos(request(), nacos, new UsernamePassword("nacos-admin", "wrong")), false))
                    .isInstanceOf(GuliException.class)
                    .hasMessageContaining("reading its configuration from " + nacos.url() + "/nacos failed");
        }
        assertThat(clusters.prod.deployment(app)).isNull();
    }

    @Test
    void aRollbacksPreviewListsTheCommitsItTakesBackAndSaysWhenATagIsMissing() throws Exception {
        deployToStaging("v1.0.0");
        deployToStaging("v1.1.0");
        new Promotion(log::add, deploy()).run(request());

        Preview back = new PromotionPreview(log::add).run(request().version("v1.0.0"), true);

        assertThat(back.from()).isEqualTo("staging");
        assertThat(back.digest()).isEqualTo(digests.get("v1.0.0"));
        assertThat(back.current().version()).isEqualTo("v1.1.0");
        assertThat(back.commits().commits()).extracting(Commit::subject).hasSize(2);
        assertThat(back.commits().note()).contains("taken back");
        assertThat(back.configDiff()).isNull();
        assertThat(back.text()).contains("configuration: none published");
        assertThatThrownBy(() -> new PromotionPreview(log::add).run(request().version("v1.2.0"), true))
                .hasMessageContaining("never ran v1.2.0 in environment 'staging'");

        git.tagDelete().setTags(app + "-v1.1.0").call();
        Preview untagged = new PromotionPreview(log::add).run(request().version("v1.0.0"), true);
        assertThat(untagged.commits().commits()).isEmpty();
        assertThat(untagged.commits().note()).contains("no git tag " + app + "-v1.1.0");
    }
}
