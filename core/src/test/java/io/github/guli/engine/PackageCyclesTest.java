package io.github.guli.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's packages depend on each other without a cycle, so that each can be read (and changed) knowing only
 * those below it. A package depends on another when one of its files names a type of it: by an import or a
 * qualified name in the code (comments and string literals do not count).
 */
class PackageCyclesTest {
    static final String ROOT = "io.github.guli.engine";
    static final Path SOURCES = Path.of("src/main/java/io/github/guli/engine");
    /** A reference to a type of the engine: its package, then the type's name (a capital letter). */
    private static final Pattern REFERENCE =
            Pattern.compile("\\b" + Pattern.quote(ROOT) + "((?:\\.[a-z_][a-z0-9_]*)*)\\.[A-Z*]");

    private static final Pattern PACKAGE = Pattern.compile("\\bpackage\\s+([\\w.]+)\\s*;");

    @Test
    void theEnginesPackagesHaveNoCycle() throws IOException {
        assertThat(cycles(dependencies(SOURCES)))
                .as("package cycles in %s", SOURCES)
                .isEmpty();
    }

    @Test
    void aCycleIsFoundAndNamedWithTheFilesThatMakeIt(@TempDir Path dir) throws IOException {
        write(dir, "a/A.java", "package " + ROOT + ".a;\nimport " + ROOT + ".b.B;\nclass A {}\n");
        write(dir, "b/B.java", "package " + ROOT + ".b;\nclass B { " + ROOT + ".c.C c; }\n");
        write(dir, "c/C.java", "package " + ROOT + ".c;\nimport " + ROOT + ".a.*;\nclass C {}\n");
        // only named in a comment and a string: no dependency
        write(
                dir,
                "d/D.java",
                "package " + ROOT + ".d;\n/** {@link " + ROOT + ".a.A} */\nclass D { String s = \"" + ROOT
                        + ".a.A /* \"; }\n");
        write(dir, "a/E.java", "package " + ROOT + ".a;\nclass E { // " + ROOT + ".d.D\n}\n");

        assertThat(cycles(dependencies(dir))).containsExactly("a -> b (a/A.java) -> c (b/B.java) -> a (c/C.java)");
    }

    @Test
    void theRootPackageIsOneOfThePackages(@TempDir Path dir) throws IOException {
        write(dir, "Top.java", "package " + ROOT + ";\nimport " + ROOT + ".a.A;\nclass Top {}\n");
        write(dir, "a/A.java", "package " + ROOT + ".a;\nimport " + ROOT + ".Top;\nclass A {}\n");

        assertThat(cycles(dependencies(dir))).containsExactly("(root) -> a (Top.java) -> (root) (a/A.java)");
    }

    private static void write(Path dir, String file, String text) throws IOException {
        Files.createDirectories(dir.resolve(file).getParent());
        Files.writeString(dir.resolve(file), text);
    }

    /** For each package, the packages it depends on, each with the first file (relative to dir) that does. */
    static Map<String, Map<String, String>> dependencies(Path dir) throws IOException {
        Map<String, Map<String, String>> graph = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
        assertThat(files).as("Java sources in %s", dir.toAbsolutePath()).isNotEmpty();
        for (Path file : files) {
            String code = code(Files.readString(file));
            Matcher declared = PACKAGE.matcher(code);
            if (!declared.find()) {
                continue;
            }
            String from = name(declared.group(1));
            Map<String, String> to = graph.computeIfAbsent(from, k -> new TreeMap<>());
            Matcher m = REFERENCE.matcher(code);
            while (m.find()) {
                String target = name(ROOT + m.group(1));
                if (!target.equals(from)) {
                    to.putIfAbsent(target, dir.relativize(file).toString().replace('\\', '/'));
                }
            }
        }
        return graph;
    }

    /** The engine's package's name below the root: {@code build}, or {@code (root)} for the root itself. */
    private static String name(String pkg) {
        return pkg.equals(ROOT) ? "(root)" : pkg.substring(ROOT.length() + 1);
    }

    /**
     * The cycles a depth-first search meets (each edge back to a package on its path: at least one wherever there is
     * a cycle), each as the path around it with the file that makes each step.
     */
    static List<String> cycles(Map<String, Map<String, String>> graph) {
        List<String> found = new ArrayList<>();
        Map<String, Integer> state = new TreeMap<>(); // 1 on the path, 2 done
        for (String start : graph.keySet()) {
            if (!state.containsKey(start)) {
                visit(start, graph, state, new ArrayList<>(), found);
            }
        }
        return found;
    }

    private static void visit(
            String pkg,
            Map<String, Map<String, String>> graph,
            Map<String, Integer> state,
            List<String> path,
            List<String> found) {
        state.put(pkg, 1);
        path.add(pkg);
        for (Map.Entry<String, String> edge : graph.getOrDefault(pkg, Map.of()).entrySet()) {
            String next = edge.getKey();
            Integer s = state.get(next);
            if (s == null) {
                visit(next, graph, state, path, found);
            } else if (s == 1) {
                StringBuilder cycle = new StringBuilder(next);
                List<String> around = new ArrayList<>(path.subList(path.indexOf(next), path.size()));
                around.add(next);
                for (int i = 1; i < around.size(); i++) {
                    cycle.append(" -> ")
                            .append(around.get(i))
                            .append(" (")
                            .append(graph.get(around.get(i - 1)).get(around.get(i)))
                            .append(")");
                }
                found.add(cycle.toString());
            }
        }
        path.remove(path.size() - 1);
        state.put(pkg, 2);
    }

    /** The source without its comments and the contents of its string, text block and character literals. */
    static String code(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                i = end(source, "\n", i + 2);
            } else if (source.startsWith("/*", i)) {
                i = end(source, "*/", i + 2);
                out.append(' ');
            } else if (source.startsWith("\"\"\"", i)) {
                i = endOfLiteral(source, "\"\"\"", i + 3);
                out.append("\"\"");
            } else if (c == '"' || c == '\'') {
                i = endOfLiteral(source, String.valueOf(c), i + 1);
                out.append(c).append(c);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Where the text after {@code close} starts (or the end of the source). */
    private static int end(String source, String close, int from) {
        int at = source.indexOf(close, from);
        return at < 0 ? source.length() : at + close.length();
    }

    /** Like {@link #end}, skipping escaped characters. */
    private static int endOfLiteral(String source, String close, int from) {
        int i = from;
        while (i < source.length()) {
            if (source.charAt(i) == '\\') {
                i += 2;
            } else if (source.startsWith(close, i)) {
                return i + close.length();
            } else {
                i++;
            }
        }
        return source.length();
    }
}
