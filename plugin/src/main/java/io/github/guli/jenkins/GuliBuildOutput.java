package io.github.guli.jenkins;

import hudson.model.Run;
import io.github.guli.engine.build.BuildResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What guliBuild returns to the Jenkinsfile, and what it records with the build (the analysed projects, the summary). */
final class GuliBuildOutput {
    private GuliBuildOutput() {}

    /**
     * A map: modules (one map per module built: module, artifactId, testReports, sonarProjectKey, sonarDashboard,
     * reportTask) and commit, with each module key also at the top.
     *
     * @param started when the step started, on the controller's clock: the analysis is submitted after
     */
    static Map<String, Object> of(Run<?, ?> run, BuildResult r, long started) {
        List<Map<String, String>> modules = new ArrayList<>();
        for (BuildResult.ModuleResult m : r.modules()) {
            BuildResult.Analysis a = m.analysis();
            if (a != null) {
                GuliSonarProjects.record(run, m.module(), m.artifactId(), a.projectKey(), started, r.commit());
                GuliSummary.add(run, "guliBuild", "SonarQube analysis of " + a.projectKey(), a.dashboard());
            }
            Map<String, String> one = new LinkedHashMap<>();
            one.put("module", m.module());
            one.put("artifactId", m.artifactId());
            one.put("testReports", m.testReports());
            one.put("sonarProjectKey", a == null ? null : a.projectKey());
            one.put("sonarDashboard", a == null ? null : a.dashboard());
            one.put("reportTask", a == null ? null : a.reportTask());
            modules.add(one);
        }
        GuliSummary.add(run, "guliBuild", r.summary(), null);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("modules", modules);
        out.put("commit", r.commit());
        // the keys of one module's result, kept for Jenkinsfiles that read them: several modules' values joined
        // with commas, as junit takes its patterns
        for (String key :
                List.of("module", "artifactId", "testReports", "sonarProjectKey", "sonarDashboard", "reportTask")) {
            List<String> values =
                    modules.stream().map(m -> m.get(key)).filter(v -> v != null).toList();
            out.put(key, values.isEmpty() ? null : String.join(",", values));
        }
        return out;
    }
}
