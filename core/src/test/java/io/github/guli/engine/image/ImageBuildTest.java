package io.github.guli.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.UsernamePassword;
import io.github.guli.engine.process.LocalCommands;
import io.github.guli.engine.registry.RegistryClient;
import io.github.guli.engine.registry.RegistryEndpoint;
import io.github.guli.engine.registry.Retry;
import io.github.guli.testsupport.ProcessArgsWatcher;
import io.github.guli.testsupport.RecordingProxy;
import io.github.guli.testsupport.SpringBootFixture;
import io.github.guli.testsupport.TestServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * guliImage's engine with the real Docker engine and the real local registry (htpasswd auth); the JRE base image
 * comes from test/services/jre-image.
 */
class ImageBuildTest {
    static final String JRE = "127.0.0.1:5000/guli/jre:17";
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private String registry;
    private UsernamePassword creds;
    private String app;

    @TempDir
    Path workspace;

    @org.junit.jupiter.api.BeforeAll
    static void jreImage() throws Exception {
        Process p = new ProcessBuilder("docker", "image", "inspect", JRE)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the JRE base image " + JRE + " is not in the Docker engine: make it with "
                    + "test/services/jre-image (test/services/start runs it)");
        }
    }

    @BeforeEach
    void setUp() {
        registry = TestServices.registry();
        creds = TestServices.registryCredentials();
        app = "img-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private ImageRequest request(String registryAddress, List<String> tags, UsernamePassword c) {
        return new ImageRequest()
                .workspace(workspace.toString())
                .name(app)
                .registry(registryAddress)
                .namespace("guli-test")
                .tags(tags)
                .credentials(c)
                .allowedBaseImages(List.of("guli/jre")) // outside the namespace: the admins allow it
                .generated(new GeneratedImage(JRE, 8080, "prod", null, true));
    }

    @org.junit.jupiter.api.AfterEach
    void besideTheWorkspaceIsEmptyAgain() throws Exception {
        Path beside = workspace.resolveSibling(workspace.getFileName() + "@tmp");
        if (Files.isDirectory(beside)) {
            try (Stream<Path> left = Files.list(beside)) {
                assertThat(left)
                        .as("the build's docker configuration is deleted")
                        .isEmpty();
            }
            Files.delete(beside);
        }
    }

    private static Map<String, String> withDockerHost(String host) {
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.put("DOCKER_HOST", host);
        return env;
    }

    private ImageBuild images() {
        return new ImageBuild(log::add, new LocalCommands(), new Retry(3, Duration.ofMillis(50)));
    }

    /** The course's layout: the module folder is named like the service, its jar in target/. */
    private Path springBootModule() throws Exception {
        Path target = Files.createDirectories(workspace.resolve(app).resolve("target"));
        Files.copy(SpringBootFixture.jar(), target.resolve(app + "-0.0.1-SNAPSHOT.jar"));
        return target.getParent();
    }

    private Path dockerfileModule(String dockerfile) throws Exception {
        Path module = Files.createDirectories(workspace.resolve(app));
        Files.writeString(module.resolve("Dockerfile"), dockerfile);
        Files.writeString(module.resolve("index.html"), "<h1>" + app + "</h1>\n");
        return module;
    }

    private String registryDigest(String tag) {
        return new RegistryClient(RegistryEndpoint.parse("http://" + registry), creds, Retry.DEFAULT, log::add)
                .getManifest("guli-test/" + app, tag)
                .digest();
    }

    @Test
    void aGeneratedLayeredImageIsPushedWithEveryTagAndItsContainerAnswers() throws Exception {
        springBootModule();
        ImageResult r =
                images().run(request("http://" + registry, List.of("SNAPSHOT-master-7", "latest", "v1.0.0"), creds));

        assertThat(r.dockerfile()).isEqualTo("generated");
        assertThat(r.layers()).containsExactly("dependencies", "spring-boot-loader", "application");
        assertThat(r.image()).isEqualTo(registry + "/guli-test/" + app);
        assertThat(r.tags()).containsExactly("SNAPSHOT-master-7", "latest", "v1.0.0");
        assertThat(r.digest()).startsWith("sha256:");
        for (String tag : r.tags()) {
            assertThat(registryDigest(tag)).as("digest of " + tag).isEqualTo(r.digest());
        }
        Path dockerfile =
                workspace.resolve(app).resolve(ImageSource.GENERATED_CONTEXT).resolve("Dockerfile");
        assertThat(Files.readString(dockerfile))
                .contains(
                        "FROM " + JRE,
                        "COPY dependencies/ /",
                        "COPY spring-boot-loader/ /",
                        "COPY application/ /",
                        "USER 10001:10001",
                        "EXPOSE 8080",
                        "JAVA_TOOL_OPTIONS=\"-XX:MaxRAMPercentage=75.0\"",
                        "ENTRYPOINT [\"java\", \"-cp\", \"/app\", \"org.springframework.boot.loader.launch.JarLauncher\", "
                                + "\"--server.port=8080\", \"--spring.profiles.active=prod\"]");
        assertThat(layers(r.image() + ":latest"))
                .as("the base image's layers and one per jar layer")
                .hasSize(layers(JRE).size() + 3);

        // the container: non-root, prod profile, heap from the container's 512 MiB limit, answering on 8080
        String container = docker("run", "-d", "--memory", "512m", "-p", "127.0.0.1::8080", r.image() + ":latest")
                .strip();
        try {
            String port = docker("port", container, "8080").strip().replaceAll(".*:", "");
            String body = waitForHttp("http://127.0.0.1:" + port + "/", Duration.ofSeconds(120), container);
            assertThat(body).contains("hello from gulimall-demo", "profiles=prod", "user=?");
            long heap = Long.parseLong(
                    body.replaceAll(".*maxHeapMiB=(\\d+).*", "$1").strip());
            assertThat(heap).as("max heap from 75% of 512 MiB").isBetween(330L, 400L);
            assertThat(docker("exec", container, "id", "-u").strip()).isEqualTo("10001");
        } finally {
            docker("rm", "-f", container);
        }
    }

    @Test
    void anUnchangedJarIsRebuiltWithoutSendingALayer() throws Exception {
        springBootModule();
        images().run(request("http://" + registry, List.of("SNAPSHOT-master-1"), creds));
        try (RecordingProxy proxy = new RecordingProxy("http://" + registry)) {
            ImageResult again =
                    images().run(request("http://" + proxy.hostPort(), List.of("SNAPSHOT-master-2"), creds));
            assertThat(again.digest()).startsWith("sha256:");
            // the image ID is the same, so no layer (and no config) goes up again: only the manifest under the new tag
            assertThat(proxy.requests())
                    .noneMatch(q -> q.startsWith("PATCH ") || q.startsWith("PUT /v2/guli-test/" + app + "/blobs"));
            assertThat(proxy.requests())
                    .anyMatch(q -> q.startsWith("PUT /v2/guli-test/" + app + "/manifests/SNAPSHOT-master-2"));
        }
    }

    @Test
    void aModuleDockerfileIsUsedAsItIs() throws Exception {
        dockerfileModule("FROM scratch\nCOPY index.html /usr/share/nginx/html/index.html\n");
        ImageResult r = images().run(request("http://" + registry, List.of("SNAPSHOT-master-3", "latest"), creds));
        assertThat(r.dockerfile())
                .isEqualTo(workspace.resolve(app).resolve("Dockerfile").toString());
        assertThat(r.layers()).isEmpty();
        assertThat(registryDigest("SNAPSHOT-master-3")).isEqualTo(r.digest());
        assertThat(registryDigest("latest")).isEqualTo(r.digest());
    }

    @Test
    void savesTheImageToATar() throws Exception {
        dockerfileModule("FROM scratch\nCOPY index.html /index.html\n");
        ImageResult r = images().run(request("http://" + registry, List.of("SNAPSHOT-master-4"), null)
                .push(false)
                .saveTo("images/" + app + ".tar")
                .generated(null));
        Path tar = workspace.resolve("images/" + app + ".tar");
        assertThat(r.savedTo()).isEqualTo(tar.toString());
        assertThat(r.digest()).as("not pushed").isNull();
        String listing = run(List.of("tar", "-tf", tar.toString()));
        assertThat(listing).contains("manifest.json", "repositories");
    }

    @Test
    void aFailingBuildShowsTheFailingInstruction() throws Exception {
        dockerfileModule("FROM " + JRE + "\nRUN echo preparing\nRUN exit 3\nCOPY index.html /\n");
        assertThatThrownBy(() -> images().run(request("http://" + registry, List.of("SNAPSHOT-master-5"), creds)))
                .isInstanceOf(GuliException.class)
                // 4 instructions, and the builder's LABEL steps for the revision and source labels
                .hasMessageContaining("at 'Step 3/6 : RUN exit 3'")
                .hasMessageContaining("returned a non-zero code: 3")
                .hasMessageContaining("Fix " + workspace.resolve(app).resolve("Dockerfile"));
    }

    @Test
    void aWrongPasswordIsRefusedBeforeTheBuildAndNeverShown() throws Exception {
        springBootModule();
        UsernamePassword wrong = new UsernamePassword(creds.username(), "not-the-password-" + UUID.randomUUID());
        assertThatThrownBy(() -> images().run(request("http://" + registry, List.of("SNAPSHOT-master-6"), wrong)))
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("refused the login of user '" + creds.username() + "'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrong.password()));
        assertThat(log).noneMatch(l -> l.startsWith("building"));
        assertThat(String.join("\n", log)).doesNotContain(wrong.password());
    }

    @Test
    void retriesA503TwiceThenPushes() throws Exception {
        dockerfileModule("FROM scratch\nCOPY index.html /index.html\n");
        try (RecordingProxy proxy = new RecordingProxy("http://" + registry)) {
            proxy.failNext(503, 2);
            ImageResult r = images().run(request("http://" + proxy.hostPort(), List.of("SNAPSHOT-master-8"), creds));
            assertThat(r.digest()).isEqualTo(registryDigest("SNAPSHOT-master-8"));
            assertThat(log).anyMatch(l -> l.contains("503") && l.contains("retrying in"));
        }
    }

    @Test
    void aRegistryThatKeepsFailingGivesAClearErrorAfterTheRetries() throws Exception {
        dockerfileModule("FROM scratch\nCOPY index.html /index.html\n");
        try (RecordingProxy proxy = new RecordingProxy("http://" + registry)) {
            proxy.failNext(503, 1000);
            assertThatThrownBy(() ->
                            images().run(request("http://" + proxy.hostPort(), List.of("SNAPSHOT-master-9"), creds)))
                    .isInstanceOf(GuliException.class)
                    .hasMessageContaining("kept failing after 3 attempts")
                    .hasMessageContaining("503");
        }
    }

    @Test
    void noDockerfileAndNoSpringBootJarSaysWhatToAdd() throws Exception {
        Path target = Files.createDirectories(workspace.resolve(app).resolve("target"));
        Files.writeString(target.resolve("notes.txt"), "not a jar");
        assertThatThrownBy(() -> images().run(request("http://" + registry, List.of("SNAPSHOT-master-10"), creds)))
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("no Dockerfile in " + workspace.resolve(app))
                .hasMessageContaining("no Spring Boot jar in " + target)
                .hasMessageContaining("add a Dockerfile");
    }

    @Test
    void anUnreachableEngineNamesWhereItLooked() throws Exception {
        dockerfileModule("FROM scratch\nCOPY index.html /index.html\n");
        ImageRequest away = request("http://" + registry, List.of("SNAPSHOT-master-11"), creds)
                .generated(null)
                .env(withDockerHost("unix:///nonexistent/docker.sock"));
        assertThatThrownBy(() -> images().run(away))
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("cannot reach the Docker engine at unix:///nonexistent/docker.sock")
                .hasMessageContaining("DOCKER_HOST");
    }

    @Test
    void anImageNameTheRegistryCannotHoldIsRefusedBeforeTheBuild() throws Exception {
        dockerfileModule("FROM scratch\nCOPY index.html /index.html\n");
        ImageRequest upper = request("http://" + registry, List.of("SNAPSHOT-master-12"), creds)
                .module(app)
                .name("GuliMall_Gateway")
                .generated(null);
        assertThatThrownBy(() -> images().run(upper))
                .hasMessageContaining("image name 'guli-test/GuliMall_Gateway' is not valid")
                .hasMessageContaining("lower-case");
        assertThat(log).noneMatch(l -> l.startsWith("building"));
    }

    @Test
    void noSecretInTheLogTheProcessArgumentsOrAFileLeftBehind() throws Exception {
        springBootModule();
        long start = System.currentTimeMillis() - 1000;
        ProcessArgsWatcher watcher = new ProcessArgsWatcher(List.of(creds.password()));
        images().run(request("http://" + registry, List.of("SNAPSHOT-master-13"), creds));
        assertThat(watcher.stop())
                .as("process command lines holding the password")
                .isEmpty();
        assertThat(String.join("\n", log)).doesNotContain(creds.password());
        List<Path> roots = new ArrayList<>(List.of(workspace, Path.of(System.getProperty("java.io.tmpdir"))));
        Path dockerConfig = Path.of(System.getProperty("user.home"), ".docker");
        if (Files.isDirectory(dockerConfig)) {
            roots.add(dockerConfig);
        }
        for (Path root : roots) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(Files::isRegularFile)
                        .filter(f -> f.toFile().lastModified() >= start)
                        .toList()) {
                    byte[] bytes;
                    try {
                        bytes = Files.readAllBytes(f);
                    } catch (java.io.IOException gone) {
                        continue;
                    }
                    assertThat(new String(bytes, StandardCharsets.ISO_8859_1))
                            .as("file " + f)
                            .doesNotContain(creds.password());
                }
            }
        }
    }

    @Test
    void anUnchangedLayerHasTheSameBytesInEveryBuildEvenWithoutTheBuildCache() throws Exception {
        springBootModule();
        ImageResult r = images().run(request("http://" + registry, List.of("SNAPSHOT-master-14"), creds));
        // the same jar split again (a fresh checkout on another agent), then built twice with no cache at all
        images().run(request("http://" + registry, List.of("SNAPSHOT-master-15"), creds)
                .push(false)
                .generated(new GeneratedImage(JRE, 8080, "prod", null)));
        String context =
                workspace.resolve(app).resolve(ImageSource.GENERATED_CONTEXT).toString();
        run(List.of("docker", "build", "-q", "--no-cache", "-t", r.image() + ":nocache-1", context));
        run(List.of("docker", "build", "-q", "--no-cache", "-t", r.image() + ":nocache-2", context));
        assertThat(layers(r.image() + ":nocache-1"))
                .isEqualTo(layers(r.image() + ":nocache-2"))
                .isEqualTo(layers(r.image() + ":SNAPSHOT-master-14"));
    }

    private static List<String> layers(String image) throws Exception {
        return List.of(docker("image", "inspect", "--format", "{{range .RootFS.Layers}}{{println .}}{{end}}", image)
                .strip()
                .split("\n"));
    }

    static String waitForHttp(String url, Duration timeout, String container) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return r.body();
                }
            } catch (java.io.IOException notYet) {
                // starting
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "no answer from " + url + " in " + timeout + "; container log:\n" + docker("logs", container));
            }
            Thread.sleep(500);
        }
    }

    static String docker(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    static String run(List<String> cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("DOCKER_BUILDKIT", "0"); // the engine here has no BuildKit
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
        return out;
    }
}
