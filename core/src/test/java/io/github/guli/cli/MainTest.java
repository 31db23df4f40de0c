package io.github.guli.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.guli.engine.UsernamePassword;
import io.github.guli.testsupport.GitFixture;
import io.github.guli.testsupport.ProcessArgsWatcher;
import io.github.guli.testsupport.TestImages;
import io.github.guli.testsupport.TestServices;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code guli release} run as its own process, against the real registry and git server. */
class MainTest {
    private static final Duration LIMIT = Duration.ofSeconds(120);

    @Test
    void releasesWithSecretsOnlyFromTheEnvironment(@TempDir Path scratch) throws Exception {
        String registry = TestServices.registry();
        UsernamePassword reg = TestServices.registryCredentials();
        UsernamePassword git = TestServices.gitCredentials();
        String app = "cli-" + UUID.randomUUID().toString().substring(0, 8);
        String digest = TestImages.push(registry, reg, "guli-test/" + app, "SNAPSHOT-master-7");

        Map<String, String> secrets = Map.of(
                "GULI_REGISTRY_USERNAME", reg.username(),
                "GULI_REGISTRY_PASSWORD", reg.password(),
                "GULI_GIT_USERNAME", git.username(),
                "GULI_GIT_PASSWORD", git.password());

        try (GitFixture repo = new GitFixture(scratch)) {
            ProcessArgsWatcher watcher = new ProcessArgsWatcher(List.of(reg.password(), git.password()));
            GuliRun r = GuliRun.process(
                    null,
                    secrets,
                    LIMIT,
                    "release",
                    "--project-name",
                    app,
                    "--project-version",
                    "v1.0.0",
                    "--registry",
                    "http://" + registry,
                    "--namespace",
                    "guli-test",
                    "--source-tag",
                    "SNAPSHOT-master-7",
                    "--git-dir",
                    repo.dir().toString(),
                    "--git-remote",
                    repo.url);
            List<String> leaks = watcher.stop();

            assertThat(r.exit()).as(r.all()).isZero();
            assertThat(r.out())
                    .contains("released v1.0.0: image " + registry + "/guli-test/" + app + ":v1.0.0 (" + digest
                            + ", tagged)")
                    .contains("git tag " + app + "-v1.0.0 (pushed)");
            assertThat(repo.serverTag(app + "-v1.0.0")).isNotNull();

            GuliRun check = GuliRun.process(
                    null,
                    secrets,
                    LIMIT,
                    "release",
                    "--check",
                    "--project-name",
                    app,
                    "--project-version",
                    "v1.0.0",
                    "--registry",
                    "http://" + registry,
                    "--namespace",
                    "guli-test",
                    "--git-dir",
                    repo.dir().toString(),
                    "--git-remote",
                    repo.url);
            assertThat(check.exit()).as(check.all()).isZero();
            assertThat(check.out()).contains("version v1.0.0 was released from this commit already");
            assertThat(r.all()).doesNotContain(reg.password()).doesNotContain(git.password());
            assertThat(leaks).as("process command lines holding a secret").isEmpty();
        }
    }

    @Test
    void aBadVersionExitsOneWithTheRule() throws Exception {
        GuliRun r = GuliRun.process(
                null,
                Map.of(),
                LIMIT,
                "release",
                "--project-name",
                "gulimall-gateway",
                "--project-version",
                "vfoo",
                "--no-image",
                "--no-git-tag");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("'vfoo' is not a release version").contains("v1.2.0");
    }

    @Test
    void aGitTagNeedsTheRepositoryUrlGivenNotReadFromTheWorkingTree() throws Exception {
        GuliRun r = GuliRun.process(
                null,
                Map.of(),
                LIMIT,
                "release",
                "--project-name",
                "gulimall-gateway",
                "--project-version",
                "v1.0.0",
                "--no-image",
                "--git-dir",
                ".");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--git-remote URL is required").contains("not read from the working tree");
    }

    @Test
    void aPasswordFlagDoesNotExist() throws Exception {
        GuliRun r = GuliRun.process(null, Map.of(), LIMIT, "release", "--registry-password", "x");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("unknown option --registry-password").contains("known options:");
    }

    @Test
    void anUnknownCommandExitsTwoListingEveryCommand() throws Exception {
        GuliRun r = GuliRun.process(null, Map.of(), LIMIT, "publish");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("guli: unknown command 'publish'");
        for (String command : Main.COMMANDS.keySet()) {
            assertThat(r.err()).contains("  " + command + " ");
        }
    }

    @Test
    void passwordFromAFile(@TempDir Path dir) throws Exception {
        String registry = TestServices.registry();
        UsernamePassword reg = TestServices.registryCredentials();
        String app = "cli-" + UUID.randomUUID().toString().substring(0, 8);
        TestImages.push(registry, reg, "guli-test/" + app, "latest");
        Path pw = dir.resolve("pw");
        java.nio.file.Files.writeString(pw, reg.password() + "\n");
        GuliRun r = GuliRun.process(
                null,
                Map.of("GULI_REGISTRY_PASSWORD_FILE", pw.toString()),
                LIMIT,
                "release",
                "--project-name",
                app,
                "--project-version",
                "v2.0.0-rc.1",
                "--registry",
                "http://" + registry,
                "--namespace",
                "guli-test",
                "--source-tag",
                "latest",
                "--registry-username",
                reg.username(),
                "--no-git-tag");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains(":v2.0.0-rc.1");
    }
}
