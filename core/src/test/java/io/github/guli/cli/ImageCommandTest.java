package io.github.guli.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.guli.engine.UsernamePassword;
import io.github.guli.engine.registry.RegistryClient;
import io.github.guli.engine.registry.RegistryEndpoint;
import io.github.guli.engine.registry.Retry;
import io.github.guli.testsupport.ProcessArgsWatcher;
import io.github.guli.testsupport.TestServices;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code guli image} run as its own process, against the real Docker engine and registry. */
class ImageCommandTest {
    private static String[] guli(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("GULI_") && !k.startsWith("GULI_TEST") && !k.equals("GULI_SERVICES_DIR"));
        pb.environment().putAll(env);
        File out = File.createTempFile("guli-out", ".txt");
        Process p = pb.redirectErrorStream(true).redirectOutput(out).start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("guli finished").isTrue();
        String text = Files.readString(out.toPath(), StandardCharsets.UTF_8);
        out.delete();
        return new String[] {String.valueOf(p.exitValue()), text};
    }

    @Test
    void buildsTagsAndPushesWithThePasswordOnlyInTheEnvironment(@TempDir Path ws) throws Exception {
        String registry = TestServices.registry();
        UsernamePassword reg = TestServices.registryCredentials();
        String app = "cli-img-" + UUID.randomUUID().toString().substring(0, 8);
        Path module = Files.createDirectories(ws.resolve(app));
        Files.writeString(module.resolve("Dockerfile"), "FROM scratch\nCOPY dist/ /usr/share/nginx/html/\n");
        Files.createDirectories(module.resolve("dist"));
        Files.writeString(module.resolve("dist/index.html"), "<h1>gulimall-admin-vue</h1>\n");

        ProcessArgsWatcher watcher = new ProcessArgsWatcher(List.of(reg.password()));
        String[] r = guli(Map.of("GULI_REGISTRY_USERNAME", reg.username(), "GULI_REGISTRY_PASSWORD", reg.password()),
                "image", "--project-name", app, "--workspace", ws.toString(), "--registry", "http://" + registry,
                "--namespace", "guli-test", "--branch", "master", "--build-number", "3", "--tags", "v1.0.0");
        List<String> leaks = watcher.stop();

        assertThat(r[0]).as(r[1]).isEqualTo("0");
        String digest = new RegistryClient(RegistryEndpoint.parse("http://" + registry), reg, Retry.DEFAULT, l -> { })
                .getManifest("guli-test/" + app, "SNAPSHOT-master-3").digest();
        assertThat(r[1]).contains("[guli image] pushed " + registry + "/guli-test/" + app
                + ":SNAPSHOT-master-3, :latest, :v1.0.0 (" + digest + ")");
        assertThat(r[1]).doesNotContain(reg.password());
        assertThat(leaks).as("process command lines holding the password").isEmpty();
    }

    @Test
    void aPortThatIsNotANumberIsAUsageError() throws Exception {
        String[] r = guli(Map.of(), "image", "--project-name", "x", "--port", "eighty");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[1]).contains("--port needs a number");
    }
}
