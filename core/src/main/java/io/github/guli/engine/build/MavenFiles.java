package io.github.guli.engine.build;

import io.github.guli.engine.GuliException;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The Maven executable and the settings file a build names, checked before Maven runs. */
final class MavenFiles {
    private MavenFiles() {}

    /** A given Maven, checked; else plain {@code mvn}, which the command's own PATH finds where it runs. */
    static String executable(String maven, File root) {
        boolean windows = File.separatorChar == '\\';
        String exe = windows ? "mvn.cmd" : "mvn";
        if (maven == null) {
            return exe;
        }
        File given = new File(maven);
        if (!given.isAbsolute()) {
            given = new File(root, maven);
        }
        if (given.isDirectory()) {
            File bin = new File(given, "bin/" + exe);
            if (bin.isFile()) {
                return bin.getAbsolutePath();
            }
            throw new GuliException("the Maven home " + given + " has no bin/" + exe + ": give a Maven installation's "
                    + "home (tool('maven-3.9')) or the Maven executable");
        }
        if (given.isFile()) {
            if (!given.canExecute()) {
                throw new GuliException("the Maven executable " + given + " is not executable (chmod +x it)");
            }
            return given.getAbsolutePath();
        }
        throw new GuliException("no Maven at " + given + ": give a Maven installation's home (tool('maven-3.9')), "
                + "an executable such as ./mvnw, or nothing to use mvn on the agent's PATH");
    }

    static String settingsInWorkspace(File workspace, String settings) {
        File f = new File(settings);
        if (!f.isAbsolute()) {
            f = new File(workspace, settings);
        }
        if (!f.isFile()) {
            List<String> xml = new ArrayList<>();
            File[] here = workspace.listFiles((d, n) -> n.endsWith(".xml") && !n.equals("pom.xml"));
            if (here != null) {
                for (File x : here) {
                    xml.add(x.getName());
                }
            }
            throw new GuliException("the Maven settings file " + settings + " is not in the workspace (" + f + ")"
                    + (xml.isEmpty()
                            ? ""
                            : "; the workspace has " + xml.stream().sorted().collect(Collectors.joining(", ")))
                    + ": commit it (the course keeps mvn-settings.xml at the repository root), fix the path, or give "
                    + "a secret file credentials ID instead");
        }
        return f.getAbsolutePath();
    }
}
