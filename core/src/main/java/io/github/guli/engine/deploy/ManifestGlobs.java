package io.github.guli.engine.deploy;

import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * kubernetesDeploy's {@code configs}: comma-separated Ant patterns ({@code **} any number of directories, {@code *}
 * and {@code ?} within a name; a trailing {@code /} means everything below) resolved in the workspace. A pattern
 * naming a directory means everything below it, as users of the old plugin expect.
 */
public final class ManifestGlobs {
    private ManifestGlobs() {}

    /**
     * Every file each pattern matches under {@code base}, as '/'-separated paths relative to it, sorted; a pattern that
     * matches nothing maps to an empty list.
     */
    public static Map<String, List<String>> resolve(Path base, String patterns) {
        if (Blank.isBlank(patterns)) {
            throw new GuliException("configs is empty: give the manifests to deploy as Ant patterns, e.g. "
                    + "'gulimall-auth-server/deploy/**'");
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String raw : patterns.split(",")) {
            String pattern = normalize(raw.trim());
            if (!pattern.isEmpty()) {
                out.put(raw.trim(), match(base, pattern));
            }
        }
        if (out.isEmpty()) {
            throw new GuliException(
                    "configs '" + patterns + "' holds no pattern: give e.g. 'gulimall-auth-server/deploy/**'");
        }
        return out;
    }

    /** Checks patterns without a workspace (a form's check): absolute ones and '..' are refused. */
    public static void check(String patterns) {
        for (String raw : patterns.split(",")) {
            normalize(raw.trim());
        }
    }

    /**
     * The folders (or files) every match of the patterns lies in: each pattern's segments before its first wildcard;
     * "" when a pattern starts with one.
     */
    public static List<String> roots(String patterns) {
        List<String> roots = new ArrayList<>();
        for (String raw : patterns.split(",")) {
            String pattern = normalize(raw.trim());
            List<String> literal = new ArrayList<>();
            for (String segment : pattern.split("/+")) {
                if (hasWildcard(segment)) {
                    break;
                }
                literal.add(segment);
            }
            roots.add(String.join("/", literal));
        }
        return roots;
    }

    static String normalize(String pattern) {
        String p = pattern.replace('\\', '/');
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        if (p.startsWith("/") || p.matches("[A-Za-z]:/.*")) {
            throw new GuliException("configs pattern '" + pattern + "' is absolute: give it relative to the workspace, "
                    + "e.g. 'gulimall-auth-server/deploy/**'");
        }
        for (String segment : p.split("/")) {
            if (segment.equals("..")) {
                throw new GuliException("configs pattern '" + pattern
                        + "' leaves the workspace ('..'): the manifests must " + "be in the workspace");
            }
        }
        return p.endsWith("/") ? p + "**" : p;
    }

    private static List<String> match(Path base, String pattern) {
        String[] segments = pattern.split("/+");
        int literal = 0;
        while (literal < segments.length && !hasWildcard(segments[literal])) {
            literal++;
        }
        Path root = base.resolve(String.join("/", java.util.Arrays.copyOfRange(segments, 0, literal)));
        if (literal == segments.length) { // no wildcard: a file, or a directory meaning all below it
            if (Files.isRegularFile(root)) {
                return List.of(pattern);
            }
            if (!Files.isDirectory(root)) {
                return List.of();
            }
            segments = (pattern + "/**").split("/+");
        }
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        String[] want = segments;
        TreeSet<String> found = new TreeSet<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return dir.getFileName() != null
                                    && dir.getFileName().toString().equals(".git")
                                    && !dir.equals(root)
                            ? FileVisitResult.SKIP_SUBTREE
                            : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String rel = base.relativize(file).toString().replace('\\', '/');
                    String name = file.getFileName().toString();
                    boolean editorLeftover = name.endsWith("~") || name.startsWith(".#");
                    if (attrs.isRegularFile() && !editorLeftover && matches(want, 0, rel.split("/"), 0)) {
                        found.add(rel);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ArrayList<>(found);
    }

    private static boolean hasWildcard(String segment) {
        return segment.contains("*") || segment.contains("?");
    }

    /** Ant matching over path segments: {@code **} takes zero or more whole segments. */
    static boolean matches(String[] pattern, int p, String[] path, int s) {
        if (p == pattern.length) {
            return s == path.length;
        }
        if (pattern[p].equals("**")) {
            for (int k = s; k <= path.length; k++) {
                if (matches(pattern, p + 1, path, k)) {
                    return true;
                }
            }
            return false;
        }
        return s < path.length && segmentMatches(pattern[p], path[s]) && matches(pattern, p + 1, path, s + 1);
    }

    private static boolean segmentMatches(String pattern, String name) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return name.matches(regex.toString());
    }
}
