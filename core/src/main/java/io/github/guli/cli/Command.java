package io.github.guli.cli;

import java.io.PrintStream;
import java.util.Set;

/** One {@code guli} subcommand: its options in kebab-case, as the matching Pipeline step's parameters. */
interface Command {
    String name();

    /** One line for {@code guli --help}. */
    String summary();

    /** The full text for {@code guli <name> --help}. */
    String help();

    /** Options that take a value. */
    Set<String> options();

    /** Options that take none. */
    Set<String> flags();

    /** What comes first when the command does one of several things ({@code guli config diff}); none by default. */
    default Set<String> actions() {
        return Set.of();
    }

    /** Runs it; returns the exit status (0 done). A {@link io.github.guli.engine.GuliException} means 1. */
    int run(Options options, Secrets secrets, PrintStream out);
}
