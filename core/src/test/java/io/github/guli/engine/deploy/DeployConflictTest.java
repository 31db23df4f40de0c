package io.github.guli.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.github.guli.engine.GuliException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write refused with 409 Conflict (a controller wrote the object between the deploy's read and its write) is read
 * and tried again, by the apply and by the rollback. fabric8's mock API server in expectation mode answers each
 * request as the test scripts it.
 */
@EnableKubernetesMockClient
class DeployConflictTest {
    private static final String PATH = "/api/v1/namespaces/conflict/configmaps/app-config";

    KubernetesMockServer server;

    @TempDir
    Path workspace;

    final List<String> log = new ArrayList<>();

    private DeployRequest request() throws Exception {
        Path dir = Files.createDirectories(workspace.resolve("app/deploy"));
        Files.writeString(dir.resolve("cm.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: app-config}
                data: {MODE: new}
                """);
        String kubeconfig = """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: mock
                    cluster: {server: "%s", insecure-skip-tls-verify: true}
                users:
                  - name: ci
                    user: {token: not-checked-by-the-mock}
                contexts:
                  - name: mock
                    context: {cluster: mock, user: ci, namespace: conflict}
                current-context: mock
                """.formatted(server.url("/"));
        return new DeployRequest()
                .workspace(workspace.toString())
                .configs("app/deploy/**")
                .substitute(false)
                .kubeconfig(new Kubeconfig("credentials 'mock'", kubeconfig))
                .timeoutSeconds(5);
    }

    private Deploy engine() {
        return new Deploy(log::add, log::add, Duration.ofMillis(100));
    }

    private static ConfigMap configMap(String mode, String resourceVersion) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName("app-config")
                .withNamespace("conflict")
                .withResourceVersion(resourceVersion)
                .endMetadata()
                .addToData("MODE", mode)
                .build();
    }

    private static Status conflict() {
        return new StatusBuilder()
                .withStatus("Failure")
                .withReason("Conflict")
                .withCode(409)
                .withMessage("Operation cannot be fulfilled on configmaps \"app-config\": the object has been "
                        + "modified; please apply your changes to the latest version and try again")
                .build();
    }

    /** The requests the server got since the last call, as "METHOD path". */
    private List<String> requests() throws InterruptedException {
        List<String> seen = new ArrayList<>();
        for (RecordedRequest r; (r = server.takeRequest(200, TimeUnit.MILLISECONDS)) != null; ) {
            seen.add(r.getMethod() + " " + r.getPath());
        }
        return seen;
    }

    /** Answers the next read of the ConfigMap with {@code live}. */
    private void nextRead(ConfigMap live) {
        server.expect().get().withPath(PATH).andReturn(200, live).once();
    }

    /** Answers the next write of the ConfigMap with {@code answer}: the object as written, or a refusal. */
    private void nextWrite(Object answer) {
        int code = answer instanceof Status refusal ? refusal.getCode() : 200;
        server.expect().put().withPath(PATH).andReturn(code, answer).once();
    }

    @Test
    void aReplaceRefusedWithAConflictIsReadAndTriedAgain() throws Exception {
        nextRead(configMap("old", "1"));
        nextWrite(conflict());
        nextRead(configMap("old", "2"));
        nextWrite(configMap("new", "3"));

        DeployResult result = engine().run(request());

        assertThat(result.changed()).containsExactly("ConfigMap conflict/app-config");
        assertThat(requests()).containsExactly("GET " + PATH, "PUT " + PATH, "GET " + PATH, "PUT " + PATH);
    }

    @Test
    void aConflictThatPersistsEndsTheDeployAfterThreeTries() throws Exception {
        for (int i = 1; i <= 3; i++) {
            nextRead(configMap("old", String.valueOf(i)));
            nextWrite(conflict());
        }

        assertThatThrownBy(() -> engine().run(request()))
                .isInstanceOf(GuliException.class)
                .hasMessageStartingWith("cannot replace ConfigMap conflict/app-config: it changed meanwhile (409 "
                        + "Conflict: Operation cannot be fulfilled")
                .hasMessageEndingWith("run the deploy again (this deploy changed nothing in the cluster)");
        assertThat(requests()).filteredOn(r -> r.startsWith("PUT ")).hasSize(3);
    }

    @Test
    void aRestoreRefusedWithAConflictIsReadAndTriedAgain() throws Exception {
        nextRead(configMap("old", "1"));
        nextWrite(configMap("new", "2"));
        DeployRequest r = request();
        RolloutState applied = engine().apply(r);
        assertThat(requests()).containsExactly("GET " + PATH, "PUT " + PATH);

        nextRead(configMap("new", "2"));
        nextWrite(conflict());
        nextRead(configMap("new", "3"));
        nextWrite(configMap("old", "4"));
        GuliException failure = engine().rollBack(applied, r.kubeconfig(), "aborted");

        assertThat(failure.getMessage()).isEqualTo("aborted; rolled back: restored ConfigMap conflict/app-config");
        assertThat(requests()).containsExactly("GET " + PATH, "PUT " + PATH, "GET " + PATH, "PUT " + PATH);
    }
}
