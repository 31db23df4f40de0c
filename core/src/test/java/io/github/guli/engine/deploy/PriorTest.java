package io.github.guli.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.github.guli.testsupport.Serialized;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a deploy reads before its first change, and the put-back from it after the deploy was lost midway, against
 * fabric8's mock API server in CRUD mode: only what differs from the record goes back, and a Secret's data is never
 * in the record.
 */
@EnableKubernetesMockClient(crud = true)
class PriorTest {
    KubernetesClient client;

    final List<String> log = new ArrayList<>();

    @TempDir
    Path workspace;

    private static ConfigMap configMap(String name, String mode) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("ns")
                .endMetadata()
                .addToData("MODE", mode)
                .build();
    }

    private static Secret secret(String password) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName("db")
                .withNamespace("ns")
                .endMetadata()
                .addToStringData("password", password)
                .build();
    }

    private String mode(String name) {
        ConfigMap c = client.configMaps().inNamespace("ns").withName(name).get();
        return c == null ? null : c.getData().get("MODE");
    }

    /** The record of a deploy of app-config (MODE new), untouched (same), extra (new) and Secret db, read back. */
    private Prior recorded() throws Exception {
        client.resource(configMap("app-config", "old")).create();
        client.resource(configMap("untouched", "same")).create();
        client.resource(secret("old-db-pass")).create();
        Files.writeString(workspace.resolve("all.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: app-config}
                data: {MODE: new}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: untouched}
                data: {MODE: same}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: extra}
                data: {MODE: new}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: db}
                stringData: {password: new-db-pass}
                """);
        var manifests = ManifestLoader.load(workspace, List.of("all.yaml"), false, Map.of())
                .manifests();
        Prior prior = new Applier(new KubeApi(client), log::add).prior(manifests, "ns", null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(prior);
        }
        String saved = bytes.toString(StandardCharsets.ISO_8859_1);
        assertThat(saved).doesNotContain("old-db-pass", "b2xkLWRiLXBhc3M"); // nor its base64
        assertThat(prior.titles())
                .containsExactly(
                        "ConfigMap ns/app-config", "ConfigMap ns/untouched", "ConfigMap ns/extra", "Secret ns/db");
        return Serialized.copy(prior);
    }

    @Test
    void onlyWhatChangedSinceTheRecordIsPutBackAndAnUntouchedSecretIsLeftAlone() throws Exception {
        Prior prior = recorded();
        client.resource(configMap("app-config", "new")).update(); // the deploy got this far
        client.resource(configMap("extra", "new")).create();
        String untouched = client.configMaps()
                .inNamespace("ns")
                .withName("untouched")
                .get()
                .getMetadata()
                .getResourceVersion();

        var failure = new Rollback(new KubeApi(client), log::add)
                .rollBack("restarted", prior.changedSince(new KubeApi(client)), true);

        assertThat(failure)
                .hasMessage("restarted; rolled back: deleted ConfigMap ns/extra, restored ConfigMap ns/app-config");
        assertThat(mode("app-config")).isEqualTo("old");
        assertThat(mode("extra")).isNull();
        assertThat(client.configMaps()
                        .inNamespace("ns")
                        .withName("untouched")
                        .get()
                        .getMetadata()
                        .getResourceVersion())
                .isEqualTo(untouched);
    }

    @Test
    void aSecretThatChangedSinceTheRecordIsNamedToBePutBackByHand() throws Exception {
        Prior prior = recorded();
        client.resource(secret("new-db-pass")).update();

        var failure = new Rollback(new KubeApi(client), log::add)
                .rollBack("restarted", prior.changedSince(new KubeApi(client)), true);

        assertThat(failure.getMessage())
                .startsWith("restarted; rolled back: ; ROLLBACK FAILED for Secret ns/db (its previous content is not "
                        + "saved with the build");
    }
}
