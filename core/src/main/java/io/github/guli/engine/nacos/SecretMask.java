package io.github.guli.engine.nacos;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks the secrets of a configuration file for a diff: the value of every secret-looking key (the key's last part
 * holds password, passwd, pwd, passphrase, secret, token, credential, appcode, or ends in key: private-key, access-key,
 * client-key-data's kind), in {@code .properties} and YAML, also written inline ({@code ?password=...}) or as a URL's
 * user information; then each such value wherever else it appears. A value that differs from the other side's for the
 * same key shows as {@code **** (changed)}.
 */
final class SecretMask {
    static final String MASK = "****";
    static final String CHANGED = MASK + " (changed)";
    /** Shorter values are not masked where they appear elsewhere: "1" would blank out half the file. */
    static final int MIN_LENGTH = 3;

    private static final Pattern SECRET_WORD =
            Pattern.compile("password|passwd|pwd|passphrase|secret|token|credential|appcode|key$|keydata$");
    private static final Pattern PROPERTY = Pattern.compile("^(\\s*)((?:\\\\.|[^\\s=:\\\\])+)(\\s*[=:]\\s*|\\s+)(.*)$");
    private static final Pattern YAML =
            Pattern.compile("^(\\s*(?:-\\s+)?)([\"']?)([^\"'#:\\s][^\"'#:]*?)\\2\\s*:(\\s+|$)(.*)$");
    private static final Pattern INLINE = Pattern.compile(
            "(?i)([\\w.-]*(?:password|passwd|pwd|passphrase|secret|token|credential|appcode|access[_-]?key|private[_-]?key)"
                    + "[\\w-]*[\"']?[ \\t]*[=:][ \\t]*)(\"[^\"]*\"|'[^']*'|[^\\s,;&}\"']+)");
    private static final Pattern USERINFO = Pattern.compile("(\\w[\\w+.-]*://[^/:@\\s]+:)([^@\\s/]+)@");

    private SecretMask() {}

    static boolean isSecretKey(String key) {
        String last = key.substring(key.lastIndexOf('.') + 1);
        return SECRET_WORD
                .matcher(last.toLowerCase(Locale.ROOT).replaceAll("[-_]", ""))
                .find();
    }

    /** The secret-looking keys of the text (a YAML key by its dotted path) and their values. */
    static Map<String, String> secrets(String text, String type) {
        Map<String, String> found = new LinkedHashMap<>();
        walk(text, type, found, null);
        return found;
    }

    /**
     * The text with its secrets masked; {@code other} holds the other side's secrets ({@link #secrets}), to mark a
     * changed one; {@code values} every secret value of both sides, masked wherever else it appears.
     */
    static String mask(String text, String type, Map<String, String> other, List<String> values) {
        StringBuilder out = new StringBuilder();
        walk(text, type, new LinkedHashMap<>(), new Masker(other, out));
        String masked = INLINE.matcher(out.toString()).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
        masked = USERINFO.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK + "@"));
        List<String> sorted = values.stream()
                .flatMap(v -> v.lines().map(String::strip))
                .filter(v -> v.length() >= MIN_LENGTH && !v.equals(MASK))
                .distinct()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
        for (String v : sorted) {
            masked = masked.replace(v, MASK);
        }
        return masked;
    }

    /** Where {@link #walk} writes each line: as it is, or with a secret's value replaced. */
    private record Masker(Map<String, String> other, StringBuilder out) {
        void line(String line) {
            out.append(line).append('\n');
        }

        /** The first line masked, and each further line of the value as its indentation and a mask. */
        void secret(String prefix, String key, String value) {
            String old = other.get(key);
            out.append(prefix)
                    .append(old == null || Objects.equals(old, value) ? MASK : CHANGED)
                    .append('\n');
            String[] more = value.split("\n", -1);
            for (int i = 1; i < more.length; i++) {
                out.append(more[i].isBlank() ? more[i] : more[i].substring(0, indent(more[i])) + MASK)
                        .append('\n');
            }
        }
    }

    /** Reads the text line by line, collecting secrets into {@code found}; with a masker, writes it masked. */
    private static void walk(String text, String type, Map<String, String> found, Masker masker) {
        String[] lines = text.split("\n", -1);
        Deque<Object[]> path = new ArrayDeque<>(); // {indent, key}
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String key = null;
            String prefix = null;
            StringBuilder value = new StringBuilder();
            int next = i;
            if (type.equals("properties")) {
                Matcher m = PROPERTY.matcher(line);
                String t = line.stripLeading();
                if (!t.startsWith("#") && !t.startsWith("!") && m.matches() && isSecretKey(m.group(2))) {
                    key = m.group(2);
                    prefix = m.group(1) + m.group(2) + m.group(3);
                    value.append(m.group(4));
                    while (endsInContinuation(lines[next]) && next + 1 < lines.length) {
                        value.append('\n').append(lines[++next]);
                    }
                }
            } else {
                Matcher m = YAML.matcher(line);
                if (m.matches()) {
                    int indent = m.group(1).length();
                    while (!path.isEmpty() && (int) path.peek()[0] >= indent) {
                        path.pop();
                    }
                    path.push(new Object[] {indent, m.group(3).strip()});
                    String dotted = dotted(path);
                    String v = m.group(5);
                    if (isSecretKey(dotted) && !v.isBlank()) {
                        key = dotted;
                        prefix = line.substring(0, m.start(5));
                        value.append(v);
                        if (v.matches("[|>][-+0-9]*\\s*(#.*)?")) {
                            while (next + 1 < lines.length
                                    && (lines[next + 1].isBlank() || indent(lines[next + 1]) > indent)) {
                                value.append('\n').append(lines[++next]);
                            }
                        }
                    }
                }
            }
            if (key == null) {
                if (masker != null) {
                    masker.line(line);
                }
                continue;
            }
            found.put(key, value.toString());
            if (masker != null) {
                masker.secret(prefix, key, value.toString());
            }
            i = next;
        }
        if (masker != null && masker.out().length() > 0) {
            masker.out().setLength(masker.out().length() - 1); // the last line had no newline of its own
        }
    }

    private static boolean endsInContinuation(String line) {
        int n = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            n++;
        }
        return n % 2 == 1;
    }

    private static int indent(String line) {
        int i = 0;
        while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        return i;
    }

    private static String dotted(Deque<Object[]> path) {
        StringBuilder b = new StringBuilder();
        path.descendingIterator()
                .forEachRemaining(e -> b.append(b.length() == 0 ? "" : ".").append(e[1]));
        return b.toString();
    }
}
