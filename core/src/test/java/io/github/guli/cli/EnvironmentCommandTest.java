package io.github.guli.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.guli.engine.UsernamePassword;
import io.github.guli.engine.deploy.Deploy;
import io.github.guli.engine.deploy.DeployRequest;
import io.github.guli.engine.deploy.FakeController;
import io.github.guli.testsupport.NacosStandIn;
import io.github.guli.testsupport.TestImages;
import io.github.guli.testsupport.TestServices;
import io.github.guli.testsupport.TwoClusters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code guli promote} and {@code guli rollback} against two mock clusters and the real registry. */
class EnvironmentCommandTest {
    TwoClusters clusters;
    String registry;
    UsernamePassword creds;
    String app;
    final Map<String, String> digests = new HashMap<>();
    final Map<String, String> env = new HashMap<>();

    @TempDir
    Path dir;

    @BeforeEach
    void setUp() throws Exception {
        registry = TestServices.registry();
        creds = TestServices.registryCredentials();
        app = "cli-" + UUID.randomUUID().toString().substring(0, 8);
        for (String v : new String[] {"v1.0.0", "v1.1.0"}) {
            digests.put(v, TestImages.push(registry, creds, "guli-test/" + app, v));
        }
        clusters = new TwoClusters();
        for (TwoClusters.Cluster c : new TwoClusters.Cluster[] {clusters.staging, clusters.prod}) {
            c.controller(
                    FakeController.Mode.ROLL_OUT,
                    image -> false,
                    image -> image.contains("@")
                            ? image
                            : "docker-pullable://" + registry + "/guli-test/" + app + "@"
                                    + digests.get(image.substring(image.lastIndexOf(':') + 1)));
        }
        Files.writeString(
                dir.resolve("staging.kubeconfig"),
                clusters.staging.kubeconfig("staging").content());
        Files.writeString(
                dir.resolve("prod.kubeconfig"), clusters.prod.kubeconfig("prod").content());
        Files.writeString(dir.resolve("environments.yaml"), """
                - {name: staging, namespace: gulimall-staging, kubeconfigFile: %1$s/staging.kubeconfig}
                - name: prod
                  namespace: gulimall
                  kubeconfigFile: %1$s/prod.kubeconfig
                  approvers: [release-managers]
                """.formatted(dir));
        Path manifests = Files.createDirectories(dir.resolve(app + "/deploy"));
        Files.writeString(manifests.resolve("deploy.yaml"), """
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
                          resources: {limits: {cpu: 100m, memory: 100Mi}, requests: {cpu: 10m, memory: 10Mi}}
                """.formatted(app));
        env.put("REGISTRY", registry);
        env.put("PROJECT_NAME", app);
        env.put("GULI_ENVIRONMENTS_FILE", dir.resolve("environments.yaml").toString());
        env.put("GULI_REGISTRY_USERNAME", creds.username());
        env.put("GULI_REGISTRY_PASSWORD", creds.password());
    }

    @AfterEach
    void tearDown() throws Exception {
        clusters.close();
    }

    private void deployToStaging(String tag) {
        new Deploy(line -> {}, line -> {}, java.time.Duration.ofMillis(100))
                .run(new DeployRequest()
                        .workspace(dir.toString())
                        .configs(app + "/deploy/**")
                        .env(Map.of("REGISTRY", registry, "TAG_NAME", tag))
                        .kubeconfig(clusters.staging.kubeconfig("staging"))
                        .namespace("gulimall-staging")
                        .timeoutSeconds(30));
    }

    private GuliRun guli(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(
                new String[] {"--dir", dir.toString(), "--registry", "http://" + registry}, 0, all, args.length, 4);
        return GuliRun.inProcess(env, all);
    }

