package io.github.guli.engine.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * kubernetesDeploy's {@code enableConfigSubstitution}, done strictly: {@code $VAR} and {@code ${VAR}} take the value
 * of VAR from the build's environment, {@code $$} is a literal {@code $}, and a reference to a variable that is not
 * defined is an error at its file and line (the old plugin left it in, or made it empty, and the cluster got an
 * image named {@code :$TAG_NAME}). {@code $(VAR)}, Kubernetes' own expansion in command and args, is left alone, and
 * so are whole-line comments.
 */
public final class Substitution {
    /**
     * @param text the rendered text
     * @param sourceLines for each rendered line (0-based index), the 1-based line of the source it came from; they
     *                    differ only when a value holds a line break
     */
    public record Result(String text, int[] sourceLines, List<Problem> problems) {
    }

    private Substitution() {
    }

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
        return new Result(out.toString(), lines.stream().mapToInt(Integer::intValue).toArray(), problems);
    }

    private static String substitute(String file, int lineNo, String line, Map<String, String> env, List<Problem> problems) {
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
                problems.add(Problem.error(file, lineNo, line.substring(i, after) + " is not defined: define " + name
                        + " (a build parameter, an environment variable, withEnv) or write $$ for a literal $"
                        + " (or turn enableConfigSubstitution off)"));
                out.append(line, i, after);
            } else {
                out.append(value);
            }
            i = after;
        }
        return out.toString();
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
