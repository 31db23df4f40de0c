package io.github.guli.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.TaskListener;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Secrets a step looked up itself never reach the console in clear, however the output is cut into writes. */
class MaskingOutputStreamTest {
    static final String TOKEN = "squ_0123456789abcdef0123456789abcdef01234567";

    private static String through(List<String> secrets, byte[] output, int chunk) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        MaskingOutputStream m = new MaskingOutputStream(console, secrets);
        for (int i = 0; i < output.length; i += chunk) {
            m.write(output, i, Math.min(chunk, output.length - i));
            m.flush(); // a flush in the middle of a secret must not let its start out
        }
        m.finish();
        return console.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyOccurrenceIsMaskedWhateverTheWrites() throws Exception {
        // what a build's own antrun echo of $SONAR_TOKEN prints, among Maven's lines
        byte[] out = ("[INFO] --- antrun:3.1.0:run (leak) @ gulimall-gateway ---\n     [echo] token=" + TOKEN
                        + " again:" + TOKEN + "\n[INFO] BUILD SUCCESS\nno newline at the end " + TOKEN)
                .getBytes(StandardCharsets.UTF_8);
        String expected =
                "[INFO] --- antrun:3.1.0:run (leak) @ gulimall-gateway ---\n     [echo] token=**** again:****\n"
                        + "[INFO] BUILD SUCCESS\nno newline at the end ****";
        for (int chunk : new int[] {1, 2, 3, 7, 64, out.length}) {
            assertThat(through(List.of(TOKEN), out, chunk))
                    .as("writes of " + chunk)
                    .isEqualTo(expected);
        }
    }

    @Test
    void aLineLongerThanTheBufferIsStillMasked() throws Exception {
        String line = "x".repeat(8190) + TOKEN + "y".repeat(9000) + TOKEN + "\n";
        String masked = through(List.of(TOKEN), line.getBytes(StandardCharsets.UTF_8), 1000);
        assertThat(masked).doesNotContain(TOKEN).contains("x****y").endsWith("y****\n");
        assertThat(masked).hasSize(line.length() - 2 * (TOKEN.length() - 4));
    }

    @Test
    void keysOfSeveralLinesAreMaskedLineByLineAndTheLongestSecretFirst() throws Exception {
        String key =
                "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n";
        String out = through(
                List.of(key, "s3cret", "s3cret-and-more", "ab"),
                ("cat key:\n" + key + "pw s3cret-and-more s3cret ab\n").getBytes(StandardCharsets.UTF_8),
                5);
        assertThat(out).isEqualTo("cat key:\n****\n****\n****\npw **** **** ab\n");
    }

    @Test
    void secretsInsideSettingsAndKubeconfigFilesAreFound() {
        assertThat(
                        MaskingOutputStream.secretsIn(
                                "<settings><servers><server><id>nexus</id><username>ci</username>"
                                        + "<password>n3xus-pass</password></server></servers><passphrase>pp-123</passphrase></settings>"))
                .containsExactly("n3xus-pass", "pp-123");
        assertThat(MaskingOutputStream.secretsIn("users:\n- name: ci\n  user:\n    token: eyJhbGciOi.abc\n"
                        + "    client-key-data: LS0tLS1CRUdJTg==\n"))
                .contains("eyJhbGciOi.abc", "LS0tLS1CRUdJTg==", "-----BEGIN");
    }

    /** What the stream writes for {@code output} when the secrets inside {@code file} are masked. */
    private static String maskedWithSecretsOf(String file, String output) throws Exception {
        return through(List.copyOf(MaskingOutputStream.secretsIn(file)), output.getBytes(StandardCharsets.UTF_8), 5);
    }

    @Test
    void aSettingsPasswordInCdataIsMasked() throws Exception {
        String settings = "<settings><servers><server><id>nexus</id><username>ci</username>"
                + "<password><![CDATA[n3xus<&>pass]]></password></server></servers></settings>";
        assertThat(maskedWithSecretsOf(settings, "[echo] n3xus<&>pass\n")).isEqualTo("[echo] ****\n");
    }

    @Test
    void aSettingsPasswordWithEntitiesIsMaskedAsWrittenAndAsRead() throws Exception {
        String settings = "<settings><servers><server><id>nexus</id>"
                + "<password>n3xus&amp;pa&#x41;ss&#66;</password></server></servers></settings>";
        assertThat(maskedWithSecretsOf(settings, "read n3xus&paAssB\nfile n3xus&amp;pa&#x41;ss&#66;\n"))
                .isEqualTo("read ****\nfile ****\n");
    }

    @Test
    void anEntityNamingNoCharacterIsKeptAsWritten() {
        assertThat(MaskingOutputStream.secretsIn("<password>p&#x110000;w&#99999999999;d</password>"))
                .contains("p&#x110000;w&#99999999999;d");
    }

    @Test
    void kubeconfigAccessTokensAndClientSecretsAreMasked() throws Exception {
        String kubeconfig = """
                users:
                  - name: oidc
                    user:
                      auth-provider:
                        name: oidc
                        config:
                          access-token: ya29.access-0123456789
                          client-secret: "cl1ent-s3cret-value"
                          client-id: gulimall
                  - name: flow
                    user: {token: fl0w-t0ken-abcdef, username: ci}
                """;
        assertThat(maskedWithSecretsOf(
                        kubeconfig, "a ya29.access-0123456789 b cl1ent-s3cret-value c fl0w-t0ken-abcdef d gulimall\n"))
                .isEqualTo("a **** b **** c **** d gulimall\n");
    }

