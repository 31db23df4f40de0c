package io.github.guli.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code guli provision}: dry run, written manifests, settings file, secrets from the environment only. */
class ProvisionCommandTest {
    @Test
    void dryRunPrintsEverythingRedactedWithoutSecrets() {
        GuliRun r = GuliRun.inProcess(Map.of(), "provision", "--dry-run", "--namespace", "mall");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .contains(
                        "# ---- 02-secrets.yaml",
                        "kind: StatefulSet",
                        "namespace: mall",
                        "root-password: '<redacted: from credentials>'",
                        "[guli provision] 35 objects: 1 Namespace, 7 ConfigMap, 4 Secret");
    }

    @Test
    void writesManifestsWithoutSecretsFromASettingsFile(@TempDir Path dir) throws Exception {
        Path settings = dir.resolve("provision.properties");
        Files.writeString(settings, "redis.nodes=9\nredis.replicas=2\nstorageClass=nfs-client\n");
        Path pw = dir.resolve("root-pw");
        Files.writeString(pw, "Root-Secret-1\n");
        Map<String, String> env = Map.of(
                "GULI_MYSQL_ROOT_PASSWORD_FILE",
                pw.toString(),
                "GULI_MYSQL_REPLICATION_PASSWORD",
                "Repl-Secret-2",
                "GULI_REDIS_PASSWORD",
                "Redis-Secret-3",
                "GULI_RABBITMQ_ERLANG_COOKIE",
                "Cookie-Secret-4",
                "GULI_SHARDINGSPHERE_PASSWORD",
                "Proxy-Secret-5");
        Path out = dir.resolve("out");
        GuliRun r =
                GuliRun.inProcess(env, "provision", "--output-dir", out.toString(), "--settings", settings.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .contains(
                        "wrote " + out.resolve("redis.yaml"),
                        "not written (Secrets, applied from the credentials only): mysql-secret, redis-secret, rabbitmq-secret, shardingsphere-config")
                .doesNotContain("Secret-");
        assertThat(Files.readString(out.resolve("redis.yaml"))).contains("replicas: 9", "storageClassName: nfs-client");
        assertThat(out.resolve("02-secrets.yaml")).doesNotExist();
        try (var files = Files.list(out)) {
            for (Path p : files.toList()) {
                assertThat(Files.readString(p))
                        .doesNotContain("Secret-1", "Secret-2", "Secret-3", "Secret-4", "Secret-5");
            }
        }
    }

    @Test
    void writingNeedsEverySecretAndNamesTheMissingOnes(@TempDir Path dir) {
        GuliRun r = GuliRun.inProcess(Map.of("GULI_REDIS_PASSWORD", "x"), "provision", "--output-dir", dir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err())
                .contains("missing: GULI_MYSQL_ROOT_PASSWORD, GULI_MYSQL_REPLICATION_PASSWORD, "
                        + "GULI_RABBITMQ_ERLANG_COOKIE, GULI_SHARDINGSPHERE_PASSWORD");
        r = GuliRun.inProcess(Map.of(), "provision");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("give --dry-run or --output-dir DIR");
    }

    @Test
    void listsTheSettings() {
        GuliRun r = GuliRun.inProcess(Map.of(), "provision", "--help-settings");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("redis.nodeTimeout", "5000", "mysql.databases", "gulimall_ums,gulimall_pms");
    }
}
