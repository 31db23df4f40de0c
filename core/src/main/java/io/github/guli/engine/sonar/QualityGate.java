package io.github.guli.engine.sonar;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.maven.Reactor;
import java.io.File;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Waits for SonarQube to process an analysis and reads its quality gate: {@code api/ce/task} until the
 * background task is done, then {@code api/qualitygates/project_status} of the analysis it produced. Polls with
 * a growing delay, bounded by a timeout; a passing gate returns, anything else fails with its own message.
 */
public final class QualityGate {
    /** The course's {@code timeout(time: 1, unit: 'HOURS') { waitForQualityGate true }}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(60);
    /** Where a module's analysis leaves its report-task.txt (guliBuild sets sonar.working.directory so). */
    public static final String REPORT_TASK = "target/sonar/report-task.txt";
    /** Consecutive failed polls (server unreachable or 5xx) before giving up. */
    static final int UNAVAILABLE_ATTEMPTS = 5;
    /** How far SonarQube's clock may lag the caller's when a task's submission is compared with the build's start. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private static final DateTimeFormatter SUBMITTED_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ");

    /** A condition of the gate, as SonarQube evaluated it. */
    public record Condition(
            String metric, String metricName, String comparator, String threshold, String actual, String status)
            implements Serializable {
        /** "Bugs (bugs) is 1, must not be greater than 0". */
        public String describe() {
            String rule = switch (comparator == null ? "" : comparator) {
                case "GT" -> "must not be greater than ";
                case "LT" -> "must not be less than ";
                case "EQ" -> "must not be ";
                case "NE" -> "must be ";
                default -> "threshold " + comparator + " ";
            };
            String name = metricName == null || metricName.equals(metric) ? metric : metricName + " (" + metric + ")";
            return name + " is " + (actual == null ? "not computed" : actual) + ", " + rule + threshold;
        }
    }

    /** A gate that passed (status OK). */
    public record Result(
            String projectKey, String status, String analysisId, String dashboardUrl, List<Condition> conditions)
            implements Serializable {}

    private final Log log;
    private final Duration firstDelay;
    private final Duration maxDelay;
    /** The task status last logged: each change is logged once. */
    private String lastStatus;
    /** Failed looks in a row (server unreachable or 5xx). */
    private int unavailable;

    public QualityGate(Log log) {
        this(log, Duration.ofSeconds(1), Duration.ofSeconds(10));
    }

    public QualityGate(Log log, Duration firstDelay, Duration maxDelay) {
        this.log = log;
        this.firstDelay = firstDelay;
        this.maxDelay = maxDelay;
    }

    /**
     * A wait for a gate as it can be saved with a build and taken up again after a restart: the server, the
     * analysis' task and a deadline on the wall clock. Holds no token (it is looked up again when polling).
     */
    public record Pending(
            String serverUrl,
            ReportTask task,
            String projectKey,
            long deadlineEpochMillis,
            Duration timeout,
            Instant submittedAfter,
            String commit)
            implements Serializable {
        public String what() {
            return "the analysis of " + projectKey + " (task " + task.ceTaskId() + ")";
        }
    }

    /** Reads the report-task.txt the request names, in {@code workspace}, and waits for its gate. */
    public Result check(File workspace, QualityGateRequest r) {
        Pending p = pending(workspace, r);
        return await(new SonarServer(p.serverUrl(), r.token()), p);
    }

