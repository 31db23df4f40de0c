package io.github.guli.engine.sonar;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;

/**
 * Which analysis to wait for, and where. Serializable: Jenkins builds it on the controller and waits on the agent
 * that holds the workspace (where report-task.txt is). Unset values take the defaults noted on their setters.
 */
public final class QualityGateRequest implements Serializable {
    private static final long serialVersionUID = 1L;

    private String dir;
    private String module;
    private String reportTask;
    private String projectKey;
    private String serverUrl;
    private String token;
    private Duration timeout;
    private Instant submittedAfter;
    private String commit;

    /** The directory of the root pom.xml, relative to the workspace; null: the workspace. */
    public QualityGateRequest dir(String v) {
        dir = v;
        return this;
    }

    /** The module whose analysis it is (its {@code target/sonar/report-task.txt}); null: the root's. */
    public QualityGateRequest module(String v) {
        module = v;
        return this;
    }

    /**
     * The report-task.txt to read, relative to the workspace; wins over {@link #module(String)}. Null (the default):
     * the module's.
     */
    public QualityGateRequest reportTask(String v) {
        reportTask = v;
        return this;
    }

    /** The SonarQube project guliBuild analysed: the background task must be of this project. Required. */
    public QualityGateRequest projectKey(String v) {
        projectKey = v;
        return this;
    }

    /**
     * The configured server. Required: the {@code serverUrl} in report-task.txt is the build's to write, and the
     * token must not follow it.
     */
    public QualityGateRequest serverUrl(String v) {
        serverUrl = v;
        return this;
    }

    /** A user token; null (the default): a server that allows anonymous reads. */
    public QualityGateRequest token(String v) {
        token = v;
        return this;
    }

    /** How long to wait for the gate; null (the default): {@link QualityGate#DEFAULT_TIMEOUT}. */
    public QualityGateRequest timeout(Duration v) {
        timeout = v;
        return this;
    }

    /**
     * When the build's analysis started, on the caller's clock (guliBuild records it on the controller): a task
     * submitted before is an older analysis, refused. Null (the default): not checked.
     */
    public QualityGateRequest submittedAfter(Instant v) {
        submittedAfter = v;
        return this;
    }

    /** The commit built: an analysis SonarQube knows of another revision is refused. Null (the default): not checked. */
    public QualityGateRequest commit(String v) {
        commit = v;
        return this;
    }

    public Instant submittedAfter() {
        return submittedAfter;
    }

    public String commit() {
        return commit;
    }

    public String dir() {
        return dir;
    }

    public String module() {
        return module;
    }

    public String reportTask() {
        return reportTask;
    }

    public String projectKey() {
        return projectKey;
    }

    public String serverUrl() {
        return serverUrl;
    }

    public String token() {
        return token;
    }

    public Duration timeout() {
        return timeout;
    }

    /** What is waited for, and whether there is a token: never the token itself. */
    @Override
    public String toString() {
        return "QualityGateRequest[" + (reportTask != null ? reportTask : module) + ", project " + projectKey + ", "
                + serverUrl + ", token " + (token == null ? "none" : "****") + ", " + timeout + "]";
    }
}
