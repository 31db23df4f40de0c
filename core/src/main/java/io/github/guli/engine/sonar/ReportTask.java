package io.github.guli.engine.sonar;

import io.github.guli.engine.GuliException;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * What a scanner writes after it submitted an analysis ({@code target/sonar/report-task.txt}): the project, the
 * server, the dashboard and the background task that processes the report.
 */
public record ReportTask(String projectKey, String serverUrl, String dashboardUrl, String ceTaskId)
        implements Serializable {
    private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");

    public static ReportTask read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new GuliException("no SonarQube analysis report at " + file + ": run the analysis first "
                    + "(guliBuild with sonar: true, or mvn sonar:sonar) in this workspace, for this module");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new GuliException("cannot read " + file + ": " + e.getMessage(), e);
        }
        String task = p.getProperty("ceTaskId");
        if (task == null || !TASK_ID.matcher(task).matches()) {
            throw new GuliException(
                    file + " names no background task (ceTaskId): it is not a SonarQube report-task.txt");
        }
        return new ReportTask(
                p.getProperty("projectKey"), p.getProperty("serverUrl"), p.getProperty("dashboardUrl"), task);
    }
}