    /** Reads the report-task.txt the request names, in {@code workspace}: what to wait for, and until when. */
    public Pending pending(File workspace, QualityGateRequest r) {
        if (r.serverUrl() == null) {
            throw new GuliException(
                    "no SonarQube server is configured: set its URL in Manage Jenkins > System > "
                            + "guli-pipeline (or give sonarUrl; guli quality-gate: --sonar-url). The serverUrl in "
                            + "report-task.txt is not used: the build writes that file, and the token must not go where it says");
        }
        if (r.projectKey() == null) {
            throw new GuliException("the SonarQube project to check is not known: give projectKey, the "
                    + "sonarProjectKey guliBuild returned (guli quality-gate: --project-key); the one in "
                    + "report-task.txt is not used, the build writes that file");
        }
        File root = r.dir() == null ? workspace : new File(workspace, r.dir());
        Path file;
        if (r.reportTask() != null) {
            file = workspace.toPath().resolve(r.reportTask());
        } else {
            String module = r.module() == null
                    ? ""
                    : Reactor.read(root).module(r.module()).path() + "/";
            file = root.toPath().resolve(module + REPORT_TASK);
        }
        ReportTask task = ReportTask.read(file);
        String url = r.serverUrl();
        if (task.serverUrl() != null && !sameServer(task.serverUrl(), url)) {
            log.info(file + " says the analysis went to " + task.serverUrl() + "; asking " + url + " as configured");
        }
        Duration timeout = r.timeout() == null ? DEFAULT_TIMEOUT : r.timeout();
        return new Pending(
                url,
                task,
                r.projectKey(),
                System.currentTimeMillis() + timeout.toMillis(),
                timeout,
                r.submittedAfter(),
                r.commit());
    }

    private static boolean sameServer(String written, String configured) {
        try {
            return SonarServer.normalize(written).equals(SonarServer.normalize(configured));
        } catch (GuliException e) {
            return false; // not even a URL: it is only logged
        }
    }

    /**
     * Polls until the gate is known: with a growing delay, bounded by the wait's deadline.
     *
     * @param server the server the analysis went to, with the token
     * @throws GuliException when the gate fails, the task failed or was canceled in SonarQube, the server cannot be
     *     reached or refuses the token, or the deadline passes first
     */
    public Result await(SonarServer server, Pending p) {
        log.info("waiting for SonarQube at " + server.url() + " to process " + p.what() + ", at most "
                + minutes(p.timeout()));
        Duration delay = firstDelay;
        while (true) {
            Result r = poll(server, p);
            if (r != null) {
                return r;
            }
            long left = p.deadlineEpochMillis() - System.currentTimeMillis();
            sleep(Math.max(1, Math.min(delay.toMillis(), left)) * 1_000_000);
            delay = delay.multipliedBy(2).compareTo(maxDelay) > 0 ? maxDelay : delay.multipliedBy(2);
        }
    }

