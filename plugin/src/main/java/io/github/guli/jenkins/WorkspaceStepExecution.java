package io.github.guli.jenkins;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.github.guli.engine.GuliException;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/**
 * What the steps that work in a workspace share: the run's context handed over in one call, and an engine error
 * turned into a one-line step failure with the step's prefix (Jenkins prints "ERROR: message", no stack trace).
 */
abstract class WorkspaceStepExecution<T> extends SynchronousNonBlockingStepExecution<T> {
    private static final long serialVersionUID = 1L;
    private final String prefix;

    WorkspaceStepExecution(StepContext context, String prefix) {
        super(context);
        this.prefix = prefix;
    }

    /** The step's work: the run, its console, the workspace (on its agent) and the build's environment. */
    abstract T run(Run<?, ?> run, TaskListener listener, FilePath workspace, EnvVars env) throws Exception;

    @Override
    protected final T run() throws Exception {
        StepContext c = getContext();
        try {
            return run(c.get(Run.class), c.get(TaskListener.class), c.get(FilePath.class), c.get(EnvVars.class));
        } catch (GuliException e) {
            throw new AbortException(prefix + e.getMessage());
        }
    }
}
