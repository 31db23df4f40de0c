package io.github.guli.engine.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * kubernetesDeploy's {@code enableConfigSubstitution}, done strictly: {@code $VAR} and {@code ${VAR}} take the value
 * of VAR from the build's environment, {@code $$} is a literal {@code $}, and a reference to a variable that is not
 * defined is an error at its file and line (the old plugin left it in, or made it empty, and the cluster got an
 * image named {@code :$TAG_NAME}). A value that holds YAML syntax (a line break, {@code ': '}, a brace, a quote, a
 * {@code #}...) is an error too: a branch name or a pull request's title must not add fields to a manifest.
 * {@code $(VAR)}, Kubernetes' own expansion in command and args, is left alone, and so are whole-line comments.
 */
public final class Substitution {
    /**
     * @param text the rendered text
     * @param sourceLines for each rendered line (0-based index), the 1-based line of the source it came from; they
     *                    differ only when a value holds a line break
     */
    public record Result(String text, int[] sourceLines, List<Problem> problems) {}

    private Substitution() {}

    public static Result apply(String file, String source, Map<String, String> env) {
        StringBuilder out = new StringBuilder(source.length());
        List<Integer> lines = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        String[] in = source.split("\n", -1);
        for (int i = 0; i < in.length; i++) {
            String line = in[i];
            String rendered = line.stripLeading().startsWith("#") ? line : substitute(file, i + 1, line, env, problems);
            out.append(rendered);
            if (i < in.length - 1) {
                out.append('\n');
            }
            long breaks = rendered.chars().filter(c -> c == '\n').count();
            for (long k = 0; k <= breaks; k++) {
                lines.add(i + 1);
            }
        }
        return new Result(
                out.toString(), lines.stream().mapToInt(Integer::intValue).toArray(), problems);
    }

    private static String substitute(
            String file, int lineNo, String line, Map<String, String> env, List<Problem> problems) {
        StringBuilder out = new StringBuilder(line.length());
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c != '$' || i + 1 == line.length()) {
                out.append(c);
                i++;
                continue;
            }
            char next = line.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
                continue;
            }
            int start;
            int end;
            int after;
            if (next == '{') {
                start = i + 2;
                end = identifierEnd(line, start);
                if (end == start || end >= line.length() || line.charAt(end) != '}') {
                    out.append(c); // ${...} that is not ${NAME}, e.g. a shell default ${X:-y}: not ours
                    i++;
                    continue;
                }
                after = end + 1;
            } else {
                start = i + 1;
                end = identifierEnd(line, start);
                if (end == start) {
                    out.append(c); // $( $1 $- ...: not a reference
                    i++;
                    continue;
                }
                after = end;
            }
            String name = line.substring(start, end);
            String value = env.get(name);
            if (value == null) {
                problems.add(Problem.error(
                        file,
                        lineNo,
                        line.substring(i, after) + " is not defined: define " + name
                                + " (a build parameter, an environment variable, withEnv) or write $$ for a literal $"
                                + " (or turn enableConfigSubstitution off)"));
                out.append(line, i, after);
            } else if (yamlSyntax(value) != null) {
                // the value is not printed: a variable may hold a secret
                problems.add(Problem.error(
                        file,
                        lineNo,
                        line.substring(i, after) + ": the value of " + name + " holds "
                                + yamlSyntax(value)
                                + ", which would change the structure of the manifest (a new field, "
                                + "list item or document) rather than be one value: give " + name
                                + " a plain value (letters, "
                                + "digits, . _ - / : @ + = and spaces), or keep such text in a ConfigMap"));
                out.append(line, i, after);
            } else {
                out.append(value);
            }
            i = after;
        }
        return out.toString();
    }

    /**
     * What in {@code value} is YAML syntax wherever a reference may stand (a plain, quoted or flow value), or null
     * when it is one plain value there.
     */
    static String yamlSyntax(String value) {
        for (int k = 0; k < value.length(); k++) {
            char c = value.charAt(k);
            if (c == '\n' || c == '\r') {
                return "a line break";
            }
            if (c < 0x20 || c == 0x7f) {
                return "a control character";
            }
            if ("#{}[],&*!|>'\"`\\".indexOf(c) >= 0) {
                return "'" + c + "'";
            }
            if (c == ':' && (k + 1 == value.length() || value.charAt(k + 1) == ' ')) {
                return "': '";
            }
        }
        if (value.matches("[-?:@%](\\s.*)?") || value.startsWith("@") || value.startsWith("%")) {
            return "'" + value.charAt(0) + "' at its start";
        }
        return null;
    }

    private static int identifierEnd(String s, int from) {
        int k = from;
        if (k < s.length() && isNameChar(s.charAt(k)) && !Character.isDigit(s.charAt(k))) {
            k++;
            while (k < s.length() && isNameChar(s.charAt(k))) {
                k++;
            }
        }
        return k;
    }

    private static boolean isNameChar(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_';
    }
}
