package io.github.guli.jenkins;

import hudson.model.InvisibleAction;
import hudson.model.Run;
import io.github.guli.engine.GuliException;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The SonarQube projects guliBuild analysed in a build, kept with it: guliQualityGate checks the gate of one of
 * these, never the project a report-task.txt in the workspace names (the build's own code writes that file), and
 * only an analysis submitted after guliBuild started, of the commit it built.
 */
public class GuliSonarProjects extends InvisibleAction {
    private final Set<String> keys = new LinkedHashSet<>();
    /** Module path and artifactId to the project analysed for it; null in a build saved before it was kept. */
    private Map<String, String> byModule = new LinkedHashMap<>();
    /** When the latest guliBuild that analysed each project started, on the controller's clock (epoch millis). */
    private Map<String, Long> started = new HashMap<>();
    /** The commit that guliBuild built, when it knew it. */
    private Map<String, String> commits = new HashMap<>();

    static void record(
            Run<?, ?> run, String module, String artifactId, String projectKey, long startedMillis, String commit) {
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
            // null in a build saved before they were kept
            if (projects.byModule == null) {
                projects.byModule = new LinkedHashMap<>();
            }
            if (projects.started == null) {
                projects.started = new HashMap<>();
            }
            if (projects.commits == null) {
                projects.commits = new HashMap<>();
            }
            for (String name : new String[] {module, artifactId}) {
                if (name != null) {
                    projects.byModule.put(name, projectKey);
                }
            }
            projects.started.put(projectKey, startedMillis);
            if (commit != null) {
                projects.commits.put(projectKey, commit);
            } else {
                projects.commits.remove(projectKey);
            }
        }
    }

    /** When the guliBuild that analysed the project in this build started; null when none did. */
    static Instant started(Run<?, ?> run, String projectKey) {
        GuliSonarProjects projects = run.getAction(GuliSonarProjects.class);
        if (projects == null) {
            return null;
        }
        synchronized (projects) {
            Long at = projects.started == null ? null : projects.started.get(projectKey);
            return at == null ? null : Instant.ofEpochMilli(at);
        }
    }

    /** The commit the guliBuild that analysed the project built, or null. */
    static String commit(Run<?, ?> run, String projectKey) {
        GuliSonarProjects projects = run.getAction(GuliSonarProjects.class);
        if (projects == null) {
            return null;
        }
        synchronized (projects) {
            return projects.commits == null ? null : projects.commits.get(projectKey);
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
