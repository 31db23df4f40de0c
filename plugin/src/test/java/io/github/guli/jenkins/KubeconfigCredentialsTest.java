package io.github.guli.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.GuliException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** guliDeployK8s's kubeconfigId: a secret file (or secret text) read for the run, and clear errors otherwise. */
class KubeconfigCredentialsTest {
    static final String KUBECONFIG = "apiVersion: v1\nkind: Config\n";

    /** kubernetes-cd's own "Kubernetes configuration (kubeconfig)" type, which guli-pipeline does not read. */
    static final class KubeconfigCredentials extends TestCredentials {
        KubeconfigCredentials() {
            super("demo-kubeconfig", "old plugin's");
        }
    }

    @Test
    void aSecretFileIsReadAndTrackedForTheRun() throws Exception {
        TestCredentials.SecretFile file = new TestCredentials.SecretFile("demo-kubeconfig", "config", KUBECONFIG);
        FakeCredentialsStore store = new FakeCredentialsStore(Map.of("demo-kubeconfig", file));
        assertThat(new CredentialsLookup(store).fileOrSecretText("demo-kubeconfig", new TestRun(), "kubeconfig"))
                .isEqualTo(KUBECONFIG);
        assertThat(store.tracked).containsExactly(file);
    }

    @Test
    void anUnknownIdNamesTheTypesThatWouldDo() throws Exception {
        FakeCredentialsStore store = new FakeCredentialsStore(Map.of());
        assertThatThrownBy(() ->
                        new CredentialsLookup(store).fileOrSecretText("demo-kubeconfig", new TestRun(), "kubeconfig"))
                .isInstanceOf(GuliException.class)
                .hasMessage(
                        "no credentials with ID 'demo-kubeconfig' (kubeconfig) are visible to this build: add 'Secret "
                                + "file' (or 'Secret text') credentials holding the kubeconfig with that ID in Manage Jenkins > "
                                + "Credentials (or in the job's folder), or fix the ID");
        assertThat(store.lookups)
                .containsExactly(
                        "demo-kubeconfig as FileCredentials for TestRun",
                        "demo-kubeconfig as StringCredentials for TestRun",
                        "demo-kubeconfig as StandardCredentials for TestRun");
    }

    @Test
    void theOldPluginsKubeconfigTypeIsNamedWithTheWayOver() throws Exception {
        FakeCredentialsStore store = new FakeCredentialsStore(Map.of("demo-kubeconfig", new KubeconfigCredentials()));
        assertThatThrownBy(() ->
                        new CredentialsLookup(store).fileOrSecretText("demo-kubeconfig", new TestRun(), "kubeconfig"))
                .hasMessage("credentials 'demo-kubeconfig' (kubeconfig) are of type KubeconfigCredentials, but 'Secret "
                        + "file' or 'Secret text' is needed: store the kubeconfig as a secret file (or its text as secret "
                        + "text) under that ID");
        assertThat(store.tracked).isEmpty();
    }

    @Test
    void noIdMeansNone() throws Exception {
        FakeCredentialsStore store = new FakeCredentialsStore(Map.of());
        assertThat(new CredentialsLookup(store).fileOrSecretText(null, new TestRun(), "kubeconfig"))
                .isNull();
        assertThat(store.lookups).isEmpty();
    }
}
