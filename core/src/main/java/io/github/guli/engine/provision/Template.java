package io.github.guli.engine.provision;

import io.github.guli.engine.GuliException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A configuration file kept as text under this package's resources, with {{name}} placeholders. A value is
 * <ul>
 *   <li>one value (a String or a number), put in place as it is: the caller quotes it where the file needs that
 *       ({@link Yamls#quote}); a line break in it is refused, since it would end the line and start another;
 *   <li>a List: the line that holds the placeholder is written once per item (no line for no item);
 *   <li>a {@link Block}: other filled templates, written in place of the line that holds only the placeholder.
 * </ul>
 * Every placeholder needs a value and every value a placeholder, so a template and its caller cannot drift apart.
 */
final class Template {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z]+)}}");

    private final String name;
    private final String text;

    private Template(String name, String text) {
        this.name = name;
        this.text = text;
    }

    /** The template at {@code name} below this package's resources, e.g. {@code mysql/my.cnf}. */
    static Template load(String name) {
        return new Template(name, resource(name, "the template " + name));
    }

    /** A text file shipped in the engine jar; {@code what} names it in the errors. */
    static String resource(String path, String what) {
        try (InputStream in = Template.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new GuliException(what + " is missing from the engine jar: rebuild it");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new GuliException("cannot read " + what + ": " + e.getMessage());
        }
    }

    /** Filled templates, one after another. */
    record Block(String text) {}

    /** This template filled once per item, the texts one after another. */
    Block fillEach(List<Map<String, ?>> items) {
        return new Block(items.stream().map(this::fill).collect(Collectors.joining()));
    }

    String fill(Map<String, ?> values) {
        StringBuilder out = new StringBuilder();
        Set<String> used = new HashSet<>();
        for (String line : text.split("(?<=\n)")) {
            String repeated = null;
            for (String placeholder : placeholders(line)) {
                used.add(placeholder);
                Object value = values.get(placeholder);
                if (value == null) {
                    throw new IllegalArgumentException(name + " needs a value for {{" + placeholder + "}}");
                }
                if (value instanceof List<?> || value instanceof Block) {
                    if (repeated != null) {
                        throw new IllegalArgumentException(
                                name + ": one list per line, not " + repeated + " and " + placeholder);
                    }
                    repeated = placeholder;
                }
            }
            Object value = repeated == null ? null : values.get(repeated);
            if (value instanceof Block block) {
                if (!line.strip().equals("{{" + repeated + "}}")) {
                    throw new IllegalArgumentException(name + ": {{" + repeated + "}} must be alone on its line");
                }
                out.append(block.text());
            } else if (value instanceof List<?> items) {
                for (Object item : items) {
                    out.append(substitute(line, values, repeated, item));
                }
            } else {
                out.append(substitute(line, values, null, null));
            }
        }
        Set<String> unused = new HashSet<>(values.keySet());
        unused.removeAll(used);
        if (!unused.isEmpty()) {
            throw new IllegalArgumentException(name + " has no placeholder for " + unused);
        }
        return out.toString();
    }

    private static List<String> placeholders(String line) {
        return PLACEHOLDER
                .matcher(line)
                .results()
                .map(m -> m.group(1))
                .distinct()
                .toList();
    }

    private String substitute(String line, Map<String, ?> values, String repeated, Object item) {
        return PLACEHOLDER.matcher(line).replaceAll(m -> {
            String placeholder = m.group(1);
            String value = String.valueOf(placeholder.equals(repeated) ? item : values.get(placeholder));
            if (value.contains("\n") || value.contains("\r")) {
                throw new GuliException("the value of {{" + placeholder + "}} in " + name
                        + " holds a line break, which would break the file: give it on one line");
            }
            return Matcher.quoteReplacement(value);
        });
    }
}
