package io.github.guli.jenkins;

import hudson.FilePath;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.Collection;
import java.util.LinkedHashSet;
import jenkins.MasterToSlaveFileCallable;

/**
 * Runs an engine call on the agent that holds the workspace. A {@link GuliException} comes back as a message and
 * is raised again on the controller as a {@link GuliException}, which the step turns into its failure ({@link
 * StepErrors}): an exception thrown across the channel would print as a remoting proxy with a stack trace.
 */
abstract class EngineOnAgent<T extends Serializable> extends MasterToSlaveFileCallable<EngineOnAgent.Outcome<T>> {
    private static final long serialVersionUID = 1L;
    private final TaskListener listener;
    private final String prefix;
    private final LinkedHashSet<String> secrets = new LinkedHashSet<>();
    private transient PrintStream console;

    EngineOnAgent(TaskListener listener, String prefix) {
        this.listener = listener;
        this.prefix = prefix;
    }

    /** The secrets the step looked up: masked in everything this call writes to the console. */
    EngineOnAgent<T> masking(Collection<String> values) {
        secrets.addAll(values);
        return this;
    }

    /** The engine call; {@code log} prints to the build's console with the step's prefix. */
    abstract T call(File workspace, Log log);

    /** The build's console without the step's prefix, for a child process' output (Maven's), secrets masked. */
    final Log console() {
        return Log.to(console != null ? console : listener.getLogger(), "");
    }

    record Outcome<T>(T value, String error) implements Serializable {
        /** The value, or the engine's error raised again, here. */
        T orThrow() {
            if (error != null) {
                throw new GuliException(error);
            }
            return value;
        }
    }

    @Override
    public Outcome<T> invoke(File workspace, VirtualChannel channel) throws IOException {
        MaskingOutputStream masked = new MaskingOutputStream(listener.getLogger(), secrets);
        console = masked.printStream();
        try {
            return new Outcome<>(call(workspace, Log.to(console, prefix)), null);
        } catch (GuliException e) {
            return new Outcome<>(null, masked.mask(e.getMessage()));
        } finally {
            masked.finish(); // also flushes the console: on an agent it is buffered, its last lines would be lost
        }
    }

    /** Runs it and returns its value; the engine's error is raised as a {@link GuliException} with its message. */
    T runOn(FilePath workspace) throws Exception {
        return workspace.act(this).orThrow();
    }
}
