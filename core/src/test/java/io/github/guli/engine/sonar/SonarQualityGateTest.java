package io.github.guli.engine.sonar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.build.BuildRequest;
import io.github.guli.engine.build.BuildResult;
import io.github.guli.engine.build.MavenBuild;
import io.github.guli.engine.process.LocalCommands;
import io.github.guli.testsupport.GuliMall;
import io.github.guli.testsupport.ProcessArgsWatcher;
import io.github.guli.testsupport.SonarAdmin;
import io.github.guli.testsupport.TestServices;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * guliBuild's analysis and guliQualityGate against the real SonarQube 9.9.8 of the test services, with a quality
 * gate made for the test through the Web API.
 */
class SonarQualityGateTest {
    private static final String ORDER_SERVICE =
            "gulimall-order/src/main/java/com/atguigu/gulimall/order/service/OrderService.java";
    /** A bug for SonarQube's Java analyzer (rule S1764: identical expressions on both sides of ==). */
    private static final String A_BUG = """
                public boolean sameSku(long skuId) {
                    long other = skuId;
                    return other == other;
                }

                public BigDecimal payAmount(""";
    /** A test of the fixture's own that fails if the token reached the JVM Maven forks for the tests. */
    private static final String TOKEN_SPY = """
            package com.atguigu.guli;

            import static org.junit.jupiter.api.Assertions.assertNull;

            import org.junit.jupiter.api.Test;

            class TokenSpyTest {
                @Test
                void theTokenIsNotInTheEnvironmentOfTheTests() {
                    assertNull(System.getenv("SONAR_TOKEN"), "SONAR_TOKEN reached the forked test JVM");
                }
            }
            """;

    private static SonarAdmin admin;
    private static String url;
    private static String token;

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void server() {
        admin = new SonarAdmin();
        url = admin.url();
        token = TestServices.sonarToken();
        admin.resumeTasks(); // in case an earlier run stopped between pause and resume
    }

    /** An analysis on the test server, with its token. */
    private static SonarAnalysis analysis() {
        return new SonarAnalysis().serverUrl(url).token(token);
    }

    /** A wait of up to 10 minutes for the analysis of {@code module} into {@code projectKey}, on the test server. */
    private static QualityGateRequest waitFor(String module, String projectKey) {
        return new QualityGateRequest()
                .module(module)
                .projectKey(projectKey)
                .serverUrl(url)
                .token(token)
                .timeout(Duration.ofMinutes(10));
    }

    @Test
    void withNoKeyGivenTheProjectIsTheModulesArtifactIdAndTheAnalysisRuns(@TempDir Path ws) throws Exception {
        // groupId:artifactId would be the key the scanner gives the module itself: "module already indexed"
        GuliMall.copy(ws);
        BuildResult r = new MavenBuild(log::add, output::add, new LocalCommands())
                .run(
                        ws.toFile(),
                        new BuildRequest()
                                .module("gulimall-gateway")
                                .skipTests(true)
                                .sonar(analysis()));
        assertThat(r.only().analysis().projectKey()).isEqualTo("gulimall-gateway");
        assertThat(r.only().analysis().dashboard()).endsWith("dashboard?id=gulimall-gateway");
        QualityGate.Result gate =
                new QualityGate(log::add).check(ws.toFile(), waitFor("gulimall-gateway", "gulimall-gateway"));
        assertThat(gate.projectKey()).isEqualTo("gulimall-gateway");
    }

    @Test
    void aServiceBuiltAloneAgainstItsKeptUpstreamJarsIsAnalysed(@TempDir Path tmp) throws Exception {
        Path ws = GuliMall.copy(tmp.resolve("ws"));
        String key = SonarAdmin.unique("alone");
        BuildRequest request = new BuildRequest()
                .module("gulimall-product")
                .settings("mvn-settings.xml")
                .upstreamCache(true)
                .sonar(analysis().projectKey(key));
        MavenBuild first = new MavenBuild(log::add, output::add, new LocalCommands());
        first.run(ws.toFile(), request);
        request.upstreamDigests(first.upstreamDigests()); // as the caller keeps them for the next build
        GuliMall.edit(
                ws,
                "gulimall-product/src/main/java/com/atguigu/gulimall/product/service/CategoryService.java",
                "class CategoryService",
                "class CategoryService ");

        BuildResult r = new MavenBuild(log::add, output::add, new LocalCommands()).run(ws.toFile(), request);

        assertThat(r.command()).contains(" -f gulimall-product/pom.xml ").doesNotContain("-am");
        QualityGate.Result gate = new QualityGate(log::add).check(ws.toFile(), waitFor("gulimall-product", key));
        assertThat(gate.projectKey()).isEqualTo(key);
    }

