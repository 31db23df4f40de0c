package io.github.guli.engine.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.github.guli.engine.deploy.Applier.Action;
import io.github.guli.engine.deploy.Applier.Applied;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The objects a deploy is about to apply, as the cluster held them before its first change ({@link Deploy#prior}):
 * enough for another process (a Jenkins controller restarted while the deploy applied) to put back whatever changed
 * since, and only that ({@link Deploy#putBack}). A Secret's data is not kept: one that changed is named to be put back
 * by hand. The validated manifests are kept for the apply that follows, in this process only.
 */
public final class Prior implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String server;
    private final String context;
    /** Each object: before (null when absent: the deploy creates it) and as it is to be applied. */
    private final List<RolloutState.Change> objects;
    /** The manifests read and validated, for {@link Deploy#apply(DeployRequest, Prior)}; not saved. */
    transient Deploy.Plan plan;

    Prior(String server, String context, List<RolloutState.Change> objects) {
        this.server = server;
        this.context = context;
        this.objects = List.copyOf(objects);
    }

    /** The API server's address, for messages. */
    public String server() {
        return server;
    }

    String context() {
        return context;
    }

    /** "Kind namespace/name" of each object the deploy applies. */
    public List<String> titles() {
        return objects.stream().map(RolloutState.Change::title).toList();
    }

    /** What differs now from before: an object that was absent and exists, an object that changed or is gone. */
    List<Applied> changedSince(KubeApi api) {
        List<Applied> changed = new ArrayList<>();
        for (RolloutState.Change c : objects) {
            HasMetadata desired = api.object(c.after());
            HasMetadata now =
                    api.call("read " + c.title(), () -> api.resource(desired).get());
            if (c.before() == null) {
                if (now != null) {
                    changed.add(new Applied(c.title(), Action.CREATED, null, now));
                }
                continue;
            }
            HasMetadata before = api.object(c.before());
            if (now != null && same(api, before, now)) {
                continue;
            }
            boolean kept = !c.title().startsWith("Secret ");
            changed.add(new Applied(c.title(), Action.CHANGED, kept ? before : null, now == null ? before : now));
        }
        return changed;
    }

    /**
     * Whether {@code now} is still {@code before}: the same resourceVersion, or the same content apart from the
     * status and the metadata a server writes (a controller's status update changes the resourceVersion).
     */
    private static boolean same(KubeApi api, HasMetadata before, HasMetadata now) {
        if (Objects.equals(
                before.getMetadata().getResourceVersion(), now.getMetadata().getResourceVersion())) {
            return true;
        }
        if ("Secret".equals(before.getKind())) {
            return false; // its data is not kept: only the resourceVersion tells
        }
        return content(api, before).equals(content(api, now));
    }

    private static Map<Object, Object> content(KubeApi api, HasMetadata o) {
        Map<?, ?> all = api.serialization().convertValue(o, Map.class);
        Map<Object, Object> m = new LinkedHashMap<>(all);
        m.remove("status");
        m.put(
                "metadata",
                List.of(
                        Objects.requireNonNullElse(o.getMetadata().getLabels(), Map.of()),
                        Objects.requireNonNullElse(o.getMetadata().getAnnotations(), Map.of())));
        return m;
    }
}
