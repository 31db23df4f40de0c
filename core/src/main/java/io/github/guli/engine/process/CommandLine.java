package io.github.guli.engine.process;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A command the engine wants run: its arguments (never a secret), the whole environment it runs with (where secrets
 * go), and the directory it runs in.
 */
public record CommandLine(List<String> argv, Map<String, String> env, String dir) {
    public CommandLine {
        argv = List.copyOf(argv);
        env = new TreeMap<>(env);
    }

    /** The first argument: what is started. */
    public String program() {
        return argv.get(0);
    }
}