    @Test
    void severalModulesAreBuiltInOneMavenRunThenEachIsAnalysedIntoItsOwnProject(@TempDir Path tmp) throws Exception {
        Path ws = GuliMall.copy(tmp.resolve("ws"));
        String prefix = SonarAdmin.unique("changed");
        BuildResult r = new MavenBuild(log::add, output::add, new LocalCommands())
                .run(
                        ws.toFile(),
                        new BuildRequest()
                                .modules(List.of("gulimall-order", "gulimall-product"))
                                .settings("mvn-settings.xml")
                                .sonar(analysis().projectKey(prefix)));

        assertThat(r.command())
                .contains(
                        " -pl gulimall-order,gulimall-product -am org.jacoco:jacoco-maven-plugin:0.8.14:prepare-agent "
                                + "clean package org.jacoco:jacoco-maven-plugin:0.8.14:report ")
                .doesNotContain("sonar");
        assertThat(log.stream().filter(l -> l.startsWith("in ") || l.startsWith("analysis of ")))
                .hasSize(3);
        assertThat(log)
                .anyMatch(l -> l.startsWith("analysis of gulimall-order: ")
                        && l.contains(" -f gulimall-order/pom.xml ")
                        && !l.contains("-am")
                        && !l.contains(" clean ")
                        && l.contains("-Dmaven.ext.class.path="));
        assertThat(r.modules())
                .extracting(BuildResult.ModuleResult::module, BuildResult.ModuleResult::testReports)
                .containsExactly(
                        tuple("gulimall-order", "gulimall-order/target/surefire-reports/*.xml"),
                        tuple("gulimall-product", "gulimall-product/target/surefire-reports/*.xml"));
        assertThat(r.modules())
                .extracting(m -> m.analysis().projectKey(), m -> m.analysis().reportTask())
                .containsExactly(
                        tuple(prefix + ":gulimall-order", "gulimall-order/target/sonar/report-task.txt"),
                        tuple(prefix + ":gulimall-product", "gulimall-product/target/sonar/report-task.txt"));
        for (String module : List.of("gulimall-order", "gulimall-product")) {
            QualityGate.Result gate =
                    new QualityGate(log::add).check(ws.toFile(), waitFor(module, prefix + ":" + module));
            assertThat(gate.projectKey()).isEqualTo(prefix + ":" + module);
        }
    }

