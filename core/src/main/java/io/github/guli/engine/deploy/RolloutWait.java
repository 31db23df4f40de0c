package io.github.guli.engine.deploy;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Looks at the rollout of the workloads a deploy applied, reading each one's status with {@link Rollout}, until all
 * rolled out, one failed or the deadline passed; says why it failed, with what the pods say (ImagePullBackOff, ...).
 * Logs a workload's status when it changes, and every {@link #PROGRESS_EVERY} in any case.
 */
final class RolloutWait {
    static final String INTERRUPTED = "the deploy was interrupted (aborted) while waiting for the rollout";

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);

    private final KubeApi api;
    private final Log log;
    private final Duration poll;

    /** @param poll the time between two looks */
    RolloutWait(KubeApi api, Log log, Duration poll) {
        this.api = api;
        this.log = log;
        this.poll = poll;
    }

    /**
     * Looks until every workload rolled out; returns null then, else why not (a failed read and an abort too: what
     * was applied goes back all the same).
     */
    String waitFor(RolloutState state) {
        try {
            while (true) {
                Rollout.Status st = poll(state);
                if (st.state() != Rollout.State.PROGRESSING) {
                    return st.state() == Rollout.State.COMPLETE ? null : st.message();
                }
                try {
                    Thread.sleep(poll.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return INTERRUPTED;
                }
            }
        } catch (GuliException e) { // a read failed, or was cut by an abort
            return Thread.currentThread().isInterrupted() ? INTERRUPTED : e.getMessage();
        }
    }

    /**
     * One look at every workload not yet rolled out (the state is updated in place): complete when all are, failed
     * (with why, and what the pods say) when one failed or the deadline passed, else progressing.
     */
    Rollout.Status poll(RolloutState state) {
        long now = System.currentTimeMillis();
        boolean all = true;
        for (String title : state.workloads()) {
            if (state.done.contains(title)) {
                continue;
            }
            HasMetadata current = read(state, title);
            if (current == null) {
                return state.last =
                        Rollout.Status.failed(title + " was deleted while its rollout was being waited for");
            }
            Rollout.Status st = Rollout.of(current);
            boolean quiet = now - state.lastLoggedMillis < PROGRESS_EVERY.toMillis();
            if (!st.message().equals(state.lastMessage.put(title, st.message())) || !quiet) {
                log.info(title + ": " + st.message() + " (" + (now - state.startMillis) / 1000 + "s)");
                state.lastLoggedMillis = now;
            }
            switch (st.state()) {
                case COMPLETE -> state.done.add(title);
                case FAILED -> {
                    return state.last = Rollout.Status.failed(title + " " + st.message() + podProblems(current));
                }
                default -> all = false;
            }
        }
        if (all) {
            return state.last = Rollout.Status.complete(state.result().rollout());
        }
        if (now >= state.deadlineMillis) {
            List<String> pending = new ArrayList<>();
            for (String title : state.workloads()) {
                if (!state.done.contains(title)) {
                    HasMetadata current = read(state, title);
                    pending.add(title + " (" + state.lastMessage.get(title) + ")"
                            + (current == null ? "" : podProblems(current)));
                }
            }
            return state.last = Rollout.Status.failed("the rollout did not finish within " + state.timeoutSeconds
                    + "s (timeout): " + String.join("; ", pending));
        }
        return state.last = Rollout.Status.progressing(String.join(
                "; ",
                state.lastMessage.entrySet().stream()
                        .filter(e -> !state.done.contains(e.getKey()))
                        .map(e -> e.getKey() + ": " + e.getValue())
                        .toList()));
    }

    /** The workload as it is now in the cluster; null when it is gone. */
    private HasMetadata read(RolloutState state, String title) {
        HasMetadata applied = state.changes.stream()
                .filter(c -> c.title().equals(title))
                .findFirst()
                .map(c -> api.object(c.after()))
                .orElseThrow();
        return api.call("read " + title, () -> api.resource(applied).get());
    }

    /** Why the workload's pods are not running, as far as their container statuses say (ImagePullBackOff, ...). */
    private String podProblems(HasMetadata workload) {
        LabelSelector selector = workload instanceof Deployment d
                ? d.getSpec().getSelector()
                : workload instanceof StatefulSet s
                        ? s.getSpec().getSelector()
                        : workload instanceof DaemonSet ds ? ds.getSpec().getSelector() : null;
        if (selector == null
                || selector.getMatchLabels() == null
                || selector.getMatchLabels().isEmpty()) {
            return "";
        }
        List<Pod> pods;
        try {
            pods = api.pods(workload.getMetadata().getNamespace(), selector.getMatchLabels());
        } catch (GuliException e) {
            return ""; // the reason is a bonus: not being allowed to list pods must not hide the failure itself
        }
        Set<String> reasons = new LinkedHashSet<>();
        for (Pod p : pods) {
            if (p.getStatus() == null) {
                continue;
            }
            List<ContainerStatus> statuses = new ArrayList<>();
            if (p.getStatus().getInitContainerStatuses() != null) {
                statuses.addAll(p.getStatus().getInitContainerStatuses());
            }
            if (p.getStatus().getContainerStatuses() != null) {
                statuses.addAll(p.getStatus().getContainerStatuses());
            }
            for (ContainerStatus c : statuses) {
                var waiting = c.getState() == null ? null : c.getState().getWaiting();
                var last = c.getLastState() == null ? null : c.getLastState().getTerminated();
                if (waiting != null
                        && waiting.getReason() != null
                        && !"ContainerCreating".equals(waiting.getReason())
                        && !"PodInitializing".equals(waiting.getReason())) {
                    reasons.add("pod " + p.getMetadata().getName() + " container " + c.getName() + ": "
                            + waiting.getReason()
                            + (waiting.getMessage() == null ? "" : " (" + waiting.getMessage() + ")")
                            + (last != null && last.getReason() != null
                                    ? ", last exit " + last.getReason()
                                            + (last.getExitCode() == null ? "" : " code " + last.getExitCode())
                                    : ""));
                }
            }
            if (reasons.size() >= 5) {
                break;
            }
        }
        return reasons.isEmpty() ? "" : "; " + String.join("; ", reasons);
    }
}
