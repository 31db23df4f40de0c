package io.github.guli.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.guli.testsupport.GuliMall;
import io.github.guli.testsupport.ProcessArgsWatcher;
import io.github.guli.testsupport.SonarAdmin;
import io.github.guli.testsupport.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code guli build} and {@code guli quality-gate} run as their own processes, in a copy of the GuliMall fixture. */
class BuildCommandTest {
    @Test
    void buildsAnalysesAndPassesTheGateWithTheTokenOnlyInTheEnvironment(@TempDir Path ws, @TempDir Path secrets)
            throws Exception {
        SonarAdmin admin = new SonarAdmin();
        String token = TestServices.sonarToken();
        String key = SonarAdmin.unique("guli-cli") + ":gulimall-gateway";
        String gate = admin.createGate(SonarAdmin.unique("guli-cli-no-bugs"), "bugs", "GT", "0");
        admin.createProject(key, key);
        admin.selectGate(key, gate);
        GuliMall.copy(ws);
        Path tokenFile = secrets.resolve("sonar-token");
        Files.writeString(tokenFile, token + "\n");

        ProcessArgsWatcher watcher = new ProcessArgsWatcher(List.of(token));
        GuliRun build = GuliRun.process(
                ws,
                Map.of("GULI_SONAR_TOKEN_FILE", tokenFile.toString()),
                Duration.ofMinutes(10),
                "build",
                "--module",
                "gulimall-gateway",
                "--settings",
                "mvn-settings.xml",
                "--sonar",
                "--sonar-url",
                admin.url(),
                "--sonar-project-key",
                key,
                "--cache-record",
                secrets.resolve("upstream-cache.properties").toString());
        GuliRun gateRun = GuliRun.process(
                ws,
                Map.of("GULI_SONAR_TOKEN", token),
                Duration.ofMinutes(10),
                "quality-gate",
                "--module",
                "gulimall-gateway",
                "--sonar-url",
                admin.url(),
                "--project-key",
                key,
                "--timeout",
                "10");
        List<String> leaks = watcher.stop();

        assertThat(build.exit()).as(build.all()).isZero();
        assertThat(build.out())
                .contains("[guli build] SonarQube analysis of " + key + " on " + admin.url())
                .contains(
                        "-pl gulimall-gateway -am org.jacoco:jacoco-maven-plugin:0.8.14:prepare-agent clean package "
                                + "org.jacoco:jacoco-maven-plugin:0.8.14:report org.sonarsource.scanner.maven:sonar-maven-plugin:")
                .contains(":sonar -s " + ws.resolve("mvn-settings.xml"))
                .contains("[guli build] built module gulimall-gateway in ")
                .contains("[guli build] gulimall-gateway: test reports gulimall-gateway/target/surefire-reports/*.xml")
                .contains("[guli build] gulimall-gateway: SonarQube project " + key + ", " + admin.url()
                        + "/dashboard?id=")
                .contains(", report task gulimall-gateway/target/sonar/report-task.txt\n");
        assertThat(gateRun.exit()).as(gateRun.all()).isZero();
        assertThat(gateRun.out())
                .contains("[guli quality-gate] quality gate of " + key + " passed (OK)")
                .endsWith("[guli quality-gate] " + key + ": OK\n");
        assertThat(build.all() + gateRun.all()).doesNotContain(token);
        assertThat(leaks)
                .as("command lines holding the token: guli, Maven, its forks")
                .isEmpty();
    }

