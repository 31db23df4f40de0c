package io.github.guli.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.GuliException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The credentials adapter with a store of its own: IDs are looked up for the run, and missing or wrong-typed ones named. */
class CredentialsLookupTest {
    /** A secret-text-like credential: the wrong type for a registry login. */
    static final class StringCredentialsImpl extends TestCredentials {
        StringCredentialsImpl() {
            super("sonar-qube", "a token");
        }
    }

    @Test
    void anUnknownIdIsNamedWithTheFix() throws Exception {
        FakeCredentialsStore store = new FakeCredentialsStore(Map.of());
        assertThatThrownBy(
                        () -> new CredentialsLookup(store).usernamePassword("aliyun-hub-id", new TestRun(), "registry"))
                .isInstanceOf(GuliException.class)
                .hasMessage(
                        "no credentials with ID 'aliyun-hub-id' (registry) are visible to this build: add 'Username "
                                + "with password' credentials with that ID in Manage Jenkins > Credentials (or in the job's "
                                + "folder), or fix the ID");
        assertThat(store.lookups)
                .containsExactly(
                        "aliyun-hub-id as StandardUsernamePasswordCredentials for TestRun",
                        "aliyun-hub-id as StandardCredentials for TestRun");
        assertThat(store.tracked).isEmpty();
    }

    @Test
    void aWrongTypeNamesTheTypeFoundAndTheTypeNeeded() {
        FakeCredentialsStore store = new FakeCredentialsStore(Map.of("sonar-qube", new StringCredentialsImpl()));
        assertThatThrownBy(() -> new CredentialsLookup(store).usernamePassword("sonar-qube", new TestRun(), "git"))
                .hasMessageContaining("credentials 'sonar-qube' (git) are of type StringCredentials")
                .hasMessageContaining("'Username with password' is needed");
        assertThat(store.tracked).isEmpty();
    }

    @Test
    void noIdMeansNoCredentialsAndNoLookup() throws Exception {
        FakeCredentialsStore store = new FakeCredentialsStore(Map.of());
        assertThat(new CredentialsLookup(store).usernamePassword(null, new TestRun(), "git"))
                .isNull();
        assertThat(store.lookups).isEmpty();
    }

    @Test
    void aSettingsFilesPasswordsAreCollectedAsWrittenAndAsRead() throws Exception {
        FakeCredentialsStore store = new FakeCredentialsStore(Map.of(
                "settings",
                new TestCredentials.SecretFile(
                        "settings",
                        "settings.xml",
                        "<settings><servers><server><id>a</id><password><![CDATA[cd&ta-pass]]></password></server>"
                                + "<server><id>b</id><password>ent&amp;ty&#x41;&#66;</password></server>"
                                + "</servers></settings>")));
        CredentialsLookup lookup = new CredentialsLookup(store);
        lookup.secretFile("settings", new TestRun(), "Maven settings");
        assertThat(lookup.secrets()).contains("cd&ta-pass", "ent&amp;ty&#x41;&#66;", "ent&tyAB");
    }

    @Test
    void aKubeconfigsTokensSecretsAndDecodedKeyAreCollected() throws Exception {
        String pem = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBk3bW9jay1rZXk=\n-----END EC PRIVATE KEY-----\n";
        String data = java.util.Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
        FakeCredentialsStore store = new FakeCredentialsStore(
                Map.of("kubeconfig", new TestCredentials.SecretFile("kubeconfig", "config", """
                        users:
                          - name: ci
                            user:
                              client-key-data: %s
                              auth-provider:
                                config: {access-token: acc3ss-t0ken, client-secret: 'cl1ent-s3cret'}
                        """.formatted(data))));
        CredentialsLookup lookup = new CredentialsLookup(store);
        lookup.fileOrSecretText("kubeconfig", new TestRun(), "kubeconfig");
        assertThat(lookup.secrets()).contains(data, pem, "acc3ss-t0ken", "cl1ent-s3cret");
    }
}
