package io.github.guli.jenkins;

import hudson.model.TaskListener;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * A step that waits by looking again and again, from the controller, on Jenkins' timer: no thread is held while it
 * waits, and what it waits for is in serializable fields, saved with the build, so {@code onResume} can schedule the
 * next look after a restart. Subclasses say what one look is ({@link #poll}).
 */
abstract class PollingStepExecution extends StepExecution {
    private static final long serialVersionUID = 1L;
    final StepContext context;
    private final String prefix;
    private transient volatile ScheduledFuture<?> next;

    PollingStepExecution(StepContext context, String prefix) {
        super(context);
        this.context = context;
        this.prefix = prefix;
    }

    /** One look; it schedules the next one, or completes the step. */
    abstract void poll();

    /** Runs {@link #poll} after {@code delay}. */
    final void schedule(Duration delay) {
        next = later(this::poll, delay);
    }

    /** Cancels the next look, if one is scheduled. */
    final void cancelNext() {
        ScheduledFuture<?> f = next;
        if (f != null) {
            f.cancel(false);
        }
    }

    /** Runs {@code task} after {@code delay} on Jenkins' timer. */
    ScheduledFuture<?> later(Runnable task, Duration delay) {
        return Timer.get().schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The build's console, with the step's prefix. */
    final Log log() {
        try {
            return Log.to(context.get(TaskListener.class).getLogger(), prefix);
        } catch (IOException | InterruptedException e) {
            throw new GuliException("the build's console is gone: " + e.getMessage(), e);
        }
    }
}
