package io.github.guli.engine.image;

import static io.github.guli.engine.image.ImageBuildTest.docker;
import static io.github.guli.engine.image.ImageBuildTest.waitForHttp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.UsernamePassword;
import io.github.guli.engine.process.Commands;
import io.github.guli.engine.registry.BlobUpload;
import io.github.guli.engine.registry.RegistryClient;
import io.github.guli.engine.registry.RegistryEndpoint;
import io.github.guli.engine.registry.Retry;
import io.github.guli.testsupport.GitWorkspace;
import io.github.guli.testsupport.RecordingProxy;
import io.github.guli.testsupport.SpringBootFixture;
import io.github.guli.testsupport.TestServices;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated image made with no Docker engine (DOCKER_HOST points nowhere for the engine): assembled from the
 * Spring Boot fixture's jar and the JRE base image read from the real registry, pushed through the registry API.
 * The Docker engine is used by the tests only, to run what landed in the registry.
 */
class DaemonlessImageTest {
    static final String JRE_REPOSITORY = "guli/jre";
    /** Where a docker command would look for a Docker engine: nowhere. */
    static final Map<String, String> NO_ENGINE = Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock");
    /** No command may run at all: the image is made in the JVM. */
    static final Commands NO_COMMANDS = (command, output) -> {
        throw new AssertionError("a daemonless build ran " + command.argv());
    };
    /** What the bench measured for the engine-built image's second push after a one-line change. */
    static final long DAEMON_SECOND_PUSH_BYTES = 8_266;

    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private String registry;
    private UsernamePassword creds;
    private String app;

    @TempDir
    Path workspace;

