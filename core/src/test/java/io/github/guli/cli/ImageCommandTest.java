package io.github.guli.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.guli.engine.UsernamePassword;
import io.github.guli.engine.registry.BlobUpload;
import io.github.guli.engine.registry.RegistryClient;
import io.github.guli.engine.registry.RegistryEndpoint;
import io.github.guli.engine.registry.Retry;
import io.github.guli.testsupport.GitWorkspace;
import io.github.guli.testsupport.ProcessArgsWatcher;
import io.github.guli.testsupport.SpringBootFixture;
import io.github.guli.testsupport.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code guli image} run as its own process, against the real Docker engine and registry. */
class ImageCommandTest {
    @Test
    void buildsTagsAndPushesWithThePasswordOnlyInTheEnvironment(@TempDir Path ws) throws Exception {
        String registry = TestServices.registry();
        UsernamePassword reg = TestServices.registryCredentials();
        String app = "cli-img-" + UUID.randomUUID().toString().substring(0, 8);
        Path module = Files.createDirectories(ws.resolve(app));
        Files.writeString(module.resolve("Dockerfile"), "FROM scratch\nCOPY dist/ /usr/share/nginx/html/\n");
        Files.createDirectories(module.resolve("dist"));
        Files.writeString(module.resolve("dist/index.html"), "<h1>gulimall-admin-vue</h1>\n");
        String commit = GitWorkspace.commitAll(ws, "http://deployer:s3cret-token@127.0.0.1:8929/gulimall.git");

        ProcessArgsWatcher watcher = new ProcessArgsWatcher(List.of(reg.password()));
        GuliRun r = GuliRun.process(
                null,
                Map.of("GULI_REGISTRY_USERNAME", reg.username(), "GULI_REGISTRY_PASSWORD", reg.password()),
                Duration.ofSeconds(300),
                "image",
                "--project-name",
                app,
                "--workspace",
                ws.toString(),
                "--registry",
                "http://" + registry,
                "--namespace",
                "guli-test",
                "--branch",
                "master",
                "--build-number",
                "3",
                "--tags",
                "v1.0.0");
        List<String> leaks = watcher.stop();

        assertThat(r.exit()).as(r.all()).isZero();
        String digest = new RegistryClient(RegistryEndpoint.parse("http://" + registry), reg, Retry.DEFAULT, l -> {})
                .getManifest("guli-test/" + app, "SNAPSHOT-master-3")
                .digest();
        assertThat(r.all())
                .contains("[guli image] pushed " + registry + "/guli-test/" + app
                        + ":SNAPSHOT-master-3, :latest, :v1.0.0 (" + digest + ")");
        assertThat(r.all()).doesNotContain(reg.password());
        assertThat(leaks).as("process command lines holding the password").isEmpty();
        // docker build --label: the commit built, and where from, without the URL's credentials
        RegistryClient client =
                new RegistryClient(RegistryEndpoint.parse("http://" + registry), reg, Retry.DEFAULT, l -> {});
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        String config = json.readTree(
                        client.getManifest("guli-test/" + app, "v1.0.0").body())
                .path("config")
                .path("digest")
                .asText();
        var labels = json.readTree(new BlobUpload(client).read("guli-test/" + app, config))
                .path("config")
                .path("Labels");
        assertThat(labels.path("org.opencontainers.image.revision").asText()).isEqualTo(commit);
        assertThat(labels.path("org.opencontainers.image.source").asText())
                .isEqualTo("http://127.0.0.1:8929/gulimall.git");
        assertThat(r.all()).doesNotContain("s3cret-token");
    }

    @Test
    void keptLayersInsideTheProjectAreRefused(@TempDir Path ws) throws Exception {
        GuliRun r = GuliRun.process(
                null,
                Map.of(),
                Duration.ofSeconds(300),
                "image",
                "--project-name",
                "x",
                "--workspace",
                ws.toString(),
                "--layer-cache",
                ws.resolve("kept").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.all())
                .contains("guli image: the kept layers' folder " + ws.resolve("kept"))
                .contains("is inside the project, which the build can write: give --layer-cache a folder outside it");
    }

    @Test
    void aPortThatIsNotANumberIsAUsageError() throws Exception {
        GuliRun r = GuliRun.process(
                null, Map.of(), Duration.ofSeconds(300), "image", "--project-name", "x", "--port", "eighty");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.all()).contains("--port needs a number");
    }

    @Test
    void aSpringBootModuleIsPushedWithNoDockerEngineUnlessDaemonIsGiven(@TempDir Path ws, @TempDir Path kept)
            throws Exception {
        String registry = TestServices.registry();
        UsernamePassword reg = TestServices.registryCredentials();
        String app = "cli-nodaemon-" + UUID.randomUUID().toString().substring(0, 8);
        Path target = Files.createDirectories(ws.resolve(app).resolve("target"));
        Files.copy(SpringBootFixture.jar(), target.resolve(app + ".jar"));
        Map<String, String> env = Map.of(
                "GULI_REGISTRY_USERNAME",
                reg.username(),
                "GULI_REGISTRY_PASSWORD",
                reg.password(),
                "DOCKER_HOST",
                "unix:///nonexistent/docker.sock");
        List<String> args = List.of(
                "image",
                "--project-name",
                app,
                "--workspace",
                ws.toString(),
                "--registry",
                "http://" + registry,
                "--namespace",
                "guli-test",
                "--tags",
                "v1.0.0",
                "--no-latest",
                "--base-image",
                registry + "/guli/jre:17",
                "--allowed-base-images",
                "guli/jre",
                "--layer-cache",
                kept.resolve("layers").toString());

        GuliRun pushed = GuliRun.process(null, env, Duration.ofSeconds(300), args.toArray(String[]::new));
        assertThat(pushed.exit()).as(pushed.all()).isZero();
        String digest = new RegistryClient(RegistryEndpoint.parse("http://" + registry), reg, Retry.DEFAULT, l -> {})
                .getManifest("guli-test/" + app, "v1.0.0")
                .digest();
        assertThat(pushed.all()).contains("with no Docker engine", "(" + digest + ")");
        assertThat(CacheRecord.read(kept.resolve("layers.properties"))).hasSize(3);
        GuliRun again = GuliRun.process(null, env, Duration.ofSeconds(300), args.toArray(String[]::new));
        assertThat(again.exit()).as(again.all()).isZero();
        assertThat(again.all()).contains("the kept dependencies layer", "is as recorded: reused", "(" + digest + ")");

        List<String> daemon = new java.util.ArrayList<>(args);
        daemon.add("--daemon");
        GuliRun refused = GuliRun.process(null, env, Duration.ofSeconds(300), daemon.toArray(String[]::new));
        assertThat(refused.exit()).as(refused.all()).isNotZero();
        assertThat(refused.all()).contains("cannot reach the Docker engine at unix:///nonexistent/docker.sock");
    }
}
