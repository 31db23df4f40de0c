package io.github.guli.jenkins;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.process.Commands;
import java.util.Collection;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/**
 * What the synchronous steps share: the run's context handed over in one call (the workspace is null for a step
 * that may run outside node), an engine error turned into a one-line step failure with the step's prefix ({@link
 * StepErrors}), and the commands the engine runs started with the step's Launcher (see {@link StepLauncher}),
 * killed when the build is aborted.
 */
abstract class WorkspaceStepExecution<T> extends SynchronousNonBlockingStepExecution<T> {
    private static final long serialVersionUID = 1L;
    private final String prefix;
    private transient StepContext context;
    private transient volatile StepLauncher launcher;

    WorkspaceStepExecution(StepContext context, String prefix) {
        super(context);
        this.prefix = prefix;
    }

    /** The step's work: the run, its console, the workspace (on its agent) and the build's environment. */
    abstract T run(Run<?, ?> run, TaskListener listener, FilePath workspace, EnvVars env) throws Exception;

    @Override
    protected final T run() throws Exception {
        return run(getContext());
    }

    final T run(StepContext c) throws Exception {
        context = c;
        try {
            return run(c.get(Run.class), c.get(TaskListener.class), c.get(FilePath.class), c.get(EnvVars.class));
        } catch (GuliException e) {
            throw StepErrors.abort(prefix, e);
        } finally {
            StepLauncher l = launcher;
            if (l != null) {
                l.close(); // an agent keeping the proxy can start nothing after the step
            }
        }
    }

    /**
     * How the engine runs its commands in this step: with the step's Launcher, on the workspace's agent, only
     * {@code programs} (see {@link LaunchRules}), in the workspace; the {@code secrets} are masked in their output.
     * Refused once the step ended.
     */
    final Commands commands(FilePath workspace, Set<String> programs, Collection<String> secrets) throws Exception {
        String step = prefix.replaceAll("[^A-Za-z]", "");
        launcher = new StepLauncher(
                context.get(Launcher.class),
                workspace,
                new LaunchRules(step, workspace.getRemote(), programs),
                secrets);
        return launcher.commands();
    }

    /** Kills what the step launched, there and then, before the step's thread is interrupted. */
    @Override
    public void stop(Throwable cause) throws Exception {
        StepLauncher l = launcher;
        try {
            if (l != null) {
                l.killAll();
            }
        } finally {
            super.stop(cause);
        }
    }
}
