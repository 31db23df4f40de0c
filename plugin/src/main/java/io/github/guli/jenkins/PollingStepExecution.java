package io.github.guli.jenkins;

import hudson.model.TaskListener;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
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
    /** The secrets looked up since this controller started: never saved, each look finds them again. */
    private transient Set<String> secrets;

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

    /** Masks {@code values} in what {@link #log} prints from now on; returns them. */
    final synchronized <C extends Collection<String>> C masking(C values) {
        if (secrets == null) {
            secrets = new LinkedHashSet<>();
        }
        secrets.addAll(values);
        return values;
    }

    /** The build's console, with the step's prefix, the secrets looked up so far masked. */
    final Log log() {
        try {
            Set<String> masked;
            synchronized (this) {
                masked = secrets == null ? Set.of() : new LinkedHashSet<>(secrets);
            }
            PrintStream console =
                    new MaskingOutputStream(context.get(TaskListener.class).getLogger(), masked).printStream();
            return Log.to(console, prefix);
        } catch (IOException | InterruptedException e) {
            throw new GuliException("the build's console is gone: " + e.getMessage(), e);
        }
    }
}
