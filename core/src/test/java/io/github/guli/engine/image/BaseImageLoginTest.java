package io.github.guli.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.UsernamePassword;
import io.github.guli.engine.process.Commands;
import io.github.guli.engine.process.LocalCommands;
import io.github.guli.engine.registry.BlobUpload;
import io.github.guli.engine.registry.ImageManifest;
import io.github.guli.engine.registry.RegistryClient;
import io.github.guli.engine.registry.RegistryEndpoint;
import io.github.guli.engine.registry.Retry;
import io.github.guli.testsupport.SpringBootFixture;
import io.github.guli.testsupport.TestServices;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry login reads the job's namespace and the base images the admins allow, nothing else of the registry:
 * a branch's Dockerfile or baseImage naming another team's private image gets a refusal naming the setting. The
 * real registry (htpasswd: nothing is readable anonymously) holds a copy of the JRE image in another namespace.
 */
class BaseImageLoginTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> commands = Collections.synchronizedList(new ArrayList<>());
    private String registry;
    private UsernamePassword creds;
    private String app;
    private String otherTeam;

    @TempDir
    Path workspace;

    @BeforeEach
    void setUp() throws Exception {
        registry = TestServices.registry();
        creds = TestServices.registryCredentials();
        String id = UUID.randomUUID().toString().substring(0, 8);
        app = "base-" + id;
        otherTeam = "guli-other-" + id;
        copyJre(otherTeam + "/secret-jre");
    }

    private RegistryClient client() {
        return new RegistryClient(
                RegistryEndpoint.parse("http://" + registry), creds, new Retry(2, Duration.ofMillis(10)), l -> {});
    }

    /** The JRE image under another name, by mounting its blobs: no byte is copied. */
    private void copyJre(String repository) throws Exception {
        RegistryClient client = client();
        ImageManifest m = client.getManifest(DaemonlessImageTest.JRE_REPOSITORY, "17");
        JsonNode tree = JSON.readTree(m.body());
        BlobUpload blobs = new BlobUpload(client);
        List<String> digests =
                new ArrayList<>(List.of(tree.path("config").path("digest").asText()));
        tree.path("layers").forEach(l -> digests.add(l.path("digest").asText()));
        for (String d : digests) {
            assertThat(blobs.mount(repository, d, DaemonlessImageTest.JRE_REPOSITORY))
                    .as(d)
                    .isTrue();
        }
        client.putManifest(repository, "17", m);
    }

    private ImageRequest request(String namespace, List<String> allowed) {
        return new ImageRequest()
                .workspace(workspace.toString())
                .name(app)
                .registry("http://" + registry)
                .namespace(namespace)
                .tags(List.of("SNAPSHOT-master-1"))
                .credentials(creds)
                .allowedBaseImages(allowed);
    }

    private ImageRequest generated(String namespace, List<String> allowed, String baseImage) throws Exception {
        Path target = Files.createDirectories(workspace.resolve(app).resolve("target"));
        Files.copy(SpringBootFixture.jar(), target.resolve(app + "-0.0.1-SNAPSHOT.jar"));
        return request(namespace, allowed)
                .generated(new GeneratedImage(baseImage, 8080, "prod", null))
                .env(Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock"));
    }

    private ImageRequest dockerfile(String namespace, List<String> allowed, String text) throws Exception {
        Path module = Files.createDirectories(workspace.resolve(app));
        Files.writeString(module.resolve("Dockerfile"), text);
        Files.writeString(module.resolve("index.html"), "<h1>" + app + "</h1>\n");
        return request(namespace, allowed);
    }

    /** The docker commands run, each with the registry logins its configuration held at that moment. */
    private Commands recording() {
        LocalCommands local = new LocalCommands();
        return (command, output) -> {
            String config = command.env().get("DOCKER_CONFIG");
            String auths = "no DOCKER_CONFIG";
            if (config != null && Files.isRegularFile(Path.of(config, "config.json"))) {
                auths = JSON.readTree(Files.readString(Path.of(config, "config.json")))
                        .path("auths")
                        .toString()
                        .replace(basicAuth(), "<the login>"); // a failing assertion prints it
            }
            commands.add(command.argv().get(1) + " "
                    + String.join(" ", command.argv().subList(2, command.argv().size())) + " | auths=" + auths);
            return local.run(command, output);
        };
    }

    private ImageBuild images() {
        return new ImageBuild(l -> {}, recording(), new Retry(2, Duration.ofMillis(10)));
    }

    private String basicAuth() {
        return Base64.getEncoder()
                .encodeToString((creds.username() + ":" + creds.password()).getBytes(StandardCharsets.UTF_8));
    }

    private String otherImage() {
        return registry + "/" + otherTeam + "/secret-jre:17";
    }

    @Test
    void anotherNamespacesPrivateBaseImageIsNotReadWithTheLoginWithoutAnEngine() throws Exception {
        Throwable thrown = catchThrowable(() -> images().run(generated("guli-test", List.of(), otherImage())));
        assertThat(thrown)
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("the base image " + otherImage() + " (baseImage)")
                .hasMessageContaining("not under the job's namespace 'guli-test'")
                .hasMessageContaining("allowedBaseImages");
        assertThat(client().findManifest("guli-test/" + app, "SNAPSHOT-master-1"))
                .as("nothing pushed")
                .isNull();
    }

    @Test
    void anAllowListedOrOwnNamespacesBaseImageIsReadWithTheLoginWithoutAnEngine() throws Exception {
        ImageResult allowed = images().run(generated("guli-test", List.of(otherTeam + "/*"), otherImage()));
        assertThat(allowed.digest()).startsWith("sha256:");

        copyJre("guli-test/" + app + "-jre");
        ImageResult own = images().run(request("guli-test", List.of())
                .tags(List.of("SNAPSHOT-master-2"))
                .generated(new GeneratedImage(registry + "/guli-test/" + app + "-jre:17", 8080, "prod", null))
                .env(Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock")));
        assertThat(own.digest()).isEqualTo(allowed.digest());
    }

    @Test
    void aDockerfileStageFromAnotherNamespaceIsRefusedBeforeAnythingIsPulledOrBuilt() throws Exception {
        ImageRequest r = dockerfile(
                "guli-test",
                List.of("guli/jre"),
                "FROM " + ImageBuildTest.JRE + " AS runtime\nFROM " + otherImage() + "\nCOPY index.html /\n");
        Throwable thrown = catchThrowable(() -> images().run(r));

        assertThat(commands).as("no docker pull, build or push").noneMatch(c -> c.matches("(pull|build|push) .*"));
        assertThat(thrown)
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("the base image " + otherImage() + " ('FROM " + otherImage() + "' in ")
                .hasMessageContaining("allowedBaseImages");
    }

    @Test
    void anAllowListedDockerfileBaseIsPulledWithTheLoginAndTheBuildRunsWithNone() throws Exception {
        ImageResult r = images().run(dockerfile(
                "guli-test",
                List.of(otherTeam + "/secret-jre:17"),
                "FROM " + otherImage() + "\n" + "COPY index.html /\n"));

        assertThat(r.digest()).startsWith("sha256:");
        assertThat(commands).filteredOn(c -> c.startsWith("build ")).hasSize(1).allMatch(c -> c.endsWith("auths={}"));
        List<String> pull = commands.stream().filter(c -> c.startsWith("pull ")).toList();
        assertThat(pull)
                .hasSize(1)
                .allMatch(c -> c.startsWith("pull " + otherImage() + " ") && c.contains("<the login>"));
        assertThat(commands)
                .filteredOn(c -> c.startsWith("push "))
                .isNotEmpty()
                .allMatch(c -> c.contains("<the login>"));
        assertThat(String.join("\n", commands).indexOf("pull "))
                .as("pulled before the build")
                .isLessThan(String.join("\n", commands).indexOf("build "));
    }

    @Test
    void theOwnNamespacesImageIsPulledWithTheLoginOnTheDockerPath() throws Exception {
        copyJre("guli-test/" + app + "-jre");
        String own = registry + "/guli-test/" + app + "-jre:17";
        ImageResult r = images().run(dockerfile("guli-test", List.of(), "FROM " + own + "\nCOPY index.html /\n"));

        assertThat(r.digest()).startsWith("sha256:");
        assertThat(commands).anyMatch(c -> c.startsWith("pull " + own + " "));
        assertThat(commands).filteredOn(c -> c.startsWith("build ")).allMatch(c -> c.endsWith("auths={}"));
    }
}
