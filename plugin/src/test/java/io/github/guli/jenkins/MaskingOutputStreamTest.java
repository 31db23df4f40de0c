package io.github.guli.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.TaskListener;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
