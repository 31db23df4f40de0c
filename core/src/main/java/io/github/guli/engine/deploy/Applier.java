package io.github.guli.engine.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Applies objects by create-or-replace, in an order that lets each find what it uses (namespaces first, workloads
 * last). When one fails, what was applied before it is rolled back (when the deploy asked for it) by {@link Rollback};
 * the rollout is waited for by {@link RolloutWait}.
 */
final class Applier {
    enum Action {
        CREATED,
        CHANGED,
        UNCHANGED
    }

    /** One object as applied, with what it was before (null when this deploy created it). */
    record Applied(String title, Action action, HasMetadata before, HasMetadata after) {}

    private static final Set<String> SCALED = Set.of("Deployment", "StatefulSet", "ReplicaSet");

    private final KubeApi api;
    private final KubernetesSerialization serialization;
    private final Log log;

    Applier(KubeApi api, Log log) {
        this.api = api;
        this.serialization = api.serialization();
        this.log = log;
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
        String ns = namespace != null ? namespace : api.contextNamespace() != null ? api.contextNamespace() : "default";
        List<HasMetadata> objects = ordered(manifests, ns);
        log.info("applying " + objects.size() + " object" + (objects.size() == 1 ? "" : "s") + " to " + api.server()
                + " (namespace " + ns + " unless an object names its own)");
        List<Applied> applied = new ArrayList<>();
        for (HasMetadata o : objects) {
            try {
                applied.add(apply(o));
            } catch (GuliException e) {
                throw new Rollback(api, log).rollBack(e.getMessage(), applied, rollback);
            }
        }
        List<String> workloads = applied.stream()
                .map(Applied::after)
                .filter(Rollout::isWorkload)
                .map(Applier::title)
                .toList();
        RolloutState state = new RolloutState(
                api.server(),
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

    /** Reads what applying {@code manifests} would change, as the cluster holds it now; changes nothing. */
    Prior prior(List<ManifestObject> manifests, String namespace, String context) {
        List<RolloutState.Change> objects = new ArrayList<>();
        for (HasMetadata o : ordered(manifests, namespace)) {
            String title = title(o);
            HasMetadata live = api.call("read " + title, () -> api.resource(o).get());
            String before = live == null ? null : serialization.asJson(live);
            if (live != null && "Secret".equals(live.getKind())) {
                before = RolloutState.withoutData(before);
            }
            objects.add(new RolloutState.Change(
                    title, live == null ? Action.CREATED : Action.CHANGED, before, serialization.asJson(o)));
        }
        return new Prior(api.server(), context, objects);
    }

    private List<HasMetadata> ordered(List<ManifestObject> manifests, String namespace) {
        String ns = namespace != null ? namespace : api.contextNamespace() != null ? api.contextNamespace() : "default";
        List<HasMetadata> objects = new ArrayList<>();
        for (ManifestObject m : manifests) {
            objects.add(typed(m, ns));
        }
        objects.sort(Comparator.comparingInt(Applier::order)); // stable: file order within a rank
        return objects;
    }

    private RolloutState.Change change(Applied a) {
        return new RolloutState.Change(
                a.title(),
                a.action(),
                a.before() == null ? null : serialization.asJson(a.before()),
                serialization.asJson(a.after()));
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
        if (KubeApi.namespaced(o)
                && (o.getMetadata().getNamespace() == null
                        || o.getMetadata().getNamespace().isBlank())) {
            o.getMetadata().setNamespace(ns);
        }
        return o;
    }

    static String title(HasMetadata o) {
        String ns = o.getMetadata().getNamespace();
        return o.getKind() + " " + (ns == null ? "" : ns + "/")
                + o.getMetadata().getName();
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
        HasMetadata live = api.call("read " + title, () -> api.resource(desired).get());
        if (live == null) {
            HasMetadata created =
                    api.call("create " + title, () -> api.resource(desired).create());
            log.info("created " + title);
            return new Applied(title, Action.CREATED, null, created);
        }
        if (contains(serialization.convertValue(desired, Map.class), serialization.convertValue(live, Map.class))) {
            log.info("unchanged " + title);
            return new Applied(title, Action.UNCHANGED, live, live);
        }
        HasMetadata updated = api.replace("replace " + title, replacement(desired, live), live);
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
     * The desired object as a full replacement of the live one, keeping what the cluster set and the manifest leaves
     * out: the replica count an autoscaler manages, a Service's allocated cluster IPs and node ports, annotations of
     * other tools ({@link KubeApi#replace} adds the resourceVersion and the status).
     */
    private HasMetadata replacement(HasMetadata desired, HasMetadata live) {
        HasMetadata body = serialization.clone(desired);
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
}