    @BeforeEach
    void setUp() {
        registry = TestServices.registry();
        creds = TestServices.registryCredentials();
        app = "nodaemon-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A push to {@code registryHost}, FROM the JRE image in that same registry. */
    private ImageRequest request(Path ws, String registryHost, String tag) {
        return new ImageRequest()
                .workspace(ws.toString())
                .name(app)
                .registry("http://" + registryHost)
                .namespace("guli-test")
                .tags(List.of(tag))
                .credentials(creds)
                .allowedBaseImages(List.of(JRE_REPOSITORY)) // outside the namespace: the admins allow it
                .generated(new GeneratedImage(registryHost + "/" + JRE_REPOSITORY + ":17", 8080, "prod", null))
                .env(NO_ENGINE);
    }

    private ImageBuild images() {
        return new ImageBuild(log::add, NO_COMMANDS, new Retry(3, Duration.ofMillis(50)));
    }

    private void module(Path ws, Path jar) throws Exception {
        Path target = Files.createDirectories(ws.resolve(app).resolve("target"));
        Files.copy(jar, target.resolve(app + "-0.0.1-SNAPSHOT.jar"));
    }

    /** docker pull with a login kept in a folder of the test (deleted with it), not in the user's ~/.docker. */
    private void pull(String image) throws Exception {
        Path config = Files.createDirectories(workspace.resolve(".docker"));
        Process login = new ProcessBuilder(
                        "docker",
                        "--config",
                        config.toString(),
                        "login",
                        "-u",
                        creds.username(),
                        "--password-stdin",
                        registry)
                .redirectErrorStream(true)
                .start();
        try (var in = login.getOutputStream()) {
            in.write(creds.password().getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(login.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(login.waitFor()).as(out).isZero();
        docker("--config", config.toString(), "pull", image);
    }

    private RegistryClient client() {
        return new RegistryClient(RegistryEndpoint.parse("http://" + registry), creds, Retry.DEFAULT, log::add);
    }

    private JsonNode manifest(String tag) throws Exception {
        return JSON.readTree(client().getManifest("guli-test/" + app, tag).body());
    }

    @Test
    void theImageLandsInTheRegistryWithNoDockerEngineAndRunsAs10001AnsweringHttp() throws Exception {
        module(workspace, SpringBootFixture.jar());
        ImageResult r = images().run(request(workspace, registry, "SNAPSHOT-master-1"));

        assertThat(r.dockerfile()).isEqualTo("generated");
        assertThat(r.layers()).containsExactly("dependencies", "spring-boot-loader", "application");
        assertThat(r.digest())
                .isEqualTo(client().getManifest("guli-test/" + app, "SNAPSHOT-master-1")
                        .digest());
        assertThat(log).anyMatch(l -> l.contains("with no Docker engine"));
        JsonNode base = JSON.readTree(client().getManifest(JRE_REPOSITORY, "17").body());
        JsonNode m = manifest("SNAPSHOT-master-1");
        assertThat(m.path("layers")).hasSize(base.path("layers").size() + 3);
        JsonNode config = JSON.readTree(new BlobUpload(client())
                .read("guli-test/" + app, m.path("config").path("digest").asText()));
        JsonNode c = config.path("config");
        assertThat(c.path("User").asText()).isEqualTo("10001:10001");
        assertThat(c.path("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(c.path("Env").toString()).contains("JAVA_TOOL_OPTIONS=-XX:MaxRAMPercentage=75.0", "PATH=");
        assertThat(c.path("Entrypoint").toString())
                .isEqualTo(
                        "[\"java\",\"-cp\",\"/app\","
                                + "\"org.springframework.boot.loader.launch.JarLauncher\",\"--server.port=8080\",\"--spring.profiles.active=prod\"]");
        assertThat(config.path("created").asText()).isEqualTo("1980-01-01T00:00:00Z");

        // now, in the test only, the Docker engine pulls it and runs it as the generated Dockerfile's image runs
        String image = registry + "/guli-test/" + app + ":SNAPSHOT-master-1";
        pull(image);
        String container = docker("run", "-d", "--memory", "512m", "-p", "127.0.0.1::8080", image)
                .strip();
        try {
            String port = docker("port", container, "8080").strip().replaceAll("(?s).*:", "");
            String body = waitForHttp("http://127.0.0.1:" + port + "/", Duration.ofSeconds(120), container);
            assertThat(body).contains("hello from gulimall-demo", "profiles=prod");
            assertThat(docker("exec", container, "id", "-u").strip()).isEqualTo("10001");
            // every file of a layer with the fixed time and mode
            assertThat(docker("exec", container, "stat", "-c", "%a %Y %u", "/app", "/app/BOOT-INF/layers.idx")
                            .strip())
                    .isEqualTo("755 315532800 0\n644 315532800 0");
        } finally {
            docker("rm", "-f", container);
            docker("rmi", image);
        }
    }

    @Test
    void theSameInputsGiveTheSameDigestInAnotherWorkspace(@TempDir Path other) throws Exception {
        module(workspace, SpringBootFixture.jar());
        module(other, SpringBootFixture.jar());
        String first =
                images().run(request(workspace, registry, "SNAPSHOT-master-2")).digest();
        String again =
                images().run(request(workspace, registry, "SNAPSHOT-master-3")).digest();
        String elsewhere =
                images().run(request(other, registry, "SNAPSHOT-master-4")).digest();
        assertThat(again).isEqualTo(first);
        assertThat(elsewhere).isEqualTo(first);
    }

    private JsonNode labels(String tag) throws Exception {
        String config = manifest(tag).path("config").path("digest").asText();
        return JSON.readTree(new BlobUpload(client()).read("guli-test/" + app, config))
                .path("config")
                .path("Labels");
    }

    @Test
    void theImageCarriesTheCommitItWasBuiltFromAndTheSameCommitGivesTheSameDigest(@TempDir Path other)
            throws Exception {
        String origin = "https://deployer:s3cret-token@git.example.com/gulimall/gulimall.git?private_token=t0k#x";
        module(workspace, SpringBootFixture.jar());
        module(other, SpringBootFixture.jar());
        String commit = GitWorkspace.commitAll(workspace, origin);
        assertThat(GitWorkspace.commitAll(other, origin)).isEqualTo(commit);

        String first =
                images().run(request(workspace, registry, "SNAPSHOT-master-5")).digest();
        String elsewhere =
                images().run(request(other, registry, "SNAPSHOT-master-6")).digest();

        assertThat(elsewhere).isEqualTo(first);
        JsonNode labels = labels("SNAPSHOT-master-5");
        assertThat(labels.path("org.opencontainers.image.revision").asText()).isEqualTo(commit);
        assertThat(labels.path("org.opencontainers.image.source").asText())
                .isEqualTo("https://git.example.com/gulimall/gulimall.git");
        assertThat(String.join("\n", log)).doesNotContain("s3cret-token", "t0k");
    }

    @Test
    void anImageBuiltOutsideAGitCheckoutCarriesAnEmptyRevisionNotTheBaseImages() throws Exception {
        module(workspace, SpringBootFixture.jar());

        images().run(request(workspace, registry, "SNAPSHOT-master-8"));

        assertThat(labels("SNAPSHOT-master-8")
                        .path("org.opencontainers.image.revision")
                        .asText())
                .isEmpty();
        assertThat(log).anyMatch(l -> l.contains("the workspace is not a git checkout"));
    }

    @Test
    void aSecondPushAfterAOneLineChangeSendsNoByteOfAnUnchangedLayer(@TempDir Path build) throws Exception {
        module(workspace, SpringBootFixture.jar());
        try (RecordingProxy proxy = new RecordingProxy("http://" + registry)) {
            ImageResult first = images().run(request(workspace, proxy.hostPort(), "SNAPSHOT-master-5"));
            JsonNode base =
                    JSON.readTree(client().getManifest(JRE_REPOSITORY, "17").body());
            assertThat(proxy.uploads())
                    .as("the base image's layers are mounted from its repository, not sent")
                    .noneMatch(u -> base.path("layers").findValuesAsText("digest").stream()
                            .anyMatch(u::contains));
            JsonNode firstManifest = manifest("SNAPSHOT-master-5");

            Path changed = SpringBootFixture.jarWithOneLineChanged(build, ", run " + app);
            Files.copy(
                    changed,
                    workspace.resolve(app).resolve("target").resolve(app + "-0.0.1-SNAPSHOT.jar"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            proxy.reset();
            ImageResult second = images().run(request(workspace, proxy.hostPort(), "SNAPSHOT-master-6"));

            assertThat(second.digest()).isNotEqualTo(first.digest());
            JsonNode secondManifest = manifest("SNAPSHOT-master-6");
            List<String> unchanged = new ArrayList<>();
            List<String> changedLayers = new ArrayList<>();
            for (int i = 0; i < secondManifest.path("layers").size(); i++) {
                String d = secondManifest.path("layers").get(i).path("digest").asText();
                (d.equals(firstManifest.path("layers").get(i).path("digest").asText()) ? unchanged : changedLayers)
                        .add(d);
            }
            assertThat(changedLayers).as("only the application layer changed").hasSize(1);
            List<String> blobUploads = proxy.uploads().stream()
                    .filter(u -> u.contains("/blobs/"))
                    .map(u -> URLDecoder.decode(u, StandardCharsets.UTF_8))
                    .toList();
            assertThat(blobUploads)
                    .as("no byte of an unchanged layer")
                    .noneMatch(u -> unchanged.stream().anyMatch(u::contains));
            assertThat(blobUploads)
                    .as("the application layer and the config")
                    .hasSize(2)
                    .anyMatch(u -> u.contains(changedLayers.get(0)))
                    .anyMatch(u -> u.contains(
                            secondManifest.path("config").path("digest").asText()));
            assertThat(proxy.bytesReceived())
                    .as("bytes of the second push, at or below the engine's")
                    .isLessThanOrEqualTo(DAEMON_SECOND_PUSH_BYTES);
        }
    }

    @Test
    void aWrongPasswordIsRefusedBeforeAnyLayerIsWrittenAndNeverShown() throws Exception {
        module(workspace, SpringBootFixture.jar());
        UsernamePassword wrong = new UsernamePassword(creds.username(), "not-the-password-" + UUID.randomUUID());
        ImageRequest bad = request(workspace, registry, "SNAPSHOT-master-8").credentials(wrong);
        assertThatThrownBy(() -> images().run(bad))
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("refused the login of user '" + creds.username() + "'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrong.password()));
        assertThat(String.join("\n", log)).doesNotContain(wrong.password());
        assertThat(workspace.resolve(app).resolve(ImageSource.GENERATED_CONTEXT).resolve("application.tar.gz"))
                .doesNotExist();
    }

    @Test
    void aBaseImageOnAnotherRegistryIsReadWithoutTheRegistryCredentials() throws Exception {
        module(workspace, SpringBootFixture.jar());
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        HttpServer other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String otherBase = "http://127.0.0.1:" + other.getAddress().getPort();
        other.createContext("/", ex -> {
            seen.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " Authorization="
                    + ex.getRequestHeaders().getFirst("Authorization"));
            // what a registry that wants a login answers, with its token service on the same host
            ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"" + otherBase + "/token\",service=\"x\"");
            ex.sendResponseHeaders(401, -1);
            ex.close();
        });
        other.start();
        try {
            ImageRequest from = request(workspace, registry, "SNAPSHOT-master-7")
                    .generated(new GeneratedImage(
                            "127.0.0.1:" + other.getAddress().getPort() + "/guli/jre:17", 8080, "prod", null));
            assertThatThrownBy(() -> images().run(from))
                    .isInstanceOf(GuliException.class)
                    .hasMessageContaining(
                            "is on 127.0.0.1:" + other.getAddress().getPort() + ", which asks for a login")
                    .hasMessageContaining("only sent to the configured registry");
        } finally {
            other.stop(0);
        }
        assertThat(seen).as("the other registry was asked").isNotEmpty();
        assertThat(seen).as("and never given the credentials").allMatch(s -> s.endsWith("Authorization=null"));
    }
}