    /**
     * One look at the wait: the gate once SonarQube processed the analysis, null while it has not (or while the
     * server is briefly unreachable: {@link #UNAVAILABLE_ATTEMPTS} looks in a row fail the wait).
     *
     * @throws GuliException when the gate fails, the task failed or was canceled, the server stays unreachable, or
     *     the deadline has passed
     */
    public Result poll(SonarServer server, Pending p) {
        ReportTask task = p.task();
        String what = p.what();
        JsonNode ceTask;
        try {
            ceTask = server.ceTask(task.ceTaskId());
            unavailable = 0;
        } catch (SonarServer.Unavailable e) {
            if (++unavailable >= UNAVAILABLE_ATTEMPTS) {
                throw new GuliException(
                        e.getMessage() + "; tried " + unavailable + " times while waiting for " + what, e);
            }
            log.info(e.getMessage() + "; trying again");
            return null;
        }
        String component = ceTask.path("componentKey").asText("");
        if (!component.equals(p.projectKey())) {
            throw new GuliException("background task " + task.ceTaskId() + " named in report-task.txt is an analysis "
                    + "of project '" + component + "', not of '" + p.projectKey() + "' that guliBuild analysed: the "
                    + "file was not written by this analysis; run the analysis again in a clean workspace");
        }
        checkSubmitted(ceTask, p);
        String taskStatus = ceTask.path("status").asText();
        if (taskStatus.equals("FAILED") || taskStatus.equals("CANCELED")) {
            String error = ceTask.path("errorMessage").asText("");
            throw new GuliException("SonarQube " + (taskStatus.equals("FAILED") ? "failed to process " : "canceled ")
                    + what + " (task status " + taskStatus + ")" + (error.isEmpty() ? "" : ": " + error)
                    + "; see Administration > Projects > Background Tasks, or " + server.url()
                    + "/api/ce/task?id=" + task.ceTaskId());
        }
        if (!taskStatus.equals("SUCCESS")) {
            if (System.currentTimeMillis() >= p.deadlineEpochMillis()) {
                throw new GuliException(
                        "SonarQube did not finish " + what + " within " + minutes(p.timeout())
                                + " (last status: " + (taskStatus.isEmpty() ? "unknown" : taskStatus)
                                + "); its background task queue "
                                + "may be stuck or slow: see Administration > Projects > Background Tasks, or wait longer (timeout)");
            }
            if (!taskStatus.equals(lastStatus)) {
                log.info("task " + task.ceTaskId() + ": " + taskStatus);
                lastStatus = taskStatus;
            }
            return null;
        }

        String analysisId = ceTask.path("analysisId").asText("");
        if (analysisId.isEmpty()) {
            throw new GuliException(
                    "SonarQube processed " + what + " but names no analysis for it: cannot read its quality gate");
        }
        if (p.commit() != null) {
            String revision = server.analysisRevision(p.projectKey(), analysisId);
            if (!revision.isEmpty() && !revision.equals(p.commit())) {
                throw new GuliException("background task " + task.ceTaskId() + " named in report-task.txt is an "
                        + "analysis of commit " + revision + ", not of " + p.commit() + " that was built: the file was "
                        + "not written by this analysis; run the analysis again in a clean workspace");
            }
        }
        JsonNode gate = server.projectStatus(analysisId);
        String status = gate.path("status").asText("NONE");
        String projectKey = p.projectKey();
        String dashboard = server.dashboard(projectKey);
        List<Condition> conditions = new ArrayList<>();
        List<Condition> failed = new ArrayList<>();
        Map<String, String> names = null;
        for (JsonNode c : gate.path("conditions")) {
            if (names == null) {
                names = metricNames(server);
            }
            String metric = c.path("metricKey").asText();
            Condition condition = new Condition(
                    metric,
                    names.getOrDefault(metric, metric),
                    c.path("comparator").asText(),
                    c.path("errorThreshold").asText(null),
                    c.path("actualValue").asText(null),
                    c.path("status").asText());
            conditions.add(condition);
            if (condition.status().equals("ERROR")) {
                failed.add(condition);
            }
        }
        if (status.equals("OK")) {
            log.info("quality gate of " + projectKey + " passed (OK): " + dashboard);
            return new Result(projectKey, status, analysisId, dashboard, List.copyOf(conditions));
        }
        if (status.equals("NONE")) {
            throw new GuliException("SonarQube has no quality gate for " + projectKey + " (status NONE): assign "
                    + "one in Project Settings > Quality Gate; " + dashboard);
        }
        StringBuilder m = new StringBuilder("quality gate failed for " + projectKey + " (status " + status + "):");
        for (Condition c : failed) {
            m.append("\n  - ").append(c.describe());
        }
        m.append("\n  dashboard: ").append(dashboard);
        throw new GuliException(m.toString());
    }

    /** A task submitted before the build's analysis started is an older one, whatever its gate. */
    private static void checkSubmitted(JsonNode ceTask, Pending p) {
        if (p.submittedAfter() == null) {
            return;
        }
        String at = ceTask.path("submittedAt").asText("");
        Instant submitted;
        try {
            submitted = SUBMITTED_AT.parse(at, Instant::from);
        } catch (DateTimeParseException e) {
            throw new GuliException("SonarQube names no submission time for task "
                    + p.task().ceTaskId() + " ('" + at + "'): cannot tell it is this build's analysis");
        }
        if (submitted.isBefore(p.submittedAfter().minus(CLOCK_SKEW))) {
            throw new GuliException("background task " + p.task().ceTaskId() + " named in report-task.txt was "
                    + "submitted at " + submitted + ", before this build's analysis of '" + p.projectKey()
                    + "' started (" + p.submittedAfter() + "): it is an older analysis, not this build's; the file was "
                    + "not written by this analysis; run the analysis again in a clean workspace");
        }
    }

    private static Map<String, String> metricNames(SonarServer server) {
        try {
            return server.metricNames();
        } catch (GuliException e) {
            return Map.of(); // names are a nicety: the keys say it too
        }
    }

    private static String minutes(Duration d) {
        return d.toMinutes() >= 1 && d.toSecondsPart() == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GuliException("interrupted while waiting for the quality gate", e);
        }
    }
}