    @Test
    void aKubeconfigClientKeyIsMaskedAlsoDecoded() throws Exception {
        String pem =
                "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBk3bW9jay1rZXktZm9yLXRlc3RzLW9ubHk=\n-----END EC PRIVATE KEY-----\n";
        String data = Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
        String kubeconfig = "users:\n- name: ci\n  user:\n    client-key-data: " + data + "\n";
        assertThat(maskedWithSecretsOf(kubeconfig, "cat key\n" + pem + "data " + data + "\n"))
                .isEqualTo("cat key\n****\n****\n****\ndata ****\n");
    }

    @Test
    void aSecretUrlEncodedIsMasked() throws Exception {
        String secret = "p@ss w/rd&x=1";
        String out = through(
                List.of(secret),
                ("GET /login?pw=p%40ss+w%2Frd%26x%3D1 then p%40ss%20w%2Frd%26x%3D1 then p%40ss+w%2frd%26x%3d1\n")
                        .getBytes(StandardCharsets.UTF_8),
                3);
        assertThat(out).isEqualTo("GET /login?pw=**** then **** then ****\n");
    }

    @Test
    void theDockerAuthOfUserAndPasswordHasThePasswordPartMasked() throws Exception {
        String password = "Harb0r-Passw0rd!";
        for (String user : new String[] {"ci", "ci1", "ci12"}) { // the password at each of base64's three alignments
            String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            String config = "{\"auths\":{\"127.0.0.1:5000\":{\"auth\":\"" + auth + "\"}}}\n";
            String out = through(List.of(password), config.getBytes(StandardCharsets.UTF_8), 4);
            String kept = out.substring(out.indexOf("\"auth\":\"") + 8, out.lastIndexOf("\"}}}"));
            assertThat(kept).as(user).contains("****").doesNotContain(auth);
            String left = kept.replace("****", "");
            assertThat(auth.length() - left.length())
                    .as("what stays is the username's part and the padding, for " + user)
                    .isGreaterThanOrEqualTo(password.length());
            assertThat(auth).as(user).startsWith(kept.substring(0, kept.indexOf("****")));
        }
    }

    @Test
    void aSecretSplitAcrossTwoWritesIsMaskedAlsoEncoded() throws Exception {
        String password = "Harb0r-Passw0rd!";
        String auth = Base64.getEncoder().encodeToString(("ci:" + password).getBytes(StandardCharsets.UTF_8));
        String text = "pw " + password + " auth " + auth + "\n";
        for (int cut = 1; cut < text.length() - 1; cut++) {
            ByteArrayOutputStream console = new ByteArrayOutputStream();
            MaskingOutputStream m = new MaskingOutputStream(console, List.of(password));
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            m.write(b, 0, cut);
            m.flush();
            m.write(b, cut, b.length - cut);
            m.finish();
            assertThat(console.toString(StandardCharsets.UTF_8))
                    .as("cut at " + cut)
                    .startsWith("pw **** auth ")
                    .contains("****")
                    .doesNotContain(password, auth);
        }
    }

    /**
     * The rule that keeps masking from blowing up: a secret shorter than 3 characters is not masked at all, and an
     * encoded form is masked only where at least 8 of its base64 characters depend on the secret alone; a short
     * secret leaves random base64 text as it is (but for its own literal occurrences).
     */
    @Test
    void aShortSecretDoesNotMaskRandomBase64Text() throws Exception {
        java.util.Random random = new java.util.Random(22);
        for (String secret : new String[] {"abc", "pw1234", "s3cr3t"}) {
            String text;
            do {
                byte[] noise = new byte[30_000];
                random.nextBytes(noise);
                text = Base64.getMimeEncoder().encodeToString(noise) + "\n";
            } while (text.contains(secret));
            assertThat(through(List.of(secret), text.getBytes(StandardCharsets.UTF_8), 4096))
                    .as(secret)
                    .isEqualTo(text);
        }
        assertThat(through(List.of("ab"), "ab abc ab\n".getBytes(StandardCharsets.UTF_8), 1))
                .isEqualTo("ab abc ab\n");
    }

    static final class Settings extends TestCredentials.SecretFile {
        Settings() {
            super(
                    "settings",
                    "settings.xml",
                    "<settings><servers><server><id>sonar</id><password>" + TOKEN
                            + "</password></server></servers></settings>");
        }
    }

    /** The engine's log, a child process' output (console()) and the failure message all go through it. */
    static final class Leaky extends EngineOnAgent<String> {
        Leaky(TaskListener listener) {
            super(listener, "[guliBuild] ");
        }

        @Override
        String call(File workspace, Log log) {
            log.info("token " + TOKEN);
            console().info("     [echo] " + TOKEN);
            throw new GuliException("failed with " + TOKEN);
        }
    }

    @Test
    void theStepsOutputOnTheAgentIsMasked() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream logger = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        TaskListener listener = () -> logger;
        // a Maven settings.xml whose server password is the token: found inside the secret file, and masked
        CredentialsLookup credentials =
                new CredentialsLookup(new FakeCredentialsStore(java.util.Map.of("settings", new Settings())));
        credentials.secretFile("settings", new TestRun(), "Maven settings");
        assertThat(credentials.secrets()).isEqualTo(Set.of(TOKEN));

        EngineOnAgent.Outcome<String> o =
                new Leaky(listener).masking(credentials.secrets()).invoke(new File("."), null);

        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("[guliBuild] token ****\n     [echo] ****\n");
        assertThat(o.error()).isEqualTo("failed with ****");
    }
}
