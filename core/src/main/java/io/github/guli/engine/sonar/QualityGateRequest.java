package io.github.guli.engine.sonar;

import java.io.Serializable;
import java.time.Duration;

/**
 * Which analysis to wait for, and where. Serializable: Jenkins builds it on the controller and waits on the agent
 * that holds the workspace (where report-task.txt is).
 *
 * @param dir the directory of the root pom.xml, relative to the workspace; null: the workspace
 * @param module the module whose analysis it is (its {@code target/sonar/report-task.txt}); null: the root's
 * @param reportTask the report-task.txt to read, relative to the workspace; wins over {@code module}
 * @param projectKey the SonarQube project guliBuild analysed: the background task must be of this project
 * @param serverUrl the configured server (required: the {@code serverUrl} in report-task.txt is the build's to write,
 *                  and the token must not follow it)
 * @param token a user token, or null for a server that allows anonymous reads
 * @param timeout null: {@link QualityGate#DEFAULT_TIMEOUT}
 */
public record QualityGateRequest(
        String dir,
        String module,
        String reportTask,
        String projectKey,
        String serverUrl,
        String token,
        Duration timeout)
        implements Serializable {
    @Override
    public String toString() {
        return "QualityGateRequest[" + (reportTask != null ? reportTask : module) + ", project " + projectKey + ", "
                + serverUrl + ", token "
                + (token == null ? "none" : "****") + ", " + timeout + "]";
    }
}
