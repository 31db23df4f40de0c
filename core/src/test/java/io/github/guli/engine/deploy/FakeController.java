package io.github.guli.engine.deploy;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Plays the Kubernetes deployment controller against the mock API server (which stores objects but runs no
 * controller): it watches Deployments by polling and writes their status the way the real controller would, in
 * steps, so a deploy waiting for a rollout sees it progress, complete, or stall.
 */
public final class FakeController implements AutoCloseable {
    public enum Mode {
        /** each new generation rolls out in three steps: observed, updated, available */
        ROLL_OUT,
        /** a new generation is observed, its new pod never starts (ImagePullBackOff), then the deadline passes */
        STALL_PAST_DEADLINE,
        /** a new generation is observed and then nothing more happens (the deploy's own timeout must end it) */
        HANG
    }

    private final KubernetesClient client;
    private final String namespace;
    private final Thread thread;
    private volatile Mode mode;
    private final java.util.function.Predicate<String> stalls;
    private volatile boolean running = true;
    private volatile java.util.function.UnaryOperator<String> imageIds;
    final List<String> writes = new ArrayList<>();

    public FakeController(KubernetesClient client, String namespace, Mode mode) {
        this(client, namespace, mode, image -> false);
    }

    /** @param stalls which images never start: their Deployments stall past the deadline whatever the mode */
    public FakeController(
            KubernetesClient client, String namespace, Mode mode, java.util.function.Predicate<String> stalls) {
        this.client = client;
        this.namespace = namespace;
        this.mode = mode;
        this.stalls = stalls;
        thread = new Thread(this::loop, "fake-deployment-controller");
        thread.setDaemon(true);
        thread.start();
    }

    void mode(Mode m) {
        mode = m;
    }

    /**
     * Also plays the ReplicaSet controller and the kubelet: each new generation gets a ReplicaSet (the next
     * revision, the Deployment's pod template and annotations) and its pods, whose container statuses report
     * {@code imageIds.apply(image)} as the image ID, as a kubelet reports the digest it pulled.
     */
    public FakeController withReplicaSets(java.util.function.UnaryOperator<String> imageIds) {
        this.imageIds = imageIds;
        return this;
    }

    private void loop() {
        while (running) {
            try {
                for (Deployment d : client.apps()
                        .deployments()
                        .inNamespace(namespace)
                        .list()
                        .getItems()) {
                    step(d);
                }
                Thread.sleep(150); // slower than the deploy's polling, so it sees each step
            } catch (KubernetesClientException e) {
                // a conflict with the deploy's own write: try again on the next round, as a controller does
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void step(Deployment d) {
        long generation = d.getMetadata().getGeneration();
        int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        DeploymentStatus st = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
        boolean observed = Objects.equals(st.getObservedGeneration(), generation);
        Mode mode = stalls.test(d.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                ? Mode.STALL_PAST_DEADLINE
                : this.mode;
        DeploymentStatus next;
        if (!observed && imageIds != null) {
            ReplicaSets.create(client, d, desired, imageIds);
        }
        if (!observed) {
            // a new template: the controller sees it, a new ReplicaSet starts with 0 updated replicas
            next = new DeploymentStatusBuilder(st)
                    .withObservedGeneration(generation)
                    .withUpdatedReplicas(0)
                    .withReplicas(Math.max(desired, n(st.getAvailableReplicas())))
                    .withConditions(new DeploymentConditionBuilder()
                            .withType("Progressing")
                            .withStatus("True")
                            .withReason("NewReplicaSetCreated")
                            .build())
                    .build();
        } else if (mode == Mode.ROLL_OUT && n(st.getUpdatedReplicas()) < desired) {
            next = new DeploymentStatusBuilder(st)
                    .withUpdatedReplicas(desired)
                    .withReplicas(desired + n(st.getAvailableReplicas()))
                    .build();
        } else if (mode == Mode.ROLL_OUT && (n(st.getAvailableReplicas()) < desired || n(st.getReplicas()) > desired)) {
            next = new DeploymentStatusBuilder(st)
                    .withReplicas(desired)
                    .withReadyReplicas(desired)
                    .withAvailableReplicas(desired)
                    .withConditions(new DeploymentConditionBuilder()
                            .withType("Progressing")
                            .withStatus("True")
                            .withReason("NewReplicaSetAvailable")
                            .build())
                    .build();
        } else if (mode == Mode.STALL_PAST_DEADLINE && !stalled(st)) {
            pullingPod(d);
            next = new DeploymentStatusBuilder(st)
                    .withUpdatedReplicas(1)
                    .withConditions(new DeploymentConditionBuilder()
                            .withType("Progressing")
                            .withStatus("False")
                            .withReason("ProgressDeadlineExceeded")
                            .withMessage(
                                    "ReplicaSet \"" + d.getMetadata().getName() + "-5d8f\" has timed out progressing.")
                            .build())
                    .build();
        } else {
            return;
        }
        d.setStatus(next);
        client.apps().deployments().inNamespace(namespace).resource(d).updateStatus();
        synchronized (writes) {
            writes.add(d.getMetadata().getName() + " gen " + generation + ": updated " + next.getUpdatedReplicas()
                    + " available " + next.getAvailableReplicas());
        }
    }

    private static boolean stalled(DeploymentStatus st) {
        return st.getConditions() != null
                && st.getConditions().stream().anyMatch(c -> "ProgressDeadlineExceeded".equals(c.getReason()));
    }

    /** The new ReplicaSet's pod, stuck pulling an image that does not exist. */
    private void pullingPod(Deployment d) {
        Map<String, String> labels = d.getSpec().getSelector().getMatchLabels();
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName(d.getMetadata().getName() + "-5d8f-x2x7q")
                .withNamespace(namespace)
                .withLabels(labels)
                .endMetadata()
                .withNewStatus()
                .withPhase("Pending")
                .withContainerStatuses(new ContainerStatusBuilder()
                        .withName(d.getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .get(0)
                                .getName())
                        .withNewState()
                        .withNewWaiting()
                        .withReason("ImagePullBackOff")
                        .withMessage("Back-off pulling image \""
                                + d.getSpec()
                                        .getTemplate()
                                        .getSpec()
                                        .getContainers()
                                        .get(0)
                                        .getImage() + "\"")
                        .endWaiting()
                        .endState()
                        .build())
                .endStatus()
                .build();
        client.pods().inNamespace(namespace).resource(pod).createOr(p -> p.update());
    }

    private static int n(Integer i) {
        return i == null ? 0 : i;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5000);
    }
}
