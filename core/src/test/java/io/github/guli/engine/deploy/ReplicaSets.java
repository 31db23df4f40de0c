package io.github.guli.engine.deploy;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/** What the ReplicaSet controller and the kubelet make of a Deployment's new pod template, for {@link FakeController}. */
final class ReplicaSets {
    private ReplicaSets() {}

    static void create(KubernetesClient client, Deployment d, int replicas, UnaryOperator<String> imageIds) {
        String ns = d.getMetadata().getNamespace();
        int revision = client.apps().replicaSets().inNamespace(ns).list().getItems().stream()
                        .filter(rs -> owned(rs, d))
                        .mapToInt(rs -> Integer.parseInt(rs.getMetadata()
                                .getAnnotations()
                                .getOrDefault("deployment.kubernetes.io/revision", "0")))
                        .max()
                        .orElse(0)
                + 1;
        String hash = Integer.toHexString((d.getSpec().getTemplate().toString() + revision).hashCode() & 0xfffffff);
        Map<String, String> labels = new HashMap<>(d.getSpec().getSelector().getMatchLabels());
        labels.put("pod-template-hash", hash);
        Map<String, String> annotations = new HashMap<>(
                d.getMetadata().getAnnotations() == null
                        ? Map.of()
                        : d.getMetadata().getAnnotations());
        annotations.put("deployment.kubernetes.io/revision", String.valueOf(revision));
        String name = d.getMetadata().getName() + "-" + hash;
        ReplicaSet rs = new ReplicaSetBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .withLabels(labels)
                .withAnnotations(annotations)
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion("apps/v1")
                        .withKind("Deployment")
                        .withName(d.getMetadata().getName())
                        .withUid(d.getMetadata().getUid())
                        .withController(true)
                        .build())
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector()
                .withMatchLabels(labels)
                .endSelector()
                .withTemplate(d.getSpec().getTemplate())
                .endSpec()
                .build();
        rs.getSpec().getTemplate().getMetadata().setLabels(labels);
        client.apps().replicaSets().inNamespace(ns).resource(rs).create();
        for (int i = 0; i < replicas; i++) {
            PodBuilder pod = new PodBuilder()
                    .withNewMetadata()
                    .withName(name + "-p" + i)
                    .withNamespace(ns)
                    .withLabels(labels)
                    .endMetadata()
                    .withNewStatus()
                    .withPhase("Running")
                    .endStatus();
            for (var c : d.getSpec().getTemplate().getSpec().getContainers()) {
                pod.editStatus()
                        .addToContainerStatuses(new ContainerStatusBuilder()
                                .withName(c.getName())
                                .withImage(c.getImage())
                                .withImageID(imageIds.apply(c.getImage()))
                                .withReady(true)
                                .build())
                        .endStatus();
            }
            client.pods().inNamespace(ns).resource(pod.build()).create();
        }
    }

    private static boolean owned(ReplicaSet rs, Deployment d) {
        return rs.getMetadata().getOwnerReferences() != null
                && rs.getMetadata().getOwnerReferences().stream()
                        .anyMatch(o -> "Deployment".equals(o.getKind())
                                && d.getMetadata().getName().equals(o.getName()));
    }
}