    @Test
    void aModuleThatMeetsTheGatePassesAndOneThatBreaksItFailsNamingTheCondition(@TempDir Path ws) throws Exception {
        String gate = admin.createGate(SonarAdmin.unique("guli-no-bugs"), "bugs", "GT", "0");
        String prefix = SonarAdmin.unique("guli-it");
        String productKey = prefix + ":gulimall-product";
        String orderKey = prefix + ":gulimall-order";
        for (String key : List.of(productKey, orderKey)) {
            admin.createProject(key, key);
            admin.selectGate(key, gate);
        }
        GuliMall.copy(ws);
        GuliMall.edit(ws, ORDER_SERVICE, "    public BigDecimal payAmount(", A_BUG);
        GuliMall.write(ws, "gulimall-product/src/test/java/com/atguigu/guli/TokenSpyTest.java", TOKEN_SPY);
        GuliMall.write(ws, "gulimall-order/src/test/java/com/atguigu/guli/TokenSpyTest.java", TOKEN_SPY);
        MavenBuild build = new MavenBuild(log::add, output::add, new LocalCommands());
        QualityGate gates = new QualityGate(log::add);

        ProcessArgsWatcher watcher = new ProcessArgsWatcher(List.of(token));
        BuildResult product = build.run(
                ws.toFile(),
                new BuildRequest()
                        .module("gulimall-product")
                        .sonar(analysis().projectKey(productKey).branch("feature/cart")));
        QualityGate.Result passed = gates.check(ws.toFile(), waitFor("gulimall-product", productKey));

        BuildResult order = build.run(
                ws.toFile(),
                new BuildRequest().module("gulimall-order").sonar(analysis().projectKey(orderKey)));
        GuliException failed = org.junit.jupiter.api.Assertions.assertThrows(
                GuliException.class, () -> gates.check(ws.toFile(), waitFor("gulimall-order", orderKey)));
        List<String> leaks = watcher.stop();

        assertThat(product.only().analysis().reportTask()).isEqualTo("gulimall-product/target/sonar/report-task.txt");
        assertThat(product.only().analysis().projectKey()).isEqualTo(productKey);
        assertThat(passed.status()).isEqualTo("OK");
        assertThat(passed.projectKey()).isEqualTo(productKey);
        assertThat(passed.conditions())
                .extracting(QualityGate.Condition::metric)
                .containsExactly("bugs");
        assertThat(log)
                .anyMatch(
                        l -> l.startsWith("quality gate of " + productKey + " passed (OK): " + url + "/dashboard?id="));
        assertThat(log).anyMatch(l -> l.contains("analyses only the main branch: branch 'feature/cart' is not passed"));
        assertThat(product.command()).doesNotContain("sonar.branch");

        assertThat(order.only().analysis().reportTask()).isEqualTo("gulimall-order/target/sonar/report-task.txt");
        assertThat(failed.getMessage())
                .matches("(?s)quality gate failed for " + orderKey.replace(".", "\\.")
                        + " \\(status ERROR\\):\n  - Bugs \\(bugs\\) is [1-9]\\d*, must not be greater than 0\n"
                        + "  dashboard: " + url.replace(".", "\\.") + "/dashboard\\?id=" + orderKey.replace(":", "%3A")
                        + ".*");

        // each project holds its module's code only, not the gulimall-common built with it (-am)
        assertThat(files(orderKey))
                .isNotEmpty()
                .allMatch(f -> f.startsWith("gulimall-order/") || f.equals("pom.xml"))
                .contains(ORDER_SERVICE);
        assertThat(files(productKey)).isNotEmpty().noneMatch(f -> f.startsWith("gulimall-common/"));

        assertThat(String.join("\n", output))
                .as("the forked tests ran, without the token")
                .contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0, Time elapsed")
                .contains("com.atguigu.guli.TokenSpyTest")
                .contains("ANALYSIS SUCCESSFUL");
        assertThat(String.join("\n", output) + String.join("\n", log) + failed.getMessage())
                .doesNotContain(token);
        assertThat(product.command() + order.command()).doesNotContain(token);
        assertThat(watcher.scans()).isPositive();
        assertThat(leaks)
                .as("command lines (Maven, its forks, anything) holding the token")
                .isEmpty();
    }

    private static List<String> files(String projectKey) throws Exception {
        List<String> paths = new ArrayList<>();
        JsonNode tree = admin.get("api/components/tree?qualifiers=FIL,UTS&ps=500&component="
                + java.net.URLEncoder.encode(projectKey, java.nio.charset.StandardCharsets.UTF_8));
        tree.path("components").forEach(c -> paths.add(c.path("path").asText()));
        return paths;
    }

    @Test
    void aForgedReportTaskPointingAtAnotherProjectsPassingAnalysisFailsAndTheTokenStaysHome(@TempDir Path ws)
            throws Exception {
        String other = SonarAdmin.unique("guli-it") + ":other";
        String ours = SonarAdmin.unique("guli-it") + ":ours";
        GuliMall.copy(ws);
        new MavenBuild(log::add, output::add, new LocalCommands())
                .run(
                        ws.toFile(),
                        new BuildRequest()
                                .module("gulimall-gateway")
                                .skipTests(true)
                                .sonar(analysis().projectKey(other)));
        QualityGate gates = new QualityGate(log::add);
        assertThat(gates.check(ws.toFile(), waitFor("gulimall-gateway", other)).status())
                .as("the other project's analysis passes")
                .isEqualTo("OK");
        String task = ReportTask.read(ws.resolve("gulimall-gateway/" + QualityGate.REPORT_TASK))
                .ceTaskId();

        // the build's own code writes the order module's report-task.txt: another project's passing task, a
        // dashboard link of its choosing, and a server of its own to collect the token
        String collector = "http://127.0.0.1:" + freePort();
        GuliMall.write(
                ws,
                "gulimall-order/" + QualityGate.REPORT_TASK,
                "projectKey=" + ours + "\nserverUrl=" + collector
                        + "\ndashboardUrl=javascript:alert(document.cookie)\nceTaskId=" + task + "\n");
        assertThatThrownBy(() -> gates.check(
                        ws.toFile(),
                        new QualityGateRequest()
                                .module("gulimall-order")
                                .projectKey(ours)
                                .serverUrl(url)
                                .token(token)
                                .timeout(Duration.ofMinutes(1))))
                .hasMessage("background task " + task + " named in report-task.txt is an analysis of project '" + other
                        + "', not of '" + ours
                        + "' that guliBuild analysed: the file was not written by this analysis; "
                        + "run the analysis again in a clean workspace");

        // with no server configured, the one report-task.txt names is not asked (the token would go there)
        assertThatThrownBy(() -> gates.check(
                        ws.toFile(),
                        new QualityGateRequest()
                                .module("gulimall-order")
                                .projectKey(ours)
                                .token(token)
                                .timeout(Duration.ofMinutes(1))))
                .hasMessageStartingWith("no SonarQube server is configured: set its URL in Manage Jenkins > System > "
                        + "guli-pipeline (or give sonarUrl; guli quality-gate: --sonar-url)");
        assertThatThrownBy(() -> gates.check(
                        ws.toFile(),
                        new QualityGateRequest()
                                .module("gulimall-order")
                                .serverUrl(url)
                                .token(token)
                                .timeout(Duration.ofMinutes(1))))
                .hasMessageStartingWith("the SonarQube project to check is not known: give projectKey");
        assertThat(String.join("\n", log)).doesNotContain("javascript:");
    }

