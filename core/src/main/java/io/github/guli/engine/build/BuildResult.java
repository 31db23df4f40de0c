package io.github.guli.engine.build;

import java.io.Serializable;

/**
 * What a build did.
 *
 * @param module the module's path in the repository (null: the whole project was built)
 * @param artifactId the artifactId of what was built
 * @param commit the commit checked out, or null when the workspace was used as it was
 * @param command the Maven command line (it holds no secret)
 * @param testReports the Surefire XML reports, relative to the workspace, for Jenkins' {@code junit} step
 * @param sonarProjectKey the SonarQube project analysed, or null without analysis
 * @param sonarDashboard its dashboard URL, or null
 * @param reportTask the analysis' report-task.txt relative to the workspace (what guliQualityGate reads), or null
 */
public record BuildResult(
        String module,
        String artifactId,
        String commit,
        String command,
        long millis,
        String testReports,
        String sonarProjectKey,
        String sonarDashboard,
        String reportTask)
        implements Serializable {
    public String summary() {
        return "built " + (module == null ? "the whole project" : "module " + module) + " in " + (millis / 100) / 10.0
                + " s" + (commit == null ? "" : " at " + commit)
                + (sonarDashboard == null ? "" : "; SonarQube analysis of " + sonarProjectKey + ": " + sonarDashboard);
    }
}