    @Test
    void anUnknownModuleExitsOneListingTheModules(@TempDir Path ws) throws Exception {
        GuliMall.copy(ws);
        GuliRun r = GuliRun.process(ws, Map.of(), Duration.ofMinutes(10), "build", "--module", "gulimall-cart");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err())
                .isEqualTo("guli build: error: no module 'gulimall-cart' in " + ws.resolve("pom.xml")
                        + "; its modules are: gulimall-common, gulimall-product, gulimall-order, gulimall-gateway\n");
    }

    @Test
    void theTokenHasNoFlagAndSonarNeedsAUrl(@TempDir Path ws) throws Exception {
        GuliRun flag = GuliRun.process(ws, Map.of(), Duration.ofMinutes(10), "build", "--sonar-token", "x");
        assertThat(flag.exit()).isEqualTo(2);
        assertThat(flag.err()).contains("unknown option --sonar-token");
        GuliRun noUrl = GuliRun.process(ws, Map.of(), Duration.ofMinutes(10), "build", "--sonar");
        assertThat(noUrl.exit()).isEqualTo(2);
        assertThat(noUrl.err()).contains("--sonar needs --sonar-url");
        GuliRun gate = GuliRun.process(ws, Map.of(), Duration.ofMinutes(10), "quality-gate", "--timeout", "an hour");
        assertThat(gate.exit()).isEqualTo(2);
    }

    @Test
    void theKeptJarsDigestsAreRecordedOutsideTheProjectAndARecordInsideItIsRefused(@TempDir Path tmp) throws Exception {
        Path ws = GuliMall.copy(tmp.resolve("ws"));
        GuliRun inside = GuliRun.process(
                ws, Map.of(), Duration.ofMinutes(10), "build", "--module", "gulimall-gateway", "--cache-record", "rec");
        assertThat(inside.exit()).isEqualTo(2);
        assertThat(inside.err()).contains("--cache-record rec is inside the project, which the build can write");

        Path record = tmp.resolve("record/upstream-cache.properties");
        String[] args = {
            "build",
            "--module",
            "gulimall-gateway",
            "--settings",
            "mvn-settings.xml",
            "--skip-tests",
            "--maven-options",
            "-o",
            "--cache-record",
            record.toString()
        };
        GuliRun first = GuliRun.process(ws, Map.of(), Duration.ofMinutes(10), args);
        assertThat(first.exit()).as(first.all()).isZero();
        assertThat(Files.readString(record)).containsPattern("(?m)^[0-9a-f]{16}/[0-9a-f]{32}=[0-9a-f]{64}$");
        GuliRun second = GuliRun.process(ws, Map.of(), Duration.ofMinutes(10), args);
        assertThat(second.out()).contains("gulimall-common unchanged since an earlier build");

        Files.delete(record); // the jars are still kept, but nothing vouches for them
        GuliRun third = GuliRun.process(ws, Map.of(), Duration.ofMinutes(10), args);
        assertThat(third.exit()).as(third.all()).isZero();
        assertThat(third.out()).contains(" have no recorded SHA-256").contains(" -pl gulimall-gateway -am ");
    }

    @Test
    void theScannersKeptCacheAndMavensArchiveAreReusedAndATamperedFileInThemIsDetectedAndNotUsed(@TempDir Path tmp)
            throws Exception {
        Path ws = GuliMall.copy(tmp.resolve("ws"));
        Path cache = tmp.resolve("sonar");
        Path record = tmp.resolve("sonar.properties");
        String key = SonarAdmin.unique("guli-cli-cache") + ":gulimall-gateway";
        new SonarAdmin().createProject(key, key);
        String[] args = {
            "build",
            "--module",
            "gulimall-gateway",
            "--settings",
            "mvn-settings.xml",
            "--skip-tests",
            "--maven-options",
            "-o",
            "--cache-record",
            tmp.resolve("upstream.properties").toString(),
            "--sonar",
            "--sonar-url",
            TestServices.sonarUrl(),
            "--sonar-project-key",
            key,
            "--sonar-cache",
            cache.toString(),
            "--class-archive",
            tmp.resolve("cds").toString()
        };
        Map<String, String> env = Map.of("GULI_SONAR_TOKEN", TestServices.sonarToken());
        GuliRun first = GuliRun.process(ws, env, Duration.ofMinutes(10), args);
        assertThat(first.exit()).as(first.all()).isZero();
        assertThat(first.out()).contains("-Dsonar.userHome=" + cache);
        // the scanner's engine, downloaded under the MD5 of its content, and its SHA-256 recorded
        String recorded = Files.readString(record);
        assertThat(recorded)
                .containsPattern("(?m)^cache/[0-9a-f]{32}/sonar-scanner-engine[^=]*\\.jar=[0-9a-f]{64}( \\S+)?$");

        GuliRun second = GuliRun.process(ws, env, Duration.ofMinutes(10), args);
        assertThat(second.exit()).as(second.all()).isZero();
        assertThat(second.out()).contains("the SonarQube scanner's kept cache " + cache + " is as recorded: reused");
        // Maven's class-data archive: made by the first build, its record outside the project, mapped by the second
        assertThat(first.out()).contains("Maven's JVM writes a class-data archive of the classes it loads to " + tmp);
        assertThat(Files.readString(tmp.resolve("cds.properties"))).containsPattern("(?m)^[0-9a-f]{64}\\.jsa=");
        assertThat(second.out()).contains("the class-data archive of Maven's JVM " + tmp.resolve("cds"));
        assertThat(second.out()).contains(".jsa is as recorded: mapped");
        Path archive;
        try (var files = Files.list(tmp.resolve("cds"))) {
            archive = files.findFirst().orElseThrow();
        }
        byte[] b = Files.readAllBytes(archive);
        b[b.length / 2] ^= 1; // what the JVM would map as code
        Files.write(archive, b);

        Path engine;
        try (var files = Files.walk(cache.resolve("cache"))) {
            engine = files.filter(f -> f.getFileName().toString().startsWith("sonar-scanner-engine"))
                    .findFirst()
                    .orElseThrow();
        }
        Files.writeString(engine, "a jar the build wrote"); // what the scanner would load, were it not checked
        GuliRun third = GuliRun.process(ws, env, Duration.ofMinutes(10), args);
        assertThat(third.exit()).as(third.all()).isZero();
        assertThat(third.out())
                .contains(cache.relativize(engine).toString().replace('\\', '/')
                        + " does not match the SHA-256 recorded when it was kept")
                .contains("discarded, the analysis downloads the scanner and its plugins again")
                .contains(archive + " does not match the SHA-256 recorded when it was made")
                .contains("discarded, Maven's JVM makes it again")
                .contains("ANALYSIS SUCCESSFUL");
        assertThat(Files.size(engine)).as("downloaded again").isGreaterThan(1_000_000);
    }
}