    @Test
    void anOlderPassingTaskOfTheSameProjectInReportTaskIsRefused(@TempDir Path ws) throws Exception {
        String key = SonarAdmin.unique("guli-it") + ":older";
        GuliMall.copy(ws);
        Instant started = Instant.now();
        new MavenBuild(log::add, output::add, new LocalCommands())
                .run(
                        ws.toFile(),
                        new BuildRequest()
                                .module("gulimall-gateway")
                                .skipTests(true)
                                .sonar(analysis().projectKey(key)));
        QualityGate gates = new QualityGate(log::add);
        assertThat(gates.check(ws.toFile(), waitFor("gulimall-gateway", key).submittedAfter(started))
                        .status())
                .as("this build's own analysis, submitted after it started")
                .isEqualTo("OK");
        String old = ReportTask.read(ws.resolve("gulimall-gateway/" + QualityGate.REPORT_TASK))
                .ceTaskId();

        // a later build of a failing branch of the same project leaves that passing task in its report-task.txt
        Instant later = Instant.now().plus(QualityGate.CLOCK_SKEW).plusSeconds(60);
        assertThatThrownBy(() -> gates.check(
                        ws.toFile(), waitFor("gulimall-gateway", key).submittedAfter(later)))
                .hasMessageStartingWith("background task " + old + " named in report-task.txt was submitted at ")
                .hasMessageContaining(", before this build's analysis of '" + key + "' started (" + later
                        + "): it is an older analysis, not this build's");
    }

    @Test
    void aBuildOfAWorkspaceCheckedOutBeforeKnowsItsCommitAndTheGateRefusesAnotherCommitsAnalysis(@TempDir Path ws)
            throws Exception {
        String key = SonarAdmin.unique("guli-it") + ":commit";
        GuliMall.copy(ws);
        // as guliPipeline runs: checkout scm first, then guliBuild with no checkout of its own
        RevCommit first;
        try (Git git =
                Git.init().setInitialBranch("master").setDirectory(ws.toFile()).call()) {
            git.add().addFilepattern(".").call();
            first = git.commit()
                    .setMessage("first")
                    .setAuthor("dev", "dev@example.com")
                    .setCommitter("dev", "dev@example.com")
                    .call();
        }
        BuildRequest request = new BuildRequest()
                .module("gulimall-gateway")
                .skipTests(true)
                .sonar(analysis().projectKey(key));
        BuildResult built = new MavenBuild(log::add, output::add, new LocalCommands()).run(ws.toFile(), request);
        assertThat(built.commit()).isEqualTo(first.name());
        QualityGate gates = new QualityGate(log::add);
        assertThat(gates.check(ws.toFile(), waitFor("gulimall-gateway", key).commit(built.commit()))
                        .status())
                .isEqualTo("OK");
        String firstTask = ReportTask.read(ws.resolve("gulimall-gateway/" + QualityGate.REPORT_TASK))
                .ceTaskId();

        // the next commit is built, and its report-task.txt is made to name the first commit's passing analysis
        RevCommit second;
        try (Git git = Git.open(ws.toFile())) {
            GuliMall.write(ws, "NOTES.md", "second\n");
            git.add().addFilepattern("NOTES.md").call();
            second = git.commit()
                    .setMessage("second")
                    .setAuthor("dev", "dev@example.com")
                    .setCommitter("dev", "dev@example.com")
                    .call();
        }
        BuildResult next = new MavenBuild(log::add, output::add, new LocalCommands()).run(ws.toFile(), request);
        assertThat(next.commit()).isEqualTo(second.name());
        Path report = ws.resolve("gulimall-gateway/" + QualityGate.REPORT_TASK);
        String nextTask = ReportTask.read(report).ceTaskId();
        Files.writeString(report, Files.readString(report).replace(nextTask, firstTask));
        assertThatThrownBy(() -> gates.check(
                        ws.toFile(), waitFor("gulimall-gateway", key).commit(next.commit())))
                .hasMessageContaining("analysis of commit " + first.name() + ", not of " + second.name());
    }

