package io.github.guli.engine.provision;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.github.guli.engine.deploy.Deploy;
import io.github.guli.engine.deploy.DeployRequest;
import io.github.guli.engine.deploy.DeployResult;
import io.github.guli.engine.deploy.Kubeconfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The middleware manifests go through guliDeployK8s' own path: every file validated against the Kubernetes schema
 * (an error fails the deploy), then applied through the real fabric8 client to the mock API server in CRUD mode.
 */
@EnableKubernetesMockClient(crud = true)
class ProvisionDeployTest {
    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path workspace;

    final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @Test
    void everyGeneratedObjectPassesValidationAndIsAppliedThroughTheDeployPath() throws Exception {
        ProvisionResult result = ProvisionTest.generate(Map.of());
        Path dir = Files.createDirectories(workspace.resolve("middleware"));
        for (Map.Entry<String, String> f : result.files(false).entrySet()) {
            Files.writeString(dir.resolve(f.getKey()), f.getValue());
        }
        String kubeconfig = """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: %s, insecure-skip-tls-verify: true}}]
                users: [{name: ci, user: {token: not-checked-by-the-mock}}]
                contexts: [{name: mock, context: {cluster: mock, user: ci, namespace: gulimall}}]
                current-context: mock
                """.formatted(server.url("/"));
        // No controller runs here, so the StatefulSets' rollouts are not waited for: what is shown is that the
        // validator accepts every object and the applier creates each one.
        DeployRequest request = new DeployRequest()
                .workspace(workspace.toString())
                .configs("middleware/**")
                .substitute(false)
                .kubeconfig(new Kubeconfig("test", kubeconfig))
                .waitForRollout(false)
                .timeoutSeconds(60);
        DeployResult r = new Deploy(log::add, log::add).run(request);

        int objects = result.docs().size();
        assertThat(log)
                .anyMatch(l -> l.matches("checked " + objects + " objects in \\d+ files .*: 0 errors, \\d+ warnings?"));
        assertThat(r.created()).hasSize(objects);
        assertThat(client.apps().statefulSets().inAnyNamespace().list().getItems())
                .extracting(s -> s.getMetadata().getName())
                .contains("mysql-master", "mysql-slave");
        assertThat(client.batch().v1().jobs().inAnyNamespace().list().getItems())
                .hasSize(4);
        assertThat(String.join("\n", log)).doesNotContain(ProvisionTest.SECRETS.mysqlRootPassword());
    }
}
