package io.github.guli.engine.build;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Maven's console output as it streams by and keeps what explains a failure: the project and goal of
 * "[ERROR] Failed to execute goal ... on project X: message", the compiler's errors and the failed tests.
 */
final class MavenOutput {
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*[A-Za-z]");
    private static final Pattern FAILED_GOAL = Pattern.compile(
            "^\\[ERROR\\] Failed to execute goal (?:(\\S+) \\(([^)]*)\\) )?on project ([^:\\s]+): (.*)$");
    private static final Pattern COMPILER_ERROR =
            Pattern.compile("^\\[ERROR\\] (\\S.*\\.(?:java|kt|groovy|scala)):(\\[[0-9,]+\\].*)$");
    private static final Pattern COMPILER_DETAIL =
            Pattern.compile("^\\[ERROR\\]\\s+((?:symbol|location|required|found|reason):.*)$");
    private static final Pattern TEST_SECTION = Pattern.compile("^\\[ERROR\\] (Failures|Errors):\\s*$");
    private static final Pattern TEST_LINE = Pattern.compile("^\\[ERROR\\]\\s{2,}(\\S.*)$");
    private static final Pattern FATAL = Pattern.compile("^\\[(?:FATAL|ERROR)\\] (.*(?:Non-parseable settings|"
            + "Could not find the selected project|Error executing Maven|Unknown lifecycle phase|"
            + "Non-resolvable parent POM|The goal you specified requires a project|Non-readable POM).*)$");
    private static final int MAX_DETAILS = 10;

    /** Why Maven failed, as far as its output tells. */
    record Failure(String project, String goal, String message, List<String> details) {}

    private String project;
    private String goal;
    private String message;
    private final List<String> compilerErrors = new ArrayList<>();
    private final List<String> failedTests = new ArrayList<>();
    private final List<String> fatal = new ArrayList<>();
    private boolean inTestSection;
    private int lastCompilerError = -1;

    static String plain(String line) {
        return ANSI.matcher(line).replaceAll("");
    }

    /** Feeds one line of output, without ANSI escapes. */
    void line(String line) {
        Matcher m = FAILED_GOAL.matcher(line);
        if (m.matches()) {
            if (project == null) { // the first one is the cause; later ones repeat it for other modules
                goal = m.group(1);
                project = m.group(3);
                message = m.group(4).replaceFirst(" -> \\[Help 1\\]$", "").trim();
            }
            inTestSection = false;
            return;
        }
        if (TEST_SECTION.matcher(line).matches()) {
            inTestSection = true;
            return;
        }
        if (inTestSection) {
            Matcher t = TEST_LINE.matcher(line);
            if (t.matches()) {
                add(failedTests, t.group(1).trim());
                return;
            }
            inTestSection = false;
        }
        Matcher c = COMPILER_ERROR.matcher(line);
        if (c.matches()) {
            String error = c.group(1) + ":" + c.group(2);
            // Maven prints each twice, as it comes and in the summary: one entry, details added from either
            lastCompilerError = -1;
            for (int i = 0; i < compilerErrors.size(); i++) {
                if (compilerErrors.get(i).startsWith(error)) {
                    lastCompilerError = i;
                }
            }
            if (lastCompilerError < 0 && compilerErrors.size() < MAX_DETAILS) {
                lastCompilerError = compilerErrors.size();
                compilerErrors.add(error);
            }
            return;
        }
        Matcher d = COMPILER_DETAIL.matcher(line);
        if (d.matches() && lastCompilerError >= 0) {
            String detail = "; " + d.group(1).replaceAll("\\s+", " ");
            String error = compilerErrors.get(lastCompilerError);
            if (!error.contains(detail)) {
                compilerErrors.set(lastCompilerError, error + detail);
            }
            return;
        }
        lastCompilerError = -1;
        Matcher f = FATAL.matcher(line);
        if (f.matches()) {
            add(fatal, f.group(1).trim());
        }
    }

    private static void add(List<String> list, String s) {
        if (list.size() < MAX_DETAILS) {
            list.add(s);
        }
    }

    Failure failure() {
        List<String> details = new ArrayList<>(compilerErrors);
        details.addAll(failedTests);
        if (project == null && details.isEmpty()) {
            details.addAll(fatal);
        }
        return new Failure(project, goal, message, List.copyOf(details));
    }
}
