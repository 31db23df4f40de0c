package io.github.guli.jenkins;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a step's launch service accepts from the agent: only the programs that step runs, only in its workspace.
 * Paths are the agent's ({@code /} or {@code \}), compared on the controller after resolving {@code .} and
 * {@code ..} as text: the controller does not look at the agent's files.
 */
final class LaunchRules {
    /** What guliImage runs. */
    static final Set<String> DOCKER = Set.of("docker");

    private final Set<String> programs = new TreeSet<>();
    private final String workspace;
    private final String step;

    LaunchRules(String step, String workspace, Set<String> programs) {
        this.step = step;
        this.workspace = normalize(workspace);
        programs.forEach(p -> this.programs.add(normalize(p)));
    }

    /**
     * What guliBuild runs: {@code mvn} (or {@code mvn.cmd}) on the PATH, else the given Maven: an executable, or a
     * home's {@code bin/mvn}, relative to the project's folder when not absolute (as the engine resolves it).
     */
    static Set<String> maven(String maven, String workspace, String dir) {
        if (maven == null) {
            return Set.of("mvn", "mvn.cmd");
        }
        String root = dir == null ? workspace : join(workspace, dir);
        String given = absolute(maven) ? maven : join(root, maven);
        return Set.of(given, join(given, "bin/mvn"), join(given, "bin/mvn.cmd"));
    }

    /** Refuses a command this step does not run, or a folder outside its workspace, naming why. */
    String check(String program, String dir) {
        if (!programs.contains(normalize(program))) {
            return step + " runs only " + String.join(", ", programs) + ": refused to start '" + program + "'";
        }
        String d = normalize(dir == null || dir.isEmpty() ? workspace : absolute(dir) ? dir : join(workspace, dir));
        if (d.startsWith("..") || !(d.equals(workspace) || d.startsWith(workspace + "/"))) {
            return step + " runs commands only inside its workspace " + workspace + ": refused the folder " + dir;
        }
        return null;
    }

    static boolean absolute(String path) {
        return path.startsWith("/") || path.startsWith("\\") || path.matches("[A-Za-z]:[\\\\/].*");
    }

    private static String join(String base, String rel) {
        return base + "/" + rel;
    }

    /** The path with {@code /} separators, without {@code .}, {@code ..} (where it can go up) or empty names. */
    static String normalize(String path) {
        String p = path.replace('\\', '/');
        String root = p.startsWith("/") ? "/" : p.matches("[A-Za-z]:/.*") ? p.substring(0, 3) : "";
        Deque<String> names = new ArrayDeque<>();
        for (String n : p.substring(root.length()).split("/")) {
            if (n.isEmpty() || n.equals(".")) {
                continue;
            }
            if (n.equals("..") && !names.isEmpty() && !names.peekLast().equals("..")) {
                names.removeLast();
            } else if (n.equals("..") && !root.isEmpty()) {
                return root + ".."; // above the root: never inside a workspace
            } else {
                names.addLast(n);
            }
        }
        return root + String.join("/", names);
    }
}
