package io.github.guli.engine.image;

import io.github.guli.engine.GuliException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The images a Dockerfile reads: every stage's {@code FROM} and every {@code COPY --from} that names an image
 * rather than a stage, with the {@code ARG} defaults declared before the first {@code FROM} put in (no
 * {@code --build-arg} is ever given). A reference that still holds a variable is refused: what it pulls could not be
 * told before the build.
 */
final class DockerfileBases {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)");
    private static final int MAX_BYTES = 1 << 20;

    private DockerfileBases() {}

    /** Each image with the text of its instruction, in the order of the file. */
    record Base(BaseImage image, String instruction) {}

    static List<Base> read(Path dockerfile) {
        String text;
        try {
            if (Files.size(dockerfile) > MAX_BYTES) {
                throw new GuliException(dockerfile + " is larger than 1 MiB: a Dockerfile is a few kilobytes");
            }
            text = Files.readString(dockerfile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new GuliException("cannot read " + dockerfile + ": " + e.getMessage(), e);
        }
        Map<String, String> args = new HashMap<>();
        Set<String> stages = new HashSet<>();
        List<Base> out = new ArrayList<>();
        boolean beforeFirstFrom = true;
        for (String line : instructions(text)) {
            String[] words = line.split("\\s+");
            String keyword = words[0].toUpperCase(Locale.ROOT);
            if (keyword.equals("ARG") && beforeFirstFrom && words.length > 1) {
                int eq = words[1].indexOf('=');
                if (eq > 0) {
                    args.put(words[1].substring(0, eq), unquote(words[1].substring(eq + 1)));
                }
            } else if (keyword.equals("FROM")) {
                beforeFirstFrom = false;
                List<String> rest = withoutFlags(words);
                if (rest.isEmpty()) {
                    continue; // docker build reports it
                }
                add(expand(rest.get(0), args, dockerfile, line), line, stages, out, dockerfile);
                if (rest.size() >= 3 && rest.get(1).equalsIgnoreCase("AS")) {
                    stages.add(rest.get(2).toLowerCase(Locale.ROOT));
                }
            } else if (keyword.equals("COPY")) {
                for (String w : words) {
                    if (w.startsWith("--from=")) {
                        add(expand(w.substring(7), args, dockerfile, line), line, stages, out, dockerfile);
                    }
                }
            }
        }
        return out;
    }

    private static void add(String ref, String line, Set<String> stages, List<Base> out, Path dockerfile) {
        String r = ref.toLowerCase(Locale.ROOT);
        if (r.equals("scratch") || stages.contains(r) || r.matches("[0-9]+")) {
            return;
        }
        out.add(new Base(BaseImage.parse(ref, "the image in '" + line + "' of " + dockerfile), line));
    }

    private static String expand(String ref, Map<String, String> args, Path dockerfile, String line) {
        Matcher m = VARIABLE.matcher(ref);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value = args.get(name);
            if (value == null) {
                throw new GuliException(
                        dockerfile + ": '" + line + "' names its image with $" + name + ", which has no "
                                + "default in an ARG before the first FROM: give the image literally, or ARG " + name
                                + "=<image> at the top of the file");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        if (sb.indexOf("$") >= 0) {
            throw new GuliException(dockerfile + ": '" + line + "' names its image with a variable form that is not "
                    + "supported (${NAME:-...}): give the image literally, or ARG NAME=<image> at the top of the file");
        }
        return sb.toString();
    }

    private static List<String> withoutFlags(String[] words) {
        List<String> rest = new ArrayList<>();
        for (int i = 1; i < words.length; i++) {
            if (!words[i].startsWith("--")) {
                rest.add(words[i]);
            }
        }
        return rest;
    }

    private static String unquote(String v) {
        return v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))
                ? v.substring(1, v.length() - 1)
                : v;
    }

    /** The instructions: comments dropped, lines continued with a trailing backslash joined. */
    private static List<String> instructions(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : text.split("\\R", -1)) {
            String l = raw.strip();
            if (l.startsWith("#") || l.isEmpty() && current.isEmpty()) {
                continue;
            }
            if (l.endsWith("\\")) {
                current.append(l, 0, l.length() - 1).append(' ');
                continue;
            }
            current.append(l);
            if (!current.toString().isBlank()) {
                out.add(current.toString().strip());
            }
            current.setLength(0);
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }
}
