package io.github.guli.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.TaskListener;
import io.github.guli.engine.build.BuildRequest;
import io.github.guli.engine.process.LocalCommands;
import io.github.guli.engine.sonar.SonarAnalysis;
import io.github.guli.testsupport.GuliMall;
import io.github.guli.testsupport.SonarAdmin;
import io.github.guli.testsupport.TestServices;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * guliBuild on the agent gives the scanner a folder of the job's beside the workspace, not the agent's shared
 * {@code ~/.sonar}, and reuses it only as the controller recorded it, as it does Maven's class-data archive: three
 * builds of a job with the real scanner against SonarQube, the records round-tripped through the builds.
 */
class GuliBuildKeptCachesTest {
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final TaskListener listener = () -> new PrintStream(console, true, StandardCharsets.UTF_8);
    private static final String KEY = GuliUpstreamDigests.key("shop", "master");

    @TempDir
    Path root;

    /** One build of the job on the agent, with the records the controller kept from the builds before it. */
    private GuliBuildStep.Built build(Path ws, String project, TestRun run) throws Exception {
        BuildRequest request = new BuildRequest()
                .modules(List.of("gulimall-gateway"))
                .settings("mvn-settings.xml")
                .skipTests(true)
                .mavenOptions(List.of("-o"))
                .env(System.getenv())
                .sonar(new SonarAnalysis()
                        .serverUrl(TestServices.sonarUrl())
                        .token(TestServices.sonarToken())
                        .projectKey(project));
        GuliBuildRecords.read(run, KEY, request);
        console.reset();
        GuliBuildStep.Built built = new GuliBuildStep.OnAgent(request, new LocalCommands(), listener)
                .invoke(ws.toFile(), null)
                .orThrow();
        GuliBuildRecords.write(run, KEY, built);
        return built;
    }

    @Test
    void theScannersCacheAndMavensArchiveAreTheJobsUsedAsRecordedOnTheControllerAndATamperedFileIsDiscarded()
            throws Exception {
        Path ws = GuliMall.copy(root.resolve("job"));
        String project = SonarAdmin.unique("plugin-scanner-cache") + ":gulimall-gateway";
        new SonarAdmin().createProject(project, project);
        Path kept = root.resolve("job@tmp/guli-sonar");

        TestRun first = new TestRun();
        GuliBuildStep.Built one = build(ws, project, first);
        assertThat(console.toString())
                .contains("-Dsonar.userHome=" + kept)
                .contains("ANALYSIS SUCCESSFUL")
                .contains("Maven's JVM writes a class-data archive of the classes it loads to "
                        + root.resolve("job@tmp/guli-cds"));
        Map<String, String> recorded = GuliUpstreamDigests.recorded(first, KEY + " sonar");
        assertThat(recorded)
                .as("every download the agent returned passes the controller's check")
                .isEqualTo(one.scannerDigests())
                .hasSizeGreaterThan(2)
                .anySatisfy(
                        (name, value) -> assertThat(name).matches("cache/[0-9a-f]{32}/sonar-scanner-engine.*\\.jar"));

        assertThat(GuliUpstreamDigests.recorded(first, KEY + " jvm"))
                .as("Maven's class-data archive, recorded on the controller")
                .isEqualTo(one.archiveDigests())
                .hasSize(1);

        TestRun second = new TestRun(first);
        build(ws, project, second);
        assertThat(console.toString())
                .contains("the SonarQube scanner's kept cache " + kept + " is as recorded: reused")
                .contains("the class-data archive of Maven's JVM " + root.resolve("job@tmp/guli-cds"))
                .contains(".jsa is as recorded: mapped")
                .contains("ANALYSIS SUCCESSFUL");

        // a build's tests leave another engine under the kept one's name: the next build finds it by the record
        Path engine;
        try (var files = Files.walk(kept.resolve("cache"))) {
            engine = files.filter(f -> f.getFileName().toString().startsWith("sonar-scanner-engine"))
                    .findFirst()
                    .orElseThrow();
        }
        Files.writeString(engine, "an engine the build wrote");
        TestRun third = new TestRun(second);
        GuliBuildStep.Built three = build(ws, project, third);
        assertThat(console.toString())
                .contains(kept.relativize(engine) + " does not match the SHA-256 recorded when it was kept")
                .contains("discarded, the analysis downloads the scanner and its plugins again")
                .contains("ANALYSIS SUCCESSFUL");
        assertThat(Files.size(engine)).as("downloaded again").isGreaterThan(1_000_000);
        assertThat(three.scannerDigests()).containsOnlyKeys(recorded.keySet());
    }
}
