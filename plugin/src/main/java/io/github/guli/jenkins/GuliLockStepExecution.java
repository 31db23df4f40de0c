package io.github.guli.jenkins;

import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.IOException;
import java.util.UUID;
import jenkins.model.CauseOfInterruption;
import org.jenkinsci.plugins.workflow.steps.BodyExecution;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * guliLock's execution: asynchronous and durable. {@code start} takes the lock or queues for it and returns; the body
 * starts when the lock is this build's, and the lock goes to the next waiter when the body ends, whichever way. Saved
 * with the build's program: the resource, this claim's id, whether the body started, and the body. {@code onResume}
 * finds the claim again in {@link GuliLocks}: a waiter given the lock while the controller was down starts its body
 * then.
 */
class GuliLockStepExecution extends StepExecution {
    private static final long serialVersionUID = 1L;
    /** The context, kept here: the one StepExecution holds is injected by Jenkins only. */
    final StepContext context;

    final String resource;
    final boolean newest;
    final String id = UUID.randomUUID().toString();
    String build;
    private volatile boolean bodyStarted;
    volatile BodyExecution body;
    /** The lock table: Jenkins' singleton, unless a test gives one. */
    transient GuliLocks locks;

    GuliLockStepExecution(StepContext context, String resource, boolean newest) {
        super(context);
        this.context = context;
        this.resource = resource;
        this.newest = newest;
    }

    @Override
    public boolean start() throws Exception {
        build = context.get(Run.class).getExternalizableId();
        GuliLocks.Asked asked = locks().ask(this);
        handOver(asked.freed());
        for (GuliLockStepExecution older : asked.dropped()) {
            older.superseded(build);
        }
        if (asked.held()) {
            startBody();
        } else {
            log("waiting for " + resource + ", held by " + asked.holder()
                    + (asked.ahead() > 0 ? " (" + asked.ahead() + " build(s) ahead)" : ""));
        }
        return false;
    }

    /** Says what was freed of builds that are gone, and starts the bodies of the waiters that hold a lock now. */
    private void handOver(GuliLocks.Freed freed) {
        freed.lines().forEach(this::log);
        freed.next().forEach(GuliLockStepExecution::startBody);
    }

    /** The lock is this build's: the body runs, and the lock is released when it ends. */
    void startBody() {
        bodyStarted = true;
        try {
            log("holds " + resource);
            body = context.newBodyInvoker().withCallback(new Release(this)).start();
        } catch (RuntimeException e) {
            ended();
            context.onFailure(e);
        }
    }

    /** The body ended (or never started, for a holder stopped): the next waiter holds the lock now. */
    void ended() {
        GuliLocks.Released released = locks().release(this);
        if (released.held()) {
            log("released " + resource);
        }
        if (released.next() != null) {
            released.next().startBody();
        }
    }

    /**
     * A newer build waits for the same resource, and the admins chose that the newest goes: the build ends ABORTED
     * with the cause on its page, as Jenkins ends a build a milestone or lockable-resources supersedes.
     */
    void superseded(String newer) {
        log(build + " no longer waits for " + resource + ": superseded by " + newer
                + ", a newer build waiting for it (concurrency: newest)");
        context.onFailure(new FlowInterruptedException(Result.ABORTED, true, new Superseded(newer, resource)));
    }

    /** Why a waiting build was ended: the newer build that waits for the resource in its place. */
    static final class Superseded extends CauseOfInterruption {
        private static final long serialVersionUID = 1L;
        private final String newerBuild;
        private final String resource;

        Superseded(String newerBuild, String resource) {
            this.newerBuild = newerBuild;
            this.resource = resource;
        }

        String newerBuild() {
            return newerBuild;
        }

        @Override
        public String getShortDescription() {
            return "Superseded by " + newerBuild + ", a newer build waiting for " + resource + " (concurrency: newest)";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Superseded s && s.newerBuild.equals(newerBuild) && s.resource.equals(resource);
        }

        @Override
        public int hashCode() {
            return newerBuild.hashCode() * 31 + resource.hashCode();
        }
    }

    /** A waiter leaves the queue; a holder's body is stopped, and the lock goes when it has ended. */
    @Override
    public void stop(Throwable cause) {
        if (locks().leave(this)) {
            context.onFailure(cause);
            return;
        }
        BodyExecution running = body;
        if (running != null) {
            running.cancel(cause); // Release ends the step once the body has stopped
            return;
        }
        ended(); // given the lock, stopped before its body started
        context.onFailure(cause);
    }

    @Override
    public void onResume() {
        handOver(locks().freeGoneOnceLoaded()); // the first build to resume: the builds are all loaded by then
        switch (locks().resume(this)) {
            case HOLDS -> {
                if (!bodyStarted) {
                    startBody(); // given the lock while the controller was down
                }
            }
            case WAITS -> log("still waiting for " + resource + " after the restart");
            case SUPERSEDED -> superseded(locks().supersededBy(this));
            case UNKNOWN -> {
                if (!bodyStarted) {
                    try {
                        start(); // the saved locks were lost: queue again
                    } catch (Exception e) {
                        context.onFailure(e);
                    }
                }
            }
        }
    }

    @Override
    public String getStatus() {
        return (bodyStarted ? "holds " : "waiting for ") + resource;
    }

    GuliLocks locks() {
        if (locks == null) {
            locks = GuliLocks.get();
        }
        return locks;
    }

    boolean bodyStarted() {
        return bodyStarted;
    }

    private void log(String line) {
        try {
            context.get(TaskListener.class).getLogger().println(GuliLockStep.PREFIX + line);
        } catch (IOException | InterruptedException e) {
            // the console is gone with its build; the lock table is what matters
        }
    }

    /** Releases the lock when the body ends, then ends the step as the body did. */
    static final class Release extends BodyExecutionCallback {
        private static final long serialVersionUID = 1L;
        private final GuliLockStepExecution execution;

        Release(GuliLockStepExecution execution) {
            this.execution = execution;
        }

        @Override
        public void onSuccess(StepContext context, Object result) {
            execution.ended();
            context.onSuccess(result);
        }

        @Override
        public void onFailure(StepContext context, Throwable t) {
            execution.ended();
            context.onFailure(t);
        }
    }
}
