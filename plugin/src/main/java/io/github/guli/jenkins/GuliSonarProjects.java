package io.github.guli.jenkins;

import hudson.model.InvisibleAction;
import hudson.model.Run;
import io.github.guli.engine.GuliException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The SonarQube projects guliBuild analysed in a build, kept with it: guliQualityGate checks the gate of one of
 * these, never the project a report-task.txt in the workspace names (the build's own code writes that file).
 */
public class GuliSonarProjects extends InvisibleAction {
    private final Set<String> keys = new LinkedHashSet<>();
    /** Module path and artifactId to the project analysed for it; null in a build saved before it was kept. */
    private Map<String, String> byModule = new LinkedHashMap<>();

    static void record(Run<?, ?> run, String projectKey) {
        record(run, null, null, projectKey);
    }

    static void record(Run<?, ?> run, String module, String artifactId, String projectKey) {
        GuliSonarProjects projects;
        synchronized (run) {
            projects = run.getAction(GuliSonarProjects.class);
            if (projects == null) {
                projects = new GuliSonarProjects();
                run.addAction(projects);
            }
        }
        synchronized (projects) {
            projects.keys.add(projectKey);
            if (projects.byModule == null) {
                projects.byModule = new LinkedHashMap<>();
            }
            for (String name : new String[] {module, artifactId}) {
                if (name != null) {
                    projects.byModule.put(name, projectKey);
                }
            }
        }
    }

    /** The project analysed for the module (its path or artifactId), else the only one this build analysed. */
    static String forModule(Run<?, ?> run, String module) {
        GuliSonarProjects projects = run.getAction(GuliSonarProjects.class);
        if (module != null && projects != null) {
            synchronized (projects) {
                String key = projects.byModule == null ? null : projects.byModule.get(module);
                if (key != null) {
                    return key;
                }
            }
        }
        return only(run);
    }

    /** The project this build analysed, when it analysed exactly one. */
    static String only(Run<?, ?> run) {
        GuliSonarProjects projects = run.getAction(GuliSonarProjects.class);
        if (projects == null) {
            throw new GuliException("give projectKey, the sonarProjectKey guliBuild returned: no guliBuild with "
                    + "sonar: true ran in this build before");
        }
        synchronized (projects) {
            if (projects.keys.size() != 1) {
                throw new GuliException(
                        "this build analysed several SonarQube projects (" + String.join(", ", projects.keys)
                                + "): give projectKey, the sonarProjectKey of the guliBuild whose gate to check");
            }
            return projects.keys.iterator().next();
        }
    }
}
