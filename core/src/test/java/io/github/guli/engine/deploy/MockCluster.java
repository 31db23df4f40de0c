package io.github.guli.engine.deploy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;

/**
 * Not a test: a stand-in cluster for trying guliDeployK8s in a real Jenkins by hand (test/real-jenkins/try-deploy).
 * fabric8's mock API server in CRUD mode on loopback, with {@link FakeController} rolling out Deployments in the
 * namespace given; an image tagged {@code broken} never starts, so its rollout passes its deadline.
 * Writes a kubeconfig for it and serves until killed.
 *
 * <pre>java -cp ... io.github.guli.engine.deploy.MockCluster PORT NAMESPACE KUBECONFIG_OUT</pre>
 */
public final class MockCluster {
    private static final java.util.logging.Logger MOCK_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private MockCluster() {}

    public static void main(String[] args) throws Exception {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        int port = Integer.parseInt(args[0]);
        String namespace = args[1];
        KubernetesMockServer server = new KubernetesMockServer(
                new Context(Serialization.jsonMapper()),
                new MockWebServer(),
                new HashMap<>(),
                new KubernetesCrudDispatcher(),
                false);
        server.init(InetAddress.getLoopbackAddress(), port);
        KubernetesClient client = server.createClient();
        FakeController controller =
                new FakeController(client, namespace, FakeController.Mode.ROLL_OUT, image -> image.endsWith(":broken"));
        Files.writeString(Path.of(args[2]), """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: mock
                    cluster: {server: "http://127.0.0.1:%d"}
                users:
                  - name: jenkins
                    user: {token: mock-cluster-token}
                contexts:
                  - name: mock
                    context: {cluster: mock, user: jenkins, namespace: %s}
                current-context: mock
                """.formatted(port, namespace));
        System.out.println("mock cluster on http://127.0.0.1:" + port + ", namespace " + namespace + ": ready");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                controller.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server.destroy();
        }));
        Thread.currentThread().join();
    }
}
