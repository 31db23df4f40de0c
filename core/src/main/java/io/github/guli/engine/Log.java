package io.github.guli.engine;

import java.io.PrintStream;

/** Where the engine reports progress: the Jenkins console, or the terminal for the command line. */
@FunctionalInterface
public interface Log {
    void info(String line);

    static Log to(PrintStream out, String prefix) {
        return line -> out.println(prefix + line);
    }
}