    @Test
    void theGivenProjectKeyWinsOverThePomsSonarProjectKey(@TempDir Path ws) throws Exception {
        String ours = SonarAdmin.unique("guli-it") + ":given";
        String pom = SonarAdmin.unique("guli-it") + ":pom";
        GuliMall.copy(ws);
        // the branch's pom names a project of its choosing; the command line's -Dsonar.projectKey is what the
        // scanner reads (user properties win over the pom's)
        GuliMall.edit(
                ws,
                "gulimall-gateway/pom.xml",
                "<artifactId>gulimall-gateway</artifactId>",
                "<artifactId>gulimall-gateway</artifactId>\n  <properties><sonar.projectKey>" + pom
                        + "</sonar.projectKey></properties>");
        BuildResult r = new MavenBuild(log::add, output::add, new LocalCommands())
                .run(
                        ws.toFile(),
                        new BuildRequest()
                                .module("gulimall-gateway")
                                .skipTests(true)
                                .sonar(analysis().projectKey(ours)));
        assertThat(r.only().analysis().projectKey()).isEqualTo(ours);
        assertThat(ReportTask.read(ws.resolve("gulimall-gateway/" + QualityGate.REPORT_TASK))
                        .projectKey())
                .isEqualTo(ours);
        assertThat(new QualityGate(log::add)
                        .check(ws.toFile(), waitFor("gulimall-gateway", ours))
                        .projectKey())
                .isEqualTo(ours);
    }

    @Test
    void aWrongTokenIsRefusedBeforeMavenRuns(@TempDir Path ws) {
        GuliMall.copy(ws);
        assertThatThrownBy(() -> new MavenBuild(log::add, output::add, new LocalCommands())
                        .run(
                                ws.toFile(),
                                new BuildRequest()
                                        .module("gulimall-gateway")
                                        .sonar(new SonarAnalysis()
                                                .serverUrl(url)
                                                .token("squ_not-a-token"))))
                .hasMessage("SonarQube at " + url + " rejected the token (HTTP 401): it is wrong, expired or revoked; "
                        + "generate a new one (My Account > Security) and update the secret text credentials");
        assertThat(output).as("Maven did not run").isEmpty();
    }

    @Test
    void anUnreachableServerIsNamedBeforeMavenRunsAndWhileWaiting(@TempDir Path ws) throws Exception {
        GuliMall.copy(ws);
        String closed = "http://127.0.0.1:" + freePort();
        assertThatThrownBy(() -> new MavenBuild(log::add, output::add, new LocalCommands())
                        .run(
                                ws.toFile(),
                                new BuildRequest()
                                        .module("gulimall-gateway")
                                        .sonar(new SonarAnalysis()
                                                .serverUrl(closed)
                                                .token(token))))
                .hasMessageStartingWith("cannot reach SonarQube at " + closed + " (connection refused): ")
                .hasMessageEndingWith("is it running, and is the URL right? (the machine that asks must reach it: the "
                        + "agent for an analysis, the controller for guliQualityGate)");
        assertThat(output).isEmpty();

        writeReportTask(ws, "gulimall-gateway", closed, "AaTaskThatNeverWas");
        assertThatThrownBy(() -> new QualityGate(log::add, Duration.ofMillis(10), Duration.ofMillis(20))
                        .check(
                                ws.toFile(),
                                new QualityGateRequest()
                                        .module("gulimall-gateway")
                                        .projectKey("guli:gateway")
                                        .serverUrl(closed)
                                        .token(token)))
                .hasMessageStartingWith("cannot reach SonarQube at " + closed + " (connection refused): ")
                .hasMessageEndingWith(
                        "; tried 5 times while waiting for the analysis of guli:gateway (task AaTaskThatNeverWas)");
    }

