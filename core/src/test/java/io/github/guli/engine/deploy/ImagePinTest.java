package io.github.guli.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagePinTest {
    static final String DIGEST = "sha256:" + "ab".repeat(32);
    static final String REPO = "127.0.0.1:5000/gulimall/gulimall-auth-server";

    @TempDir
    Path dir;

    private List<ManifestObject> load(String yaml) throws Exception {
        Files.writeString(dir.resolve("d.yaml"), yaml);
        return ManifestLoader.load(dir, List.of("d.yaml"), false, Map.of()).manifests();
    }

    @Test
    void pinsTheServicesContainersWhateverTheirTagAndAnnotatesTheWorkloadAndItsPods() throws Exception {
        List<ManifestObject> m = load("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: a}
                spec:
                  template:
                    spec:
                      initContainers:
                        - {name: migrate, image: "%1$s:v1"}
                      containers:
                        - {name: a, image: "%1$s:latest"}
                        - {name: sidecar, image: "127.0.0.1:5000/gulimall/zipkin:2"}
                """.formatted(REPO));
        new ImagePin(REPO, DIGEST, Map.of("guli.io/version", "v1.2.0")).apply(m);

        Map<String, Object> v = m.get(0).value();
        assertThat(v.toString())
                .contains("image=" + REPO + "@" + DIGEST + "}, {name=sidecar, image=127.0.0.1:5000/gulimall/zipkin:2")
                .contains("{name=migrate, image=" + REPO + "@" + DIGEST + "}");
        assertThat(v.get("metadata").toString()).isEqualTo("{name=a, annotations={guli.io/version=v1.2.0}}");
        assertThat(v.toString())
                .contains("template={spec={initContainers")
                .contains("metadata={annotations={guli.io/version=v1.2.0}}");
    }

    @Test
    void manifestsThatDoNotRunTheImageAreRefusedNamingWhatTheyRun() throws Exception {
        List<ManifestObject> m = load("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: a}
                spec:
                  template:
                    spec:
                      containers:
                        - {name: a, image: "127.0.0.1:5000/other/gulimall-auth-server:v1"}
                """);
        assertThatThrownBy(() -> new ImagePin(REPO, DIGEST, Map.of()).apply(m))
                .hasMessageContaining("no container in the manifests runs " + REPO
                        + " (they run: 127.0.0.1:5000/other/gulimall-auth-server:v1)");
        assertThatThrownBy(() -> new ImagePin(REPO, "sha256:abc", Map.of()))
                .hasMessageContaining("'sha256:abc' is not an image digest");
    }

    @Test
    void theRepositoryOfAnImageDropsItsTagOrDigestButNotARegistryPort() {
        assertThat(ImagePin.repositoryOf("127.0.0.1:5000/a/b:v1")).isEqualTo("127.0.0.1:5000/a/b");
        assertThat(ImagePin.repositoryOf("127.0.0.1:5000/a/b")).isEqualTo("127.0.0.1:5000/a/b");
        assertThat(ImagePin.repositoryOf("127.0.0.1:5000/a/b@" + DIGEST)).isEqualTo("127.0.0.1:5000/a/b");
    }
}
