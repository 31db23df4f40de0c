package io.github.guli.engine.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.UsernamePassword;
import io.github.guli.engine.registry.RegistryClient;
import io.github.guli.engine.registry.RegistryEndpoint;
import io.github.guli.engine.registry.Retry;
import io.github.guli.testsupport.RecordingProxy;
import io.github.guli.testsupport.TestImages;
import io.github.guli.testsupport.TestServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Image tagging against the real local registry (Docker Distribution, htpasswd auth). */
class ReleaseRegistryTest {
    private final List<String> log = new ArrayList<>();
    private String registry;
    private UsernamePassword creds;
    private String app;

    @BeforeEach
    void pushSnapshot() throws Exception {
        registry = TestServices.registry();
        creds = TestServices.registryCredentials();
        app = "app-" + UUID.randomUUID().toString().substring(0, 8);
        TestImages.push(registry, creds, "guli-test/" + app, "SNAPSHOT-master-42");
    }

    /** The image side of a release of {@code app}: its {@code sourceTag} in guli-test/ tagged {@code version}. */
    static ReleaseRequest imageRelease(
            String app, String registryAddress, String version, String sourceTag, UsernamePassword c) {
        return new ReleaseRequest()
                .projectName(app)
                .projectVersion(version)
                .registry(registryAddress)
                .namespace("guli-test")
                .sourceTag(sourceTag)
                .registryCredentials(c);
    }

    private ReleaseRequest request(String registryAddress, String version, String sourceTag, UsernamePassword c) {
        return imageRelease(app, registryAddress, version, sourceTag, c);
    }

    private Release release() {
        return new Release(log::add, new Retry(3, Duration.ofMillis(10)));
    }

    @Test
    void copiesTheTagThroughTheApiWithoutMovingALayer() throws Exception {
        try (RecordingProxy proxy = new RecordingProxy("http://" + registry)) {
            ReleaseResult result =
                    release().run(request("http://" + proxy.hostPort(), "v1.2.0", "SNAPSHOT-master-42", creds));

            String repo = "/v2/guli-test/" + app + "/manifests/";
            // Exactly: read the source manifest, see that the version is free, see again right before the put
            // that it still is (create only), put the manifest under the version; plus the 401 challenges.
            assertThat(proxy.requests())
                    .containsExactly(
                            "GET " + repo + "SNAPSHOT-master-42",
                            "GET " + repo + "SNAPSHOT-master-42",
                            "GET " + repo + "v1.2.0",
                            "GET " + repo + "v1.2.0",
                            "PUT " + repo + "v1.2.0",
                            "PUT " + repo + "v1.2.0");
            assertThat(proxy.requests()).noneMatch(r -> r.contains("/blobs/"));

            RegistryClient direct =
                    new RegistryClient(RegistryEndpoint.parse("http://" + registry), creds, Retry.DEFAULT, log::add);
            String source =
                    direct.getManifest("guli-test/" + app, "SNAPSHOT-master-42").digest();
            assertThat(direct.getManifest("guli-test/" + app, "v1.2.0").digest())
                    .isEqualTo(source);
            assertThat(result.digest()).isEqualTo(source);
            assertThat(result.image()).endsWith("/guli-test/" + app + ":v1.2.0");
        }
        assertThat(String.join("\n", log)).doesNotContain(creds.password());
    }

    @Test
    void aMissingSourceTagIsAClearError() {
        assertThatThrownBy(() -> release().run(request("http://" + registry, "v1.2.0", "SNAPSHOT-master-41", creds)))
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("guli-test/" + app + ":SNAPSHOT-master-41 does not exist")
                .hasMessageContaining("sourceTag");
    }

    @Test
    void aWrongPasswordIsRefusedWithoutShowingIt() {
        UsernamePassword wrong = new UsernamePassword(creds.username(), "not-the-password-" + UUID.randomUUID());
        assertThatThrownBy(() -> release().run(request("http://" + registry, "v1.2.0", "SNAPSHOT-master-42", wrong)))
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("refused the login of user '" + creds.username() + "'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrong.password()));
        assertThat(String.join("\n", log)).doesNotContain(wrong.password());
    }

    @Test
    void noCredentialsSaysWhatToGive() {
        assertThatThrownBy(() -> release().run(request("http://" + registry, "v1.2.0", "SNAPSHOT-master-42", null)))
                .hasMessageContaining("requires a login");
    }

    @Test
    void aBadVersionChangesNothing() throws Exception {
        try (RecordingProxy proxy = new RecordingProxy("http://" + registry)) {
            assertThatThrownBy(() -> release()
                            .run(request("http://" + proxy.hostPort(), "v0.0Beta", "SNAPSHOT-master-42", creds)))
                    .hasMessageContaining("'v0.0Beta' is not a release version");
            assertThat(proxy.requests()).isEmpty();
        }
    }

    @Test
    void retriesA503AndGivesUpClearlyWhenItPersists() throws Exception {
        try (RecordingProxy proxy = new RecordingProxy("http://" + registry)) {
            proxy.failNext(503, 2);
            release().run(request("http://" + proxy.hostPort(), "v1.3.0", "SNAPSHOT-master-42", creds));
            assertThat(log).anyMatch(l -> l.contains("HTTP 503, retrying"));

            proxy.failNext(503, 10);
            assertThatThrownBy(() ->
                            release().run(request("http://" + proxy.hostPort(), "v1.4.0", "SNAPSHOT-master-42", creds)))
                    .hasMessageContaining("kept failing (HTTP 503) after 3 attempts");
        }
    }

    @Test
    void anUnreachableRegistryNamesTheAddress() {
        assertThatThrownBy(() -> release().run(request("http://127.0.0.1:1", "v1.2.0", "SNAPSHOT-master-42", creds)))
                .hasMessageContaining("cannot reach registry http://127.0.0.1:1");
    }
}
