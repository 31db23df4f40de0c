package io.github.guli.engine.environment;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.deploy.ImagePin;
import io.github.guli.engine.deploy.KubeConnection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Reads, and only reads, what runs of a service in one environment: its Deployment, whether its rollout finished
 * healthy, the digest its pods run, and the releases its ReplicaSets kept.
 */
final class ClusterReader implements AutoCloseable {
    static final String VERSION = "guli.io/version";
    static final String DIGEST = "guli.io/digest";
    static final String PROMOTED_FROM = "guli.io/promoted-from";
    static final String REPLACED = "guli.io/replaced";
    private static final String REVISION = "deployment.kubernetes.io/revision";

    /** One ReplicaSet of the service's Deployment: a revision that ran there. */
    record Ran(int revision, String image, String version, String digest) {}

    private final Environment environment;
    private final KubernetesClient client;
    private final String namespace;
    private final String server;

    ClusterReader(Environment environment, Log log) {
        this.environment = environment;
        this.client = KubeConnection.connect(environment.kubeconfig(), null, log);
        this.namespace = environment.namespace() != null
                ? environment.namespace()
                : Objects.requireNonNullElse(client.getNamespace(), "default");
        this.server = String.valueOf(client.getConfiguration().getMasterUrl());
    }

    /** What runs of {@code service} here, or null when it has no Deployment here; fails when its digest is unclear. */
    Running running(String service) {
        return running(service, true);
    }

    /** What a deploy here replaces: as {@link #running(String)}, with no digest when the pods do not tell it. */
    Running before(String service) {
        return running(service, false);
    }

    private Running running(String service, boolean strict) {
        Deployment d = call(
                "read Deployment " + namespace + "/" + service,
                () -> client.apps()
                        .deployments()
                        .inNamespace(namespace)
                        .withName(service)
                        .get());
        if (d == null) {
            return null;
        }
        Container c = container(d.getSpec().getTemplate().getSpec().getContainers(), service);
        String image = c.getImage();
        Map<String, String> notes =
                annotations(d.getSpec().getTemplate().getMetadata().getAnnotations());
        String version = notes.getOrDefault(VERSION, tagOf(image));
        String unhealthy = unhealthy(d);
        String digest = null;
        if (image.contains("@")) {
            digest = digestOf(image);
        } else if (unhealthy == null) {
            try {
                digest = podsDigest(d, c.getName());
            } catch (GuliException e) {
                if (strict) {
                    throw e;
                }
            }
        }
        return new Running(environment.name(), image, digest, version, unhealthy);
    }

    /** The revisions the service's ReplicaSets kept here, oldest first. */
    List<Ran> history(String service) {
        return replicaSets(service).stream()
                .map(rs -> {
                    Map<String, String> notes =
                            annotations(rs.getSpec().getTemplate().getMetadata().getAnnotations());
                    String image = container(
                                    rs.getSpec().getTemplate().getSpec().getContainers(), service)
                            .getImage();
                    String digest = image.contains("@") ? digestOf(image) : notes.get(DIGEST);
                    return new Ran(revision(rs), image, notes.getOrDefault(VERSION, tagOf(image)), digest);
                })
                .toList();
    }

    /** Why the rollout is not finished healthy, or null when it is. */
    private static String unhealthy(Deployment d) {
        DeploymentStatus s = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
        long generation = Objects.requireNonNullElse(d.getMetadata().getGeneration(), 0L);
        int desired = Objects.requireNonNullElse(d.getSpec().getReplicas(), 1);
        for (DeploymentCondition c : s.getConditions() == null ? List.<DeploymentCondition>of() : s.getConditions()) {
            if ("Progressing".equals(c.getType()) && "False".equals(c.getStatus())) {
                return "its rollout failed (" + c.getReason() + ")";
            }
        }
        if (Objects.requireNonNullElse(s.getObservedGeneration(), 0L) < generation) {
            return "its latest change (generation " + generation + ") is not rolled out yet";
        }
        int updated = Objects.requireNonNullElse(s.getUpdatedReplicas(), 0);
        int available = Objects.requireNonNullElse(s.getAvailableReplicas(), 0);
        if (updated != desired || available != desired) {
            return updated + " of " + desired + " replicas updated, " + available + " available";
        }
        return null;
    }

    /** The digest the current ReplicaSet's pods report, which all must agree on. */
    private String podsDigest(Deployment d, String container) {
        String where = d.getMetadata().getName() + " in " + environment;
        ReplicaSet current = replicaSets(d.getMetadata().getName()).stream()
                .reduce((a, b) -> b)
                .orElseThrow(() -> new GuliException("cannot tell which digest " + where + " runs: its Deployment "
                        + "has no ReplicaSet; pin the image by digest there, or deploy it again"));
        String hash = annotations(current.getMetadata().getLabels()).get("pod-template-hash");
        List<Pod> pods = call(
                "list the pods of " + current.getMetadata().getName(),
                () -> client.pods()
                        .inNamespace(namespace)
                        .withLabel("pod-template-hash", hash)
                        .list()
                        .getItems());
        Set<String> digests = new TreeSet<>();
        for (Pod p : pods) {
            for (ContainerStatus s : p.getStatus() == null || p.getStatus().getContainerStatuses() == null
                    ? List.<ContainerStatus>of()
                    : p.getStatus().getContainerStatuses()) {
                if (container.equals(s.getName())) {
                    String id = s.getImageID() == null ? "" : s.getImageID();
                    digests.add(id.contains("@") ? digestOf(id) : "(no digest: '" + id + "')");
                }
            }
        }
        if (digests.size() != 1 || !digests.iterator().next().startsWith("sha256:")) {
            throw new GuliException("cannot tell which digest " + where + " runs: the pods of its current ReplicaSet "
                    + current.getMetadata().getName() + " report " + (digests.isEmpty() ? "no image ID" : digests)
                    + "; wait until they all run one image, then promote");
        }
        return digests.iterator().next();
    }

    private List<ReplicaSet> replicaSets(String service) {
        return call(
                        "list the ReplicaSets in " + namespace,
                        () -> client.apps()
                                .replicaSets()
                                .inNamespace(namespace)
                                .list()
                                .getItems())
                .stream()
                .filter(rs -> rs.getMetadata().getOwnerReferences() != null
                        && rs.getMetadata().getOwnerReferences().stream()
                                .anyMatch(o -> "Deployment".equals(o.getKind()) && service.equals(o.getName())))
                .sorted(Comparator.comparingInt(ClusterReader::revision))
                .collect(Collectors.toList());
    }

    private static int revision(ReplicaSet rs) {
        try {
            return Integer.parseInt(
                    annotations(rs.getMetadata().getAnnotations()).getOrDefault(REVISION, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The service's container: the one named after it, else the first. */
    private static Container container(List<Container> containers, String service) {
        return containers.stream()
                .filter(c -> service.equals(c.getName()))
                .findFirst()
                .orElse(containers.get(0));
    }

    static String tagOf(String image) {
        if (image.contains("@")) {
            return null;
        }
        String repository = ImagePin.repositoryOf(image);
        return repository.length() == image.length() ? null : image.substring(repository.length() + 1);
    }

    private static String digestOf(String image) {
        return image.substring(image.indexOf('@') + 1);
    }

    private static Map<String, String> annotations(Map<String, String> m) {
        return m == null ? Map.of() : m;
    }

    private <T> T call(String action, Supplier<T> request) {
        try {
            return request.get();
        } catch (KubernetesClientException e) {
            throw KubeConnection.explain(e, action + " (" + environment + ")", server);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
