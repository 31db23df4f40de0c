package io.github.guli.cli;

import io.github.guli.engine.Log;
import io.github.guli.engine.sonar.QualityGate;
import io.github.guli.engine.sonar.QualityGateRequest;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/** {@code guli quality-gate}: the guliQualityGate step. */
final class QualityGateCommand implements Command {
    @Override
    public String name() {
        return "quality-gate";
    }

    @Override
    public String summary() {
        return "wait for the SonarQube quality gate of an analysis; exit 1 when it fails";
    }

    @Override
    public String help() {
        return String.join(
                "\n",
                "usage: guli quality-gate --sonar-url URL --project-key KEY [--module NAME | --report-task FILE] [options]",
                "  --sonar-url URL        the SonarQube server (required: report-task.txt's serverUrl is not trusted)",
                "  --project-key KEY      the project the build analysed (guli build prints it); the task must be of it",
                "  --module NAME          the analysed module: reads NAME/target/sonar/report-task.txt",
                "  --report-task FILE     the report-task.txt to read (default target/sonar/report-task.txt)",
                "  --dir DIR              the directory of the root pom.xml (default .)",
                "  --timeout MINUTES      default 60",
                "the token: GULI_SONAR_TOKEN or GULI_SONAR_TOKEN_FILE (sent in a header, never in a URL).");
    }

    @Override
    public Set<String> options() {
        return Set.of("module", "report-task", "dir", "sonar-url", "project-key", "timeout");
    }

    @Override
    public Set<String> flags() {
        return Set.of();
    }

    @Override
    public int run(Options o, Secrets secrets, PrintStream out) {
        Duration timeout = null;
        if (o.get("timeout") != null) {
            try {
                timeout = Duration.ofMinutes(Long.parseLong(o.get("timeout")));
            } catch (NumberFormatException e) {
                throw new UsageException(
                        "guli quality-gate: --timeout takes whole minutes, not '" + o.get("timeout") + "'");
            }
        }
        // --dir is the project (absolute, or relative to the current directory)
        Path project = Path.of(o.get("dir") == null ? "" : o.get("dir")).toAbsolutePath();
        QualityGate.Result r = new QualityGate(Log.to(out, "[guli quality-gate] "))
                .check(
                        project.toFile(),
                        new QualityGateRequest()
                                .module(o.get("module"))
                                .reportTask(o.get("report-task"))
                                .projectKey(o.get("project-key"))
                                .serverUrl(o.get("sonar-url"))
                                .token(secrets.secret("GULI_SONAR_TOKEN"))
                                .timeout(timeout));
        out.println("[guli quality-gate] " + r.projectKey() + ": " + r.status());
        return 0;
    }
}
