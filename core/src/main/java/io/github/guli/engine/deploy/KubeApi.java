package io.github.guli.engine.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.github.guli.engine.GuliException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The deploy's requests to the API server. Each failure becomes a {@link GuliException} that says what to fix (a
 * {@link ConflictException} when the object changed since it was read), or says the deploy was interrupted.
 */
final class KubeApi {
    private final KubernetesClient client;
    private final KubernetesSerialization serialization;
    private final String server;

    KubeApi(KubernetesClient client) {
        this.client = client;
        this.serialization = client.getKubernetesSerialization();
        this.server = String.valueOf(client.getConfiguration().getMasterUrl());
    }

    /** The API server's address, for messages. */
    String server() {
        return server;
    }

    /** The namespace of the kubeconfig's context; null when it names none. */
    String contextNamespace() {
        return client.getNamespace();
    }

    KubernetesSerialization serialization() {
        return serialization;
    }

    /** An object saved as JSON (in a {@link RolloutState}), typed again. */
    HasMetadata object(String json) {
        return (HasMetadata) serialization.unmarshal(json, KubernetesResource.class);
    }

    static boolean namespaced(HasMetadata o) {
        return o instanceof Namespaced || o instanceof GenericKubernetesResource;
    }

    Resource<HasMetadata> resource(HasMetadata o) {
        return namespaced(o) ? client.resource(o).inNamespace(o.getMetadata().getNamespace()) : client.resource(o);
    }

    /** Sends one request; {@code action} says what it does, for the message when it fails. */
    <T> T call(String action, Supplier<T> request) {
        try {
            return request.get();
        } catch (KubernetesClientException e) {
            if (Thread.currentThread().isInterrupted() || e.getCause() instanceof InterruptedException) {
                throw new GuliException("the deploy was interrupted (aborted) during: " + action, e);
            }
            throw KubeConnection.explain(e, action, server);
        }
    }

    /**
     * Replaces {@code live} with {@code body} (changed in place to fit): on the live resourceVersion, so a change made
     * meanwhile is a {@link ConflictException}, not lost; with the live status (an API server ignores it on this
     * request; sending it keeps servers that do not, like the tests' mock, from clearing it).
     */
    HasMetadata replace(String action, HasMetadata body, HasMetadata live) {
        body.getMetadata().setResourceVersion(live.getMetadata().getResourceVersion());
        copyStatus(live, body);
        return call(action, () -> resource(body).update());
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

    /** The pods in {@code namespace} with all of {@code labels}. */
    List<Pod> pods(String namespace, Map<String, String> labels) {
        return call(
                "list the pods in " + namespace,
                () -> client.pods()
                        .inNamespace(namespace)
                        .withLabels(labels)
                        .list()
                        .getItems());
    }
}
