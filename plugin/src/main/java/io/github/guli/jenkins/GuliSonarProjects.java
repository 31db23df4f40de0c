package io.github.guli.jenkins;

import hudson.model.InvisibleAction;
import hudson.model.Run;
import io.github.guli.engine.GuliException;
import java.time.Instant;
import java.util.HashMap;
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
    /** When the latest guliBuild that analysed each project started, on the controller's clock (epoch millis). */
    private final Map<String, Long> started = new HashMap<>();
    /** The commit that guliBuild built, when it knew it. */
    private final Map<String, String> commits = new HashMap<>();

    static void record(Run<?, ?> run, String projectKey, long startedMillis, String commit) {
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
            Long at = projects.started.get(projectKey);
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
            return projects.commits.get(projectKey);
        }
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
