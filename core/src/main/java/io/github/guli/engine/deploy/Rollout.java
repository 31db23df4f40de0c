package io.github.guli.engine.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.github.guli.engine.Blank;

/**
 * Whether a workload's rollout is done, still going, or failed, read from its status the way
 * {@code kubectl rollout status} reads it.
 */
public final class Rollout {
    public enum State {
        PROGRESSING,
        COMPLETE,
        FAILED
    }

    public record Status(State state, String message) implements java.io.Serializable {
        static Status progressing(String message) {
            return new Status(State.PROGRESSING, message);
        }

        static Status complete(String message) {
            return new Status(State.COMPLETE, message);
        }

        static Status failed(String message) {
            return new Status(State.FAILED, message);
        }
    }

    private Rollout() {}

    /** True for the kinds whose rollout is waited for. */
    public static boolean isWorkload(HasMetadata o) {
        return o instanceof Deployment || o instanceof StatefulSet || o instanceof DaemonSet;
    }

    public static Status of(HasMetadata o) {
        if (o instanceof Deployment d) {
            return deployment(d);
        }
        if (o instanceof StatefulSet s) {
            return statefulSet(s);
        }
        if (o instanceof DaemonSet d) {
            return daemonSet(d);
        }
        return Status.complete("nothing to wait for");
    }

    static Status deployment(Deployment d) {
        DeploymentStatus st = d.getStatus();
        if (st == null || !observed(d.getMetadata().getGeneration(), st.getObservedGeneration())) {
            return Status.progressing("waiting for the controller to see the new spec");
        }
        for (DeploymentCondition c :
                st.getConditions() == null ? java.util.List.<DeploymentCondition>of() : st.getConditions()) {
            if ("Progressing".equals(c.getType()) && "ProgressDeadlineExceeded".equals(c.getReason())) {
                return Status.failed("exceeded its progress deadline (ProgressDeadlineExceeded after "
                        + (d.getSpec().getProgressDeadlineSeconds() == null
                                ? 600
                                : d.getSpec().getProgressDeadlineSeconds())
                        + "s)" + message(c.getMessage()));
            }
            if ("ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus())) {
                return Status.failed("cannot create its pods: " + c.getReason() + message(c.getMessage()));
            }
        }
        int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        int updated = n(st.getUpdatedReplicas());
        int replicas = n(st.getReplicas());
        int available = n(st.getAvailableReplicas());
        if (updated < desired) {
            return Status.progressing(
                    updated + " of " + desired + " new replicas updated, " + available + " available");
        }
        if (replicas > updated) {
            return Status.progressing((replicas - updated) + " old replicas pending termination");
        }
        if (available < updated) {
            return Status.progressing(available + " of " + updated + " updated replicas available");
        }
        return Status.complete("rolled out, " + available + "/" + desired + " available");
    }

    static Status statefulSet(StatefulSet s) {
        if (s.getSpec().getUpdateStrategy() != null
                && "OnDelete".equals(s.getSpec().getUpdateStrategy().getType())) {
            return Status.complete("updateStrategy OnDelete: pods change only when deleted, nothing to wait for");
        }
        StatefulSetStatus st = s.getStatus();
        if (st == null
                || st.getObservedGeneration() == null
                || st.getObservedGeneration() == 0
                || !observed(s.getMetadata().getGeneration(), st.getObservedGeneration())) {
            return Status.progressing("waiting for the controller to see the new spec");
        }
        int desired = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
        int ready = n(st.getReadyReplicas());
        if (ready < desired) {
            return Status.progressing(ready + " of " + desired + " pods ready");
        }
        var rolling = s.getSpec().getUpdateStrategy() == null
                ? null
                : s.getSpec().getUpdateStrategy().getRollingUpdate();
        if (rolling != null && rolling.getPartition() != null && rolling.getPartition() > 0) {
            int target = desired - rolling.getPartition();
            return n(st.getUpdatedReplicas()) < target
                    ? Status.progressing(n(st.getUpdatedReplicas()) + " of " + target + " pods updated (partitioned)")
                    : Status.complete("partitioned roll out complete, " + target + " pods updated");
        }
        if (st.getUpdateRevision() != null && !st.getUpdateRevision().equals(st.getCurrentRevision())) {
            return Status.progressing(
                    n(st.getUpdatedReplicas()) + " of " + desired + " pods at revision " + st.getUpdateRevision());
        }
        return Status.complete("rolled out, " + ready + "/" + desired + " ready");
    }

    static Status daemonSet(DaemonSet d) {
        if (d.getSpec().getUpdateStrategy() != null
                && "OnDelete".equals(d.getSpec().getUpdateStrategy().getType())) {
            return Status.complete("updateStrategy OnDelete: pods change only when deleted, nothing to wait for");
        }
        DaemonSetStatus st = d.getStatus();
        if (st == null || !observed(d.getMetadata().getGeneration(), st.getObservedGeneration())) {
            return Status.progressing("waiting for the controller to see the new spec");
        }
        int desired = n(st.getDesiredNumberScheduled());
        if (n(st.getUpdatedNumberScheduled()) < desired) {
            return Status.progressing(n(st.getUpdatedNumberScheduled()) + " of " + desired + " nodes updated");
        }
        if (n(st.getNumberAvailable()) < desired) {
            return Status.progressing(n(st.getNumberAvailable()) + " of " + desired + " updated pods available");
        }
        return Status.complete("rolled out on " + desired + " nodes");
    }

    private static boolean observed(Long generation, Long observedGeneration) {
        return observedGeneration != null && (generation == null || observedGeneration >= generation);
    }

    private static int n(Integer i) {
        return i == null ? 0 : i;
    }

    private static String message(String m) {
        return Blank.isBlank(m) ? "" : ": " + m;
    }
}
