package io.github.guli.engine.process;

import io.github.guli.engine.Log;
import java.io.IOException;

/**
 * How the engine runs a command: it never starts a process itself. The command line ({@code guli}) starts it in its
 * own process; Jenkins starts it with the step's Launcher, so that {@code container('maven')}, {@code withEnv} and
 * {@code docker.image().inside} apply to it as they apply to {@code sh}. There is no standard input: a Launcher that
 * runs commands in a Kubernetes container does not pass one on, so secrets go in the environment or in a file.
 */
public interface Commands {
    /**
     * Runs the command to its end.
     *
     * @param output gets the command's output (standard output and error together), line by line, as it comes
     * @return the exit status
     * @throws IOException when the command cannot be started (e.g. the program is not there)
     * @throws InterruptedException when the caller is interrupted; the command has then been stopped
     */
    int run(CommandLine command, Log output) throws IOException, InterruptedException;
}
