package io.github.guli.jenkins;

import hudson.model.Run;
import hudson.model.TaskListener;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
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

    /**
     * The secrets this step's console must not show, looked up for the run at each use: they are never saved with
     * the build, so after a restart they are found again before the first line is written.
     */
    abstract Collection<String> secrets(Run<?, ?> run);

    /** The build's console, with the step's prefix, the step's secrets masked. */
    final Log log() {
        try {
            PrintStream console =
                    masking(context.get(TaskListener.class).getLogger()).printStream();
            return Log.to(console, prefix);
        } catch (IOException | InterruptedException e) {
            throw new GuliException("the build's console is gone: " + e.getMessage(), e);
        }
    }

    /** {@code text} with the step's secrets masked: a failure's message, which Jenkins prints itself. */
    final String masked(String text) {
        return masking(OutputStream.nullOutputStream()).mask(text);
    }

    private MaskingOutputStream masking(OutputStream out) {
        Collection<String> secrets = Set.of();
        try {
            secrets = secrets(context.get(Run.class));
        } catch (GuliException | IOException e) { // the credentials are gone: the step's next look says so
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new MaskingOutputStream(out, secrets);
    }
}
