package io.github.guli.engine.build;

import java.io.Serializable;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a build did: one result per module built, in the order they were asked for.
 *
 * @param commit the commit checked out, or null when the workspace was used as it was
 * @param command the Maven command line (it holds no secret)
 * @param modules what each module built gave (one, with a null module, when the whole project was built)
 */
public record BuildResult(String commit, String command, long millis, List<ModuleResult> modules)
        implements Serializable {
    public BuildResult {
        modules = List.copyOf(modules);
    }

    /**
     * What one module's build gave.
     *
     * @param module the module's path in the repository (null: the whole project was built)
     * @param artifactId the artifactId of what was built
     * @param testReports the Surefire XML reports, relative to the workspace, for Jenkins' {@code junit} step
     * @param analysis its SonarQube analysis, or null without one
     */
    public record ModuleResult(String module, String artifactId, String testReports, Analysis analysis)
            implements Serializable {}

    /**
     * A module's SonarQube analysis.
     *
     * @param projectKey the SonarQube project analysed
     * @param dashboard its dashboard URL
     * @param reportTask the analysis' report-task.txt relative to the workspace (what guliQualityGate reads)
     */
    public record Analysis(String projectKey, String dashboard, String reportTask) implements Serializable {}

    /** The result of the one module built; fails when several were. */
    public ModuleResult only() {
        if (modules.size() != 1) {
            throw new IllegalStateException(modules.size() + " modules were built, not one");
        }
        return modules.get(0);
    }

    public String summary() {
        String what = modules.size() == 1 && modules.get(0).module() == null
                ? "the whole project"
                : (modules.size() == 1 ? "module " : "modules ")
                        + modules.stream().map(ModuleResult::module).collect(Collectors.joining(", "));
        String analyses = modules.stream()
                .filter(m -> m.analysis() != null)
                .map(m -> "SonarQube analysis of " + m.analysis().projectKey() + ": "
                        + m.analysis().dashboard())
                .collect(Collectors.joining("; "));
        return "built " + what + " in " + (millis / 100) / 10.0 + " s" + (commit == null ? "" : " at " + commit)
                + (analyses.isEmpty() ? "" : "; " + analyses);
    }
}