    @Test
    void promotesThenRollsBackReadingTheKubeconfigsFromTheirFiles() {
        deployToStaging("v1.0.0");
        deployToStaging("v1.1.0");

        GuliRun promoted = guli("promote", "--to", "prod", "--version", "v1.1.0");
        assertThat(promoted.exit()).as(promoted.err()).isZero();
        assertThat(promoted.out())
                .contains("[guli promote] environment 'staging' runs v1.1.0")
                .contains("[guli promote] v1.1.0 (" + registry + "/guli-test/" + app + "@" + digests.get("v1.1.0")
                        + ") runs in prod; it replaced nothing");
        assertThat(promoted.out()).doesNotContain(creds.password(), "not-checked-by-the-mock");

        GuliRun rolledBack = guli("rollback", "--to", "prod", "--version", "v1.0.0");
        assertThat(rolledBack.exit()).as(rolledBack.err()).isZero();
        assertThat(rolledBack.out()).contains("runs in prod; it replaced v1.1.0");
        assertThat(clusters.prod
                        .deployment(app)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .endsWith("@" + digests.get("v1.0.0"));
    }

    @Test
    void refusalsExitOneAndUsageErrorsTwo() {
        GuliRun unknown = guli("promote", "--to", "uat");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("there is no environment 'uat': the environments are staging, prod");

        GuliRun noVersion = guli("rollback", "--to", "prod");
        assertThat(noVersion.exit()).isEqualTo(2);
        assertThat(noVersion.err()).contains("give --version, the release to roll back to");

        env.remove("GULI_ENVIRONMENTS_FILE");
        GuliRun noFile = guli("promote", "--to", "prod");
        assertThat(noFile.exit()).isEqualTo(2);
        assertThat(noFile.err()).contains("give --environments FILE (or GULI_ENVIRONMENTS_FILE)");
    }

    @Test
    void promotePublishesTheConfigurationLoggingInWithThePasswordFromItsFile() throws Exception {
        deployToStaging("v1.1.0");
        try (NacosStandIn nacos = NacosStandIn.withAuth("deployer", "nacos-s3cret")) {
            Files.writeString(dir.resolve("environments.yaml"), """
                    - {name: staging, namespace: gulimall-staging, kubeconfigFile: %1$s/staging.kubeconfig}
                    - {name: prod, namespace: gulimall, kubeconfigFile: %1$s/prod.kubeconfig, nacosUrl: '%2$s'}
                    """.formatted(dir, nacos.url()));
            Path config = Files.createDirectories(dir.resolve(app + "/config/prod"));
            Files.writeString(config.resolve("application.properties"), "port=8080\n");
            Files.writeString(dir.resolve("nacos.password"), "nacos-s3cret\n");
            env.put("GULI_NACOS_PASSWORD_FILE", dir.resolve("nacos.password").toString());

            GuliRun promoted = guli("promote", "--to", "prod", "--nacos-username", "deployer");

            assertThat(promoted.exit()).as(promoted.err()).isZero();
            assertThat(nacos.content("", "DEFAULT_GROUP", "application.properties"))
                    .contains("port=8080\n");
            assertThat(promoted.out())
                    .contains("application.properties: published (sha256 ")
                    .doesNotContain("nacos-s3cret");
            assertThat(nacos.requests()).allSatisfy(q -> assertThat(q.url()).doesNotContain("nacos-s3cret"));

            env.put("GULI_NACOS_PASSWORD", "wrong");
            Files.writeString(config.resolve("application.properties"), "port=9090\n");
            GuliRun refused = guli("promote", "--to", "prod", "--nacos-username", "deployer");
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.err()).contains("nothing was changed");
            assertThat(nacos.content("", "DEFAULT_GROUP", "application.properties"))
                    .contains("port=8080\n");

            // the admin's group for the environment
            Files.writeString(dir.resolve("environments.yaml"), """
                    - {name: staging, namespace: gulimall-staging, kubeconfigFile: %1$s/staging.kubeconfig}
                    - {name: prod, namespace: gulimall, kubeconfigFile: %1$s/prod.kubeconfig, nacosUrl: '%2$s',
                       nacosGroup: GULIMALL}
                    """.formatted(dir, nacos.url()));
            env.put("GULI_NACOS_PASSWORD", "nacos-s3cret");
            GuliRun grouped = guli("promote", "--to", "prod", "--nacos-username", "deployer");
            assertThat(grouped.exit()).as(grouped.err()).isZero();
            assertThat(nacos.content("", "GULIMALL", "application.properties")).contains("port=9090\n");
            assertThat(nacos.content("", "DEFAULT_GROUP", "application.properties"))
                    .contains("port=8080\n");
        }
    }
}