    @Test
    void aWrongTokenWhileWaitingIsNamed(@TempDir Path ws) throws Exception {
        String key = SonarAdmin.unique("guli-it") + ":broken";
        String task = admin.submitBrokenReport(key);
        writeReportTask(ws, null, url, task);
        assertThatThrownBy(() -> new QualityGate(log::add)
                        .check(
                                ws.toFile(),
                                new QualityGateRequest()
                                        .projectKey(key)
                                        .serverUrl(url)
                                        .token("squ_not-a-token")))
                .hasMessageStartingWith("SonarQube at " + url + " rejected the token (HTTP 401)");
    }

    @Test
    void aTaskThatFailsInSonarQubeIsNamed(@TempDir Path ws) throws Exception {
        String key = SonarAdmin.unique("guli-it") + ":broken";
        String task = admin.submitBrokenReport(key);
        writeReportTask(ws, null, url, task);
        assertThatThrownBy(() -> new QualityGate(log::add)
                        .check(
                                ws.toFile(),
                                new QualityGateRequest()
                                        .reportTask("target/sonar/report-task.txt")
                                        .projectKey(key)
                                        .serverUrl(url)
                                        .token(token)
                                        .timeout(Duration.ofMinutes(5))))
                .hasMessageStartingWith("SonarQube failed to process the analysis of " + key + " (task " + task
                        + ") (task status FAILED): ")
                .hasMessageContaining("analysis report")
                .hasMessageEndingWith(
                        "; see Administration > Projects > Background Tasks, or " + url + "/api/ce/task?id=" + task);
    }

    @Test
    void aTaskStillQueuedAtTheTimeoutAndThenCanceledAreNamed(@TempDir Path ws) throws Exception {
        String key = SonarAdmin.unique("guli-it") + ":queued";
        admin.pauseTasks();
        try {
            String task = admin.submitBrokenReport(key);
            writeReportTask(ws, null, url, task);
            QualityGateRequest request = new QualityGateRequest()
                    .projectKey(key)
                    .serverUrl(url)
                    .token(token)
                    .timeout(Duration.ofSeconds(3));
            assertThatThrownBy(() -> new QualityGate(log::add, Duration.ofMillis(200), Duration.ofSeconds(1))
                            .check(ws.toFile(), request))
                    .hasMessage("SonarQube did not finish the analysis of " + key + " (task " + task + ") within 3 s "
                            + "(last status: PENDING); its background task queue may be stuck or slow: see "
                            + "Administration > Projects > Background Tasks, or wait longer (timeout)");

            admin.cancelTask(task);
            assertThatThrownBy(() -> new QualityGate(log::add).check(ws.toFile(), request))
                    .hasMessageStartingWith("SonarQube canceled the analysis of " + key + " (task " + task
                            + ") (task status CANCELED); see Administration > Projects > Background Tasks");
        } finally {
            admin.resumeTasks();
        }
    }

    @Test
    void noReportTaskIsACleanError(@TempDir Path ws) {
        GuliMall.copy(ws);
        assertThatThrownBy(() -> new QualityGate(log::add)
                        .check(
                                ws.toFile(),
                                new QualityGateRequest()
                                        .module("gulimall-order")
                                        .projectKey("gulimall-order")
                                        .serverUrl(url)
                                        .token(token)))
                .hasMessage(
                        "no SonarQube analysis report at " + ws.resolve("gulimall-order/target/sonar/report-task.txt")
                                + ": run the analysis first (guliBuild with sonar: true, or mvn sonar:sonar) in this workspace, "
                                + "for this module");
    }

    /** A report-task.txt as the scanner writes it (the project key is a placeholder: messages show it). */
    private static void writeReportTask(Path ws, String module, String serverUrl, String task) {
        GuliMall.write(
                ws,
                (module == null ? "" : module + "/") + "target/sonar/report-task.txt",
                "projectKey=guli:gateway\nserverUrl=" + serverUrl + "\nserverVersion=9.9.8.100196\n"
                        + "dashboardUrl=" + serverUrl + "/dashboard?id=guli%3Agateway\nceTaskId=" + task + "\n"
                        + "ceTaskUrl=" + serverUrl + "/api/ce/task?id=" + task + "\n");
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
