package io.github.guli.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.guli.engine.UsernamePassword;
import io.github.guli.engine.registry.Retry;
import io.github.guli.testsupport.SpringBootFixture;
import io.github.guli.testsupport.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated image's layers kept between builds, pushed to the real registry: a kept layer is reused only as
 * recorded, and the image is the one a build without the cache makes.
 */
class LayerCacheTest {
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private String registry;
    private UsernamePassword creds;
    private String app;
    private int tag;

    @TempDir
    Path workspace;

    @TempDir
    Path kept;

    @BeforeEach
    void setUp() throws Exception {
        registry = TestServices.registry();
        creds = TestServices.registryCredentials();
        app = "layercache-" + UUID.randomUUID().toString().substring(0, 8);
        jar(SpringBootFixture.jar());
    }

    private void jar(Path jar) throws Exception {
        Path target = Files.createDirectories(workspace.resolve(app).resolve("target"));
        Files.copy(jar, target.resolve(app + "-0.0.1-SNAPSHOT.jar"), StandardCopyOption.REPLACE_EXISTING);
    }

    private ImageRequest request() {
        return new ImageRequest()
                .workspace(workspace.toString())
                .name(app)
                .registry("http://" + registry)
                .namespace("guli-test")
                .tags(List.of("SNAPSHOT-master-" + ++tag))
                .credentials(creds)
                .allowedBaseImages(List.of(DaemonlessImageTest.JRE_REPOSITORY))
                .generated(new GeneratedImage(
                        registry + "/" + DaemonlessImageTest.JRE_REPOSITORY + ":17", 8080, "prod", null))
                .env(DaemonlessImageTest.NO_ENGINE);
    }

    private ImageBuild images() {
        return new ImageBuild(log::add, DaemonlessImageTest.NO_COMMANDS, new Retry(3, Duration.ofMillis(50)));
    }

    /** A build with the kept folder and {@code recorded}; returns its digest, the new record in {@code out}. */
    private String withCache(Map<String, String> recorded, List<Map<String, String>> out) {
        ImageBuild build = images();
        String digest =
                build.run(request().layerCache(kept.toString(), recorded)).digest();
        out.add(build.layerDigests());
        return digest;
    }

    /** The largest kept file: the dependencies layer. */
    private Path largestKept(Map<String, String> record) throws Exception {
        try (Stream<Path> files = Files.list(kept)) {
            return files.filter(
                            f -> record.containsKey(f.getFileName().toString().replace(".tar.gz", "")))
                    .max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length()))
                    .orElseThrow();
        }
    }

    @Test
    void anUnchangedLayerIsReusedAndTheImageIsTheOneABuildWithoutTheCacheMakes(@TempDir Path build) throws Exception {
        String plain = images().run(request()).digest();
        List<Map<String, String>> records = new ArrayList<>();

        String first = withCache(Map.of(), records);
        assertThat(first).as("the first build with the cache").isEqualTo(plain);
        assertThat(records.get(0)).as("one kept file per layer").hasSize(3);
        assertThat(log).noneMatch(l -> l.contains("reused"));

        log.clear();
        String again = withCache(records.get(0), records);
        assertThat(again).isEqualTo(plain);
        assertThat(log).filteredOn(l -> l.contains("is as recorded: reused")).hasSize(3);

        // a one-line change: the dependencies come from the cache, the application layer is new
        jar(SpringBootFixture.jarWithOneLineChanged(build, ", kept " + app));
        String changedPlain = images().run(request()).digest();
        log.clear();
        String changed = withCache(records.get(1), records);
        assertThat(changed).isEqualTo(changedPlain).isNotEqualTo(plain);
        assertThat(log)
                .filteredOn(l -> l.contains("is as recorded: reused"))
                .hasSize(2)
                .anyMatch(l -> l.contains("the kept dependencies layer"));
        assertThat(records.get(2)).hasSize(3).isNotEqualTo(records.get(1));
        try (Stream<Path> files = Files.list(kept)) {
            assertThat(files.map(f -> f.getFileName().toString().replace(".tar.gz", "")))
                    .as("the old application layer is deleted")
                    .containsExactlyInAnyOrderElementsOf(records.get(2).keySet());
        }
    }

    @Test
    void aKeptLayerChangedOrNotRecordedIsDetectedAndMadeAgain() throws Exception {
        String plain = images().run(request()).digest();
        List<Map<String, String>> records = new ArrayList<>();
        withCache(Map.of(), records);
        Path dependencies = largestKept(records.get(0));
        byte[] original = Files.readAllBytes(dependencies);

        // same size, one byte changed: what a build's code on the agent could leave there
        byte[] tampered = original.clone();
        tampered[tampered.length / 2] ^= 1;
        Files.write(dependencies, tampered);
        log.clear();
        String rebuilt = withCache(records.get(0), records);
        assertThat(rebuilt).isEqualTo(plain);
        assertThat(log)
                .anyMatch(l -> l.contains("the kept dependencies layer " + dependencies)
                        && l.contains("changed since it was kept: discarded, compressed again"));
        assertThat(Files.readAllBytes(dependencies)).isEqualTo(original);
        assertThat(records.get(1)).isEqualTo(records.get(0));

        // a file of the right name with no record (an earlier build's record lost, or a file put there)
        log.clear();
        String unrecorded = withCache(Map.of(), records);
        assertThat(unrecorded).isEqualTo(plain);
        assertThat(log)
                .filteredOn(l -> l.contains("was not kept by an earlier build (something else wrote it)"))
                .hasSize(3);

        // anything else in the folder is deleted after the build
        Path stray = Files.writeString(kept.resolve("plugin.jar"), "not a layer");
        Files.createSymbolicLink(kept.resolve("link.tar.gz"), stray);
        withCache(records.get(2), records);
        assertThat(stray).doesNotExist();
        assertThat(kept.resolve("link.tar.gz")).doesNotExist();
        assertThat(log).filteredOn(l -> l.contains("is as recorded: reused")).hasSize(3);
    }
}
