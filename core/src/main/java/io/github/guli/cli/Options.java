package io.github.guli.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** {@code --name value}, {@code --name=value} and {@code --flag}; anything unknown is a usage error. */
final class Options {
    private final Map<String, String> values = new LinkedHashMap<>();
    private String action;

    Options(String command, List<String> args, Set<String> valued, Set<String> flags) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                throw new UsageException("guli " + command + ": unexpected argument '" + a + "'");
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name) && value == null) {
                values.put(name, "true");
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new UsageException("guli " + command + ": --" + name + " needs a value");
                    }
                    value = args.get(++i);
                }
                values.put(name, value);
            } else {
                Set<String> known = new TreeSet<>(valued);
                known.addAll(flags);
                throw new UsageException("guli " + command + ": unknown option --" + name + "; known options: --"
                        + String.join(", --", known));
            }
        }
    }

    /** The same options, after the action the command line named first. */
    Options action(String action) {
        this.action = action;
        return this;
    }

    /** The action ({@code diff} of {@code guli config diff}), or null for a command without actions. */
    String action() {
        return action;
    }

    String get(String name) {
        return values.get(name);
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }
}
