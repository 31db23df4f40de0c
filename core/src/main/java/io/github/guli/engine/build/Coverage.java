package io.github.guli.engine.build;

import io.github.guli.engine.maven.Reactor;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Test coverage for the analysis, with no change to the repository's pom: JaCoCo's agent during the tests the
 * build runs ({@code prepare-agent} before the goals), its XML report per module after them ({@code report}), and
 * the reports' paths for SonarQube. The agent goes into the {@code argLine} property, before what the pom sets
 * there; a pom whose Surefire {@code <argLine>} replaces the property needs {@code @{argLine}} in it.
 *
 * <p>When a pom of the repository declares jacoco-maven-plugin (the course's chapter binds {@code prepare-agent}
 * and a {@code report} at {@code verify}), the goals are given without a version, so Maven runs the plugin the pom
 * declares: its own {@code prepare-agent} then finds the same agent already in {@code argLine} and replaces it, and
 * the tests run with one agent, not two writing the same file.
 */
final class Coverage {
    /** Supports class files of Java 17 to 25. */
    static final String VERSION = "0.8.14";

    static final String PLUGIN = "org.jacoco:jacoco-maven-plugin";
    /** Where {@code report} writes the XML report, in each module. */
    static final String REPORT = "target/site/jacoco/jacoco.xml";
    /** The property the analysis reads the XML reports from. */
    static final String REPORT_PATHS = "sonar.coverage.jacoco.xmlReportPaths";

    private final String plugin;

    private Coverage(String plugin) {
        this.plugin = plugin;
    }

    /** JaCoCo as the repository declares it, else at {@link #VERSION}. */
    static Coverage of(Reactor reactor) {
        boolean declared = Stream.concat(Stream.of(reactor.rootProject()), reactor.modules().stream())
                .anyMatch(m -> m.plugins().contains(PLUGIN));
        return new Coverage(declared ? PLUGIN : PLUGIN + ":" + VERSION);
    }

    /** The goals with the agent prepared before them and the report after them. */
    List<String> around(List<String> goals) {
        List<String> g = new ArrayList<>();
        g.add(plugin + ":prepare-agent");
        g.addAll(goals);
        g.add(plugin + ":report");
        return g;
    }

    /** The XML reports of the modules, absolute (the analysis may run from another module's directory). */
    static List<String> reports(Reactor reactor, List<Reactor.Module> modules) {
        return modules.stream()
                .map(m ->
                        new File(reactor.root(), (m.path().isEmpty() ? "" : m.path() + "/") + REPORT).getAbsolutePath())
                .toList();
    }
}
