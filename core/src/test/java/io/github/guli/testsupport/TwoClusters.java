package io.github.guli.testsupport;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.github.guli.engine.deploy.FakeController;
import io.github.guli.engine.deploy.Kubeconfig;
import io.github.guli.engine.environment.Environment;
import io.github.guli.engine.environment.Environments;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Two clusters, each fabric8's mock API server in CRUD mode with a {@link FakeController} that also makes
 * ReplicaSets and pods: staging in one, prod in the other.
 */
public final class TwoClusters implements AutoCloseable {
    /** The mock server logs every request; kept here so the setting is not collected with its logger. */
    private static final java.util.logging.Logger MOCK_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    /** One cluster and the namespace its environment uses. */
    public static final class Cluster {
        public final KubernetesMockServer server;
        public final KubernetesClient client;
        public final String namespace;
        FakeController controller;

        Cluster(String namespace) {
            this.namespace = namespace;
            server = new KubernetesMockServer(
                    new Context(Serialization.jsonMapper()),
                    new MockWebServer(),
                    new HashMap<>(),
                    new KubernetesCrudDispatcher(),
                    false);
            server.init(InetAddress.getLoopbackAddress(), 0);
            client = server.createClient();
        }

        /** Its controller: rolls out, except the images {@code stalls} names, which never start. */
        public void controller(FakeController.Mode mode, Predicate<String> stalls, UnaryOperator<String> imageIds)
                throws InterruptedException {
            if (controller != null) {
                controller.close();
            }
            controller = new FakeController(client, namespace, mode, stalls).withReplicaSets(imageIds);
        }

        public Kubeconfig kubeconfig(String name) {
            return new Kubeconfig(
                    "credentials '" + name + "-kubeconfig'", """
                    apiVersion: v1
                    kind: Config
                    clusters:
                      - name: %s
                        cluster: {server: "%s"}
                    users:
                      - name: ci
                        user: {token: not-checked-by-the-mock}
                    contexts:
                      - name: %s
                        context: {cluster: %s, user: ci}
                    current-context: %s
                    """.formatted(name, server.url("/"), name, name, name));
        }

        public Deployment deployment(String name) {
            return client.apps()
                    .deployments()
                    .inNamespace(namespace)
                    .withName(name)
                    .get();
        }

        void close() throws InterruptedException {
            if (controller != null) {
                controller.close();
            }
            client.close();
            server.destroy();
        }
    }

    public final Cluster staging = new Cluster("gulimall-staging");
    public final Cluster prod = new Cluster("gulimall");
    private final List<Cluster> all = new ArrayList<>(List.of(staging, prod));

    /** staging in one cluster, prod in the other. */
    public Environments environments() {
        return Environments.of(List.of(
                new Environment("staging")
                        .namespace(staging.namespace)
                        .kubeconfig(staging.kubeconfig("staging"))
                        .approvalRequired(false),
                new Environment("prod")
                        .namespace(prod.namespace)
                        .kubeconfig(prod.kubeconfig("prod"))
                        .approvers(List.of("release-managers"))));
    }

    @Override
    public void close() throws InterruptedException {
        for (Cluster c : all) {
            c.close();
        }
    }
}
