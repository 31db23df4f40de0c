package io.github.guli.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.TaskListener;
import io.github.guli.engine.UsernamePassword;
import io.github.guli.engine.image.GeneratedImage;
import io.github.guli.engine.image.ImageRequest;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * guliImage on the agent keeps a generated image's layers beside the workspace and reuses them only with the digests
 * the controller recorded (here: two builds of a job, the record round-tripped through the first build), pushing to
 * the real registry.
 */
class GuliImageLayersTest {
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final TaskListener listener = () -> new PrintStream(console, true, StandardCharsets.UTF_8);
    private final String app = "plugin-layers-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path root;

    /** A small Spring Boot jar with a layers index: a dependency of 2 MB that does not compress, and one class. */
    private Path module(Path ws, String classContent) throws Exception {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "org.springframework.boot.loader.launch.JarLauncher");
        m.getMainAttributes().putValue("Start-Class", "com.atguigu.gulimall.Demo");
        Path jar = Files.createDirectories(ws.resolve(app).resolve("target")).resolve(app + ".jar");
        byte[] dependency = new byte[2 << 20];
        new Random(7).nextBytes(dependency);
        String index = "- \"dependencies\":\n  - \"BOOT-INF/lib/\"\n- \"application\":\n  - \"BOOT-INF/classes/\"\n"
                + "  - \"BOOT-INF/layers.idx\"\n  - \"META-INF/\"\n";
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream j = new JarOutputStream(out, m)) {
            j.putNextEntry(new JarEntry("BOOT-INF/lib/dependency-1.0.jar"));
            j.write(dependency);
            j.putNextEntry(new JarEntry("BOOT-INF/classes/com/atguigu/gulimall/Demo.class"));
            j.write(classContent.getBytes(StandardCharsets.UTF_8));
            j.putNextEntry(new JarEntry("BOOT-INF/layers.idx"));
            j.write(index.getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }

    private ImageRequest request(Path ws, int build) throws Exception {
        String registry = System.getenv("GULI_TEST_REGISTRY");
        UsernamePassword login = new UsernamePassword(
                System.getenv("GULI_TEST_REGISTRY_USER"),
                Files.readString(Path.of(System.getenv("GULI_TEST_REGISTRY_PASSWORD_FILE")))
                        .strip());
        return new ImageRequest()
                .workspace(ws.toString())
                .name(app)
                .registry("http://" + registry)
                .namespace("guli-test")
                .tags(List.of("SNAPSHOT-master-" + build))
                .credentials(login)
                .allowedBaseImages(List.of("guli/jre"))
                .generated(new GeneratedImage(registry + "/guli/jre:17", 8080, "prod", null))
                .env(Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock"));
    }

    private GuliImageStep.Built build(Path ws, int number, Map<String, String> recorded) throws Exception {
        GuliImageStep.OnAgent onAgent = new GuliImageStep.OnAgent(
                request(ws, number),
                (command, output) -> {
                    throw new AssertionError("no command runs: " + command.argv());
                },
                listener,
                recorded);
        return onAgent.invoke(ws.toFile(), null).orThrow();
    }

    @Test
    void theLayersAreKeptBesideTheWorkspaceAndReusedOnlyAsTheControllerRecordedThem() throws Exception {
        Path ws = Files.createDirectories(root.resolve("job"));
        module(ws, "one");
        TestRun first = new TestRun();
        String key = GuliUpstreamDigests.key("shop", "master") + " image " + app;
        GuliImageStep.Built one = build(ws, 1, GuliUpstreamDigests.recorded(first, key));
        GuliUpstreamDigests.record(first, key, one.layerDigests());
        Path kept = root.resolve("job@tmp/guli-layers/" + app);
        assertThat(one.layerDigests()).hasSize(2);
        assertThat(kept).isDirectory();
        assertThat(console.toString()).doesNotContain("reused");

        // the next build of the job, after a one-line change: the dependencies layer is the kept one
        module(ws, "two");
        console.reset();
        TestRun second = new TestRun(first);
        GuliImageStep.Built two = build(ws, 2, GuliUpstreamDigests.recorded(second, key));
        assertThat(console.toString()).contains("the kept dependencies layer").contains("is as recorded: reused");
        assertThat(two.result().digest()).isNotEqualTo(one.result().digest());

        // a kept file changed on the agent is found by the controller's record, and made again
        Path dependencies;
        try (var files = Files.list(kept)) {
            dependencies =
                    files.filter(f -> f.toFile().length() > 1 << 20).findFirst().orElseThrow();
        }
        Files.writeString(dependencies, "a plugin of the branch's", StandardCharsets.UTF_8);
        console.reset();
        GuliImageStep.Built three = build(ws, 3, two.layerDigests());
        assertThat(console.toString()).contains("changed since it was kept: discarded, compressed again");
        assertThat(three.result().digest()).isEqualTo(two.result().digest());
        assertThat(three.layerDigests()).isEqualTo(two.layerDigests());
    }
}
