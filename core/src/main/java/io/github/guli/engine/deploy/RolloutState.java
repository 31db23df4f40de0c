package io.github.guli.engine.deploy;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a deploy applied and how far its rollout got: enough for another process (a Jenkins controller after a
 * restart) to look at the rollout again and to roll back. Objects are kept as JSON; the kubeconfig is not kept.
 */
public final class RolloutState implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What a saved state holds instead of the previous content of a Secret (secrets are not saved). */
    static final String SECRET_NOT_KEPT = "previous content not kept";

    /** One applied object: what it was before (null when this deploy created it) and as applied. */
    record Change(String title, Applier.Action action, String before, String after) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    final String server;
    final String context;
    final List<Change> changes;
    final List<String> workloads;
    final boolean wait;
    final boolean rollback;
    final int timeoutSeconds;
    final int warnings;
    /** Wall-clock milliseconds: a restart does not move it. */
    final long startMillis;

    final long deadlineMillis;
    final Set<String> done = new LinkedHashSet<>();
    final Map<String, String> lastMessage = new LinkedHashMap<>();
    long lastLoggedMillis;
    /** What the last look found: the rollout is done when this is COMPLETE, lost when FAILED. */
    Rollout.Status last = Rollout.Status.progressing("not looked at yet");

    RolloutState(
            String server,
            String context,
            List<Change> changes,
            List<String> workloads,
            boolean wait,
            boolean rollback,
            int timeoutSeconds,
            int warnings,
            long startMillis) {
        this.server = server;
        this.context = context;
        this.changes = List.copyOf(changes);
        this.workloads = List.copyOf(workloads);
        this.wait = wait;
        this.rollback = rollback;
        this.timeoutSeconds = timeoutSeconds;
        this.warnings = warnings;
        this.startMillis = startMillis;
        this.deadlineMillis = startMillis + timeoutSeconds * 1000L;
        this.lastLoggedMillis = startMillis;
    }

    /** The API server's address, for messages. */
    public String server() {
        return server;
    }

    /** The kubeconfig context the objects were applied with (null for its current-context). */
    public String context() {
        return context;
    }

    /** The workloads whose rollout is waited for ("Kind namespace/name"); empty when there is nothing to wait for. */
    public List<String> workloads() {
        return wait ? workloads : List.of();
    }

    public long deadlineMillis() {
        return deadlineMillis;
    }

    public Rollout.Status last() {
        return last;
    }

    /** The deploy's result once the rollout is over (or not waited for). */
    public DeployResult result() {
        String rollout = !wait
                ? "not waited for (wait: false)"
                : workloads.isEmpty()
                        ? "no Deployment, StatefulSet or DaemonSet to wait for"
                        : "complete (" + String.join(", ", workloads) + ")";
        return new DeployResult(
                false,
                titles(Applier.Action.CREATED),
                titles(Applier.Action.CHANGED),
                titles(Applier.Action.UNCHANGED),
                rollout,
                warnings);
    }

    private List<String> titles(Applier.Action action) {
        return changes.stream()
                .filter(c -> c.action() == action)
                .map(Change::title)
                .toList();
    }

    /**
     * A copy fit to be saved where it outlives the deploy (a build's files): the previous content of a Secret this
     * deploy changed is left out, so a rollback from the copy says to restore that Secret by hand.
     */
    public RolloutState withoutSecrets() {
        List<Change> kept = new ArrayList<>();
        for (Change c : changes) {
            kept.add(
                    c.title().startsWith("Secret ")
                            ? new Change(
                                    c.title(),
                                    c.action(),
                                    c.before() == null ? null : SECRET_NOT_KEPT,
                                    withoutData(c.after()))
                            : c);
        }
        RolloutState copy = new RolloutState(
                server, context, kept, workloads, wait, rollback, timeoutSeconds, warnings, startMillis);
        copy.done.addAll(done);
        copy.lastMessage.putAll(lastMessage);
        copy.lastLoggedMillis = lastLoggedMillis;
        copy.last = last;
        return copy;
    }

    /** A Secret as JSON without its data: enough to find it again, nothing of what it holds. */
    static String withoutData(String json) {
        KubernetesSerialization serialization = new KubernetesSerialization();
        Map<?, ?> parsed = serialization.unmarshal(json, Map.class);
        Map<Object, Object> m = new LinkedHashMap<>(parsed);
        m.keySet().retainAll(Set.of("apiVersion", "kind", "metadata"));
        return serialization.asJson(m);
    }
}
