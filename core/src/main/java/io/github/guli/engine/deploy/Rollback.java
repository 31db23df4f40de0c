package io.github.guli.engine.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.deploy.Applier.Action;
import io.github.guli.engine.deploy.Applier.Applied;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts back what a failed deploy changed: objects it created are deleted, objects it replaced get the exact state read
 * before (for a Deployment that is its previous pod template, what {@code kubectl rollout undo} restores). It runs
 * within a time limit ({@link #TIME_LIMIT} unless told), also when the build was aborted.
 */
final class Rollback {
    /** How long a rollback may take in all, also after an abort (each request has its own, shorter, timeout). */
    static final Duration TIME_LIMIT = Duration.ofMinutes(2);

    private final KubeApi api;
    private final Log log;
    private final Duration timeLimit;

    Rollback(KubeApi api, Log log) {
        this(api, log, TIME_LIMIT);
    }

    Rollback(KubeApi api, Log log, Duration timeLimit) {
        this.api = api;
        this.log = log;
        this.timeLimit = timeLimit;
    }

    /** Rolls back (when the deploy asked for it) what the state says was applied; the exception to fail with. */
    GuliException rollBack(RolloutState state, String reason) {
        return rollBack(reason, state.changes.stream().map(this::applied).toList(), state.rollback);
    }

    private Applied applied(RolloutState.Change c) {
        HasMetadata before =
                c.before() == null || RolloutState.SECRET_NOT_KEPT.equals(c.before()) ? null : api.object(c.before());
        return new Applied(c.title(), c.action(), before, api.object(c.after()));
    }

    /**
     * Rolls back (when {@code wanted}) what was applied so far; the exception to fail with, saying why ({@code
     * reason}) and what was rolled back or left as applied.
     */
    GuliException rollBack(String reason, List<Applied> applied, boolean wanted) {
        List<Applied> touched =
                applied.stream().filter(a -> a.action() != Action.UNCHANGED).toList();
        if (touched.isEmpty()) {
            return new GuliException(reason + " (this deploy changed nothing in the cluster)");
        }
        if (!wanted) {
            return new GuliException(reason + "; left as applied (rollbackOnFailure: false): "
                    + touched.stream()
                            .map(a -> a.action().name().toLowerCase() + " " + a.title())
                            .toList());
        }
        log.info("deploy failed: " + reason);
        log.info("rolling back what this deploy changed");
        // An abort (or the agent's channel closing) interrupts this thread, and an interrupted thread fails every
        // request: the flag is set aside while rolling back, within a time limit, and set again afterwards.
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + timeLimit.toNanos();
        List<String> done = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        try {
            for (int i = touched.size() - 1; i >= 0; i--) {
                Applied a = touched.get(i);
                interrupted |= Thread.interrupted(); // a second abort does not stop the rollback either
                if (System.nanoTime() >= deadline) {
                    log.info("rollback of " + a.title() + " not tried: the rollback took longer than "
                            + timeLimit.toSeconds() + "s");
                    failed.add(a.title() + " (not tried: the rollback's " + timeLimit.toSeconds() + "s were over)");
                    continue;
                }
                try {
                    done.add(putBack(a));
                } catch (GuliException e) {
                    log.info("rollback of " + a.title() + " failed: " + e.getMessage());
                    failed.add(a.title() + " (" + e.getMessage() + ")");
                }
            }
        } finally {
            if (interrupted || Thread.interrupted()) {
                Thread.currentThread().interrupt();
            }
        }
        return new GuliException(reason + "; rolled back: " + String.join(", ", done)
                + (failed.isEmpty()
                        ? ""
                        : "; ROLLBACK FAILED for " + String.join(", ", failed) + ": check them by hand"));
    }

    /** Puts one object back as it was before this deploy; says what it did. */
    private String putBack(Applied a) {
        if (a.action() == Action.CHANGED && a.before() == null) {
            throw new GuliException("its previous content is not saved with the build (a Secret's data never is): "
                    + "put it back by hand");
        }
        if (a.action() == Action.CREATED) {
            api.call("delete " + a.title(), () -> api.resource(a.after()).delete());
            log.info("rolled back: deleted " + a.title() + " (created by this deploy)");
            return "deleted " + a.title();
        }
        try {
            restore(a);
        } catch (ConflictException e) {
            restore(a); // written meanwhile by a controller: once more on the fresh resourceVersion
        }
        log.info("rolled back: restored " + a.title() + " to its state before this deploy");
        return "restored " + a.title();
    }

    private void restore(Applied a) {
        HasMetadata current =
                api.call("read " + a.title(), () -> api.resource(a.before()).get());
        HasMetadata body = api.serialization().clone(a.before());
        body.getMetadata().setManagedFields(null);
        if (current == null) {
            body.getMetadata().setResourceVersion(null);
            body.getMetadata().setUid(null);
            api.call("re-create " + a.title(), () -> api.resource(body).create());
            return;
        }
        api.replace("restore " + a.title(), body, current);
    }
}
