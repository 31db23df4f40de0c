package io.github.guli.engine.deploy;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Applies objects by create-or-replace, waits for the workloads' rollouts, and on failure puts back what this deploy
 * changed: objects it created are deleted, objects it replaced get the exact state read before (for a Deployment
 * that is its previous pod template, what {@code kubectl rollout undo} restores).
 */
final class Applier {
    enum Action {
        CREATED,
        CHANGED,
        UNCHANGED
    }

    /** One object as applied, with what it was before (null when this deploy created it). */
    record Applied(String title, Action action, HasMetadata before, HasMetadata after) {}

    static final String INTERRUPTED = "the deploy was interrupted (aborted) while waiting for the rollout";
    /** What a saved state holds instead of the previous content of a Secret (secrets are not saved). */
    static final String SECRET_NOT_KEPT = "previous content not kept";

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);
    /** How long a rollback may take in all, also after an abort (each request has its own, shorter, timeout). */
    static final Duration ROLLBACK_TIME = Duration.ofMinutes(2);

    private static final Set<String> SCALED = Set.of("Deployment", "StatefulSet", "ReplicaSet");

    private final KubernetesClient client;
    private final KubernetesSerialization serialization;
    private final Log log;
    private final Duration poll;
    private final String server;

    Applier(KubernetesClient client, Log log, Duration poll) {
        this.client = client;
        this.serialization = client.getKubernetesSerialization();
        this.log = log;
        this.poll = poll;
        this.server = String.valueOf(client.getConfiguration().getMasterUrl());
    }

    /** Applies, waits for the rollout when asked, and rolls back (when asked) if either fails. */
    DeployResult deploy(
            List<ManifestObject> manifests,
            String namespace,
            String context,
            boolean wait,
            Duration timeout,
            boolean rollback,
            int warnings) {
        RolloutState state = apply(manifests, namespace, context, wait, timeout, rollback, warnings);
        String failure;
        try {
            failure = waitFor(state);
        } catch (GuliException e) { // a read failed, or was cut by an abort: what was applied goes back all the same
            failure = Thread.currentThread().isInterrupted() ? INTERRUPTED : e.getMessage();
        }
        if (failure != null) {
            throw rollBack(state, failure);
        }
        return state.result();
    }

    /** Applies every object; when one fails, rolls back (when asked) what was applied before it. */
    RolloutState apply(
            List<ManifestObject> manifests,
            String namespace,
            String context,
            boolean wait,
            Duration timeout,
            boolean rollback,
            int warnings) {
        String ns = namespace != null ? namespace : client.getNamespace() != null ? client.getNamespace() : "default";
        List<HasMetadata> objects = new ArrayList<>();
        for (ManifestObject m : manifests) {
            objects.add(typed(m, ns));
        }
        objects.sort(Comparator.comparingInt(Applier::order)); // stable: file order within a rank
        log.info("applying " + objects.size() + " object" + (objects.size() == 1 ? "" : "s") + " to " + server
                + " (namespace " + ns + " unless an object names its own)");
        List<Applied> applied = new ArrayList<>();
        for (HasMetadata o : objects) {
            try {
                applied.add(apply(o));
            } catch (GuliException e) {
                throw fail(e.getMessage(), applied, rollback);
            }
        }
        List<String> workloads = applied.stream()
                .map(Applied::after)
                .filter(Rollout::isWorkload)
                .map(Applier::title)
                .toList();
        RolloutState state = new RolloutState(
                server,
                context,
                applied.stream().map(this::change).toList(),
                workloads,
                wait,
                rollback,
                (int) timeout.toSeconds(),
                warnings,
                System.currentTimeMillis());
        if (!state.workloads().isEmpty()) {
            log.info("waiting up to " + timeout.toSeconds() + "s for the rollout of " + String.join(", ", workloads));
        }
        return state;
    }

    private RolloutState.Change change(Applied a) {
        return new RolloutState.Change(
                a.title(),
                a.action(),
                a.before() == null ? null : serialization.asJson(a.before()),
                serialization.asJson(a.after()));
    }

    private Applied applied(RolloutState.Change c) {
        HasMetadata before = c.before() == null || SECRET_NOT_KEPT.equals(c.before()) ? null : object(c.before());
        return new Applied(c.title(), c.action(), before, object(c.after()));
    }

    private HasMetadata object(String json) {
        return (HasMetadata) serialization.unmarshal(json, KubernetesResource.class);
    }

    /** A Secret as JSON without its data: enough to find it again, nothing of what it holds. */
    static String withoutData(String json) {
        KubernetesSerialization serialization = new KubernetesSerialization();
        Map<?, ?> parsed = serialization.unmarshal(json, Map.class);
        Map<Object, Object> m = new LinkedHashMap<>(parsed);
        m.keySet().retainAll(Set.of("apiVersion", "kind", "metadata"));
        return serialization.asJson(m);
    }
    /** Namespaces first, then what pods use (config, storage, accounts), then Services, then workloads. */
    private static int order(HasMetadata o) {
        return switch (o.getKind()) {
            case "Namespace" -> 0;
            case "CustomResourceDefinition" -> 1;
            case "ServiceAccount",
                    "Secret",
                    "ConfigMap",
                    "PersistentVolume",
                    "PersistentVolumeClaim",
                    "StorageClass",
                    "Role",
                    "ClusterRole",
                    "RoleBinding",
                    "ClusterRoleBinding",
                    "LimitRange",
                    "ResourceQuota" -> 2;
            case "Service" -> 3;
            case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod" -> 4;
            default -> 5;
        };
    }

    private HasMetadata typed(ManifestObject m, String ns) {
        HasMetadata o = (HasMetadata) serialization.convertValue(m.value(), KubernetesResource.class);
        if (namespaced(o)
                && (o.getMetadata().getNamespace() == null
                        || o.getMetadata().getNamespace().isBlank())) {
            o.getMetadata().setNamespace(ns);
        }
        return o;
    }

    private static boolean namespaced(HasMetadata o) {
        return o instanceof Namespaced || o instanceof GenericKubernetesResource;
    }

    static String title(HasMetadata o) {
        String ns = o.getMetadata().getNamespace();
        return o.getKind() + " " + (ns == null ? "" : ns + "/")
                + o.getMetadata().getName();
    }

    private Resource<HasMetadata> resource(HasMetadata o) {
        return namespaced(o) ? client.resource(o).inNamespace(o.getMetadata().getNamespace()) : client.resource(o);
    }

    private <T> T call(String action, java.util.function.Supplier<T> request) {
        try {
            return request.get();
        } catch (KubernetesClientException e) {
            if (Thread.currentThread().isInterrupted() || e.getCause() instanceof InterruptedException) {
                throw new GuliException("the deploy was interrupted (aborted) during: " + action, e);
            }
            throw KubeConnection.explain(e, action, server);
        }
    }

    private Applied apply(HasMetadata desired) {
        for (int attempt = 1; ; attempt++) {
            try {
                return applyOnce(desired);
            } catch (ConflictException e) {
                if (attempt == 3) {
                    throw e;
                }
                // a controller wrote the object (its status) between our read and our write: read it again
            }
        }
    }

    private Applied applyOnce(HasMetadata desired) {
        String title = title(desired);
        HasMetadata live = call("read " + title, () -> resource(desired).get());
        if (live == null) {
            HasMetadata created =
                    call("create " + title, () -> resource(desired).create());
            log.info("created " + title);
            return new Applied(title, Action.CREATED, null, created);
        }
        if (contains(serialization.convertValue(desired, Map.class), serialization.convertValue(live, Map.class))) {
            log.info("unchanged " + title);
            return new Applied(title, Action.UNCHANGED, live, live);
        }
        HasMetadata body = replacement(desired, live);
        HasMetadata updated = call("replace " + title, () -> resource(body).update());
        boolean changed = !Objects.equals(
                updated.getMetadata().getResourceVersion(), live.getMetadata().getResourceVersion());
        log.info((changed ? "changed " : "unchanged ")
                + title
                + (changed && updated.getMetadata().getGeneration() != null
                        ? " (generation " + updated.getMetadata().getGeneration() + ")"
                        : ""));
        return new Applied(title, changed ? Action.CHANGED : Action.UNCHANGED, live, updated);
    }

    /**
     * The desired object as a full replacement of the live one: on the live resourceVersion (so a concurrent change
     * is a conflict, not lost), keeping what the cluster set and the manifest leaves out: the replica count an
     * autoscaler manages, a Service's allocated cluster IPs and node ports, annotations of other tools, and the
     * status (an API server ignores it on this request; sending it keeps servers that do not, like the test's mock,
     * from clearing it).
     */
    private HasMetadata replacement(HasMetadata desired, HasMetadata live) {
        HasMetadata body = serialization.clone(desired);
        body.getMetadata().setResourceVersion(live.getMetadata().getResourceVersion());
        Map<String, String> annotations = new LinkedHashMap<>(
                live.getMetadata().getAnnotations() == null
                        ? Map.of()
                        : live.getMetadata().getAnnotations());
        if (body.getMetadata().getAnnotations() != null) {
            annotations.putAll(body.getMetadata().getAnnotations());
        }
        body.getMetadata().setAnnotations(annotations.isEmpty() ? null : annotations);
        if (SCALED.contains(body.getKind())) {
            Map<?, ?> d = serialization.convertValue(desired, Map.class);
            if (d.get("spec") instanceof Map<?, ?> spec && !spec.containsKey("replicas")) {
                keepReplicas(body, live);
            }
        }
        if (body instanceof Service s && live instanceof Service l && s.getSpec() != null && l.getSpec() != null) {
            if (s.getSpec().getClusterIP() == null) {
                s.getSpec().setClusterIP(l.getSpec().getClusterIP());
                s.getSpec().setClusterIPs(l.getSpec().getClusterIPs());
            }
            for (ServicePort p : s.getSpec().getPorts() == null
                    ? List.<ServicePort>of()
                    : s.getSpec().getPorts()) {
                if (p.getNodePort() == null && l.getSpec().getPorts() != null) {
                    l.getSpec().getPorts().stream()
                            .filter(q -> Objects.equals(q.getPort(), p.getPort())
                                    && Objects.equals(q.getProtocol(), p.getProtocol()))
                            .findFirst()
                            .ifPresent(q -> p.setNodePort(q.getNodePort()));
                }
            }
        }
        copyStatus(live, body);
        return body;
    }

    private static void keepReplicas(HasMetadata body, HasMetadata live) {
        if (body instanceof Deployment b && live instanceof Deployment l) {
            b.getSpec().setReplicas(l.getSpec().getReplicas());
        } else if (body instanceof StatefulSet b && live instanceof StatefulSet l) {
            b.getSpec().setReplicas(l.getSpec().getReplicas());
        } else if (body instanceof ReplicaSet b && live instanceof ReplicaSet l) {
            b.getSpec().setReplicas(l.getSpec().getReplicas());
        }
    }

    private static void copyStatus(HasMetadata from, HasMetadata to) {
        if (from instanceof Deployment f && to instanceof Deployment t) {
            t.setStatus(f.getStatus());
        } else if (from instanceof StatefulSet f && to instanceof StatefulSet t) {
            t.setStatus(f.getStatus());
        } else if (from instanceof DaemonSet f && to instanceof DaemonSet t) {
            t.setStatus(f.getStatus());
        } else if (from instanceof Service f && to instanceof Service t) {
            t.setStatus(f.getStatus());
        } else if (from instanceof GenericKubernetesResource f && to instanceof GenericKubernetesResource t) {
            t.setAdditionalProperty("status", f.getAdditionalProperties().get("status"));
        }
    }

    /** Whether every field the manifest sets has that value in the live object (the cluster adds defaults). */
    static boolean contains(Object desired, Object live) {
        if (desired instanceof Map<?, ?> d) {
            if (!(live instanceof Map<?, ?> l)) {
                return false;
            }
            for (Map.Entry<?, ?> e : d.entrySet()) {
                if (!"status".equals(e.getKey()) && !contains(e.getValue(), l.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (desired instanceof List<?> d) {
            if (!(live instanceof List<?> l) || l.size() != d.size()) {
                return false;
            }
            for (int i = 0; i < d.size(); i++) {
                if (!contains(d.get(i), l.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return desired == null
                || Objects.equals(desired, live)
                || desired instanceof Number a && live instanceof Number b && a.doubleValue() == b.doubleValue();
    }

    /** Looks until every workload rolled out; returns null then, else why not. */
    private String waitFor(RolloutState state) {
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
    }

    /**
     * One look at every workload not yet rolled out: complete when all are, failed (with why, and what the pods
     * say) when one failed or the deadline passed, else progressing. Logs a workload's status when it changes, and
     * every {@link #PROGRESS_EVERY} in any case.
     */
    Rollout.Status poll(RolloutState state) {
        long now = System.currentTimeMillis();
        boolean all = true;
        for (String title : state.workloads()) {
            if (state.done.contains(title)) {
                continue;
            }
            HasMetadata w = workload(state, title);
            HasMetadata current = call("read " + title, () -> resource(w).get());
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
                    HasMetadata w = workload(state, title);
                    HasMetadata current =
                            call("read " + title, () -> resource(w).get());
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

    private HasMetadata workload(RolloutState state, String title) {
        return state.changes.stream()
                .filter(c -> c.title().equals(title))
                .findFirst()
                .map(c -> object(c.after()))
                .orElseThrow();
    }

    /** Rolls back (when the deploy asked for it) what the state says was applied; the exception to fail with. */
    GuliException rollBack(RolloutState state, String reason) {
        return fail(reason, state.changes.stream().map(this::applied).toList(), state.rollback);
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
            pods = client.pods()
                    .inNamespace(workload.getMetadata().getNamespace())
                    .withLabels(selector.getMatchLabels())
                    .list()
                    .getItems();
        } catch (KubernetesClientException e) {
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

    /** Rolls back (when asked) what was applied so far, and the exception to fail with, saying both. */
    private GuliException fail(String reason, List<Applied> applied, boolean rollback) {
        List<Applied> touched =
                applied.stream().filter(a -> a.action() != Action.UNCHANGED).toList();
        if (touched.isEmpty()) {
            return new GuliException(reason + " (this deploy changed nothing in the cluster)");
        }
        if (!rollback) {
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
        long deadline = System.nanoTime() + ROLLBACK_TIME.toNanos();
        List<String> done = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        try {
            for (int i = touched.size() - 1; i >= 0; i--) {
                Applied a = touched.get(i);
                interrupted |= Thread.interrupted(); // a second abort does not stop the rollback either
                if (System.nanoTime() >= deadline) {
                    log.info("rollback of " + a.title() + " not tried: the rollback took longer than "
                            + ROLLBACK_TIME.toSeconds() + "s");
                    failed.add(a.title() + " (not tried: the rollback's " + ROLLBACK_TIME.toSeconds() + "s were over)");
                    continue;
                }
                try {
                    done.add(rollBack(a));
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
    private String rollBack(Applied a) {
        if (a.action() == Action.CHANGED && a.before() == null) {
            throw new GuliException("its previous content is not saved with the build (a Secret's data never is): "
                    + "put it back by hand");
        }
        if (a.action() == Action.CREATED) {
            call("delete " + a.title(), () -> resource(a.after()).delete());
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
                call("read " + a.title(), () -> resource(a.before()).get());
        HasMetadata body = serialization.clone(a.before());
        body.getMetadata().setManagedFields(null);
        if (current == null) {
            body.getMetadata().setResourceVersion(null);
            body.getMetadata().setUid(null);
            call("re-create " + a.title(), () -> resource(body).create());
            return;
        }
        body.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
        copyStatus(current, body);
        call("restore " + a.title(), () -> resource(body).update());
    }
}
