package io.github.guli.engine.provision;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every generated file, byte for byte, against a copy kept under test resources: the course's defaults, a set that
 * changes every setting that shapes the output, and one with empty lists. Run with
 * {@code -Dguli.provision.writeGolden=true} to rewrite the copies after an intended change, then review the diff.
 * The formation scripts' text is the shared library's (ProvisionTest compares it), so here it stands as its name.
 */
class ProvisionGoldenTest {
    /** Fixed values, with the characters that must be quoted in YAML, redis.conf and ShardingSphere's files. */
    static final ProvisionSecrets SECRETS =
            new ProvisionSecrets("root'\"pw\\#", "repl-pw", "redis\"\\pw\n2", "cookie", "proxy: #pw\ttab");

    static final Path GOLDEN = Path.of("src/test/resources/io/github/guli/engine/provision/golden");

    static Stream<Object[]> settings() {
        Map<String, String> changed = new TreeMap<>();
        changed.putAll(Map.of(
                "namespace", "mall",
                "storageClass", "nfs-client",
                "mysql.slaves", "2",
                "mysql.databases", "gulimall_oms, gulimall_wms",
                "mysql.replicationUser", "repl",
                "mysql.image", "mysql:8.0",
                "redis.nodes", "9",
                "redis.replicas", "2",
                "redis.nodeTimeout", "3000",
                "redis.appendonly", "no"));
        changed.putAll(Map.of(
                "elasticsearch.heap", "1g",
                "elasticsearch.masters", "5",
                "elasticsearch.dataNodes", "2",
                "elasticsearch.clusterName", "mall-es",
                "rabbitmq.nodes", "2",
                "rabbitmq.nodeType", "ram",
                "sentinel.containerPort", "8080",
                "mysql.cpu", "1500m",
                "redis.memory", "1Gi"));
        changed.putAll(Map.of(
                "shardingsphere.user", "proxy\"user",
                "shardingsphere.shardingDatabases", "a_0,a_1,a_2",
                "shardingsphere.readwriteDatabase", "rw_db",
                "shardingsphere.readFromMaster", "false",
                "nacos.storage", "2Gi",
                "zipkin.image", "openzipkin/zipkin:2.24"));
        Map<String, String> empty = Map.of(
                "mysql.databases", "",
                "shardingsphere.shardingDatabases", "only_one",
                "shardingsphere.readFromMaster", "false",
                "mysql.slaves", "1");
        return Stream.of(new Object[] {"defaults", Map.of()}, new Object[] {"changed", changed}, new Object[] {
            "empty-lists", empty
        });
    }

    @SuppressWarnings("unchecked")
    static ProvisionResult withoutScriptBodies(ProvisionResult r) {
        List<MiddlewareObject> docs = new ArrayList<>();
        for (MiddlewareObject d : r.docs()) {
            if (d.name().equals(Workloads.SCRIPTS_CONFIGMAP)) {
                Map<String, Object> object = new LinkedHashMap<>(d.object());
                Map<String, Object> data = new LinkedHashMap<>((Map<String, Object>) object.get("data"));
                data.replaceAll((script, text) -> "the text of " + script + "\n");
                object.put("data", data);
                d = new MiddlewareObject(d.file(), d.kind(), d.name(), object, d.secret());
            }
            docs.add(d);
        }
        return new ProvisionResult(docs);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void everyFileIsWhatItWas(String name, Map<String, String> overrides) throws IOException {
        ProvisionResult r = withoutScriptBodies(new Provision(ProvisionSettings.of(overrides), SECRETS).generate());
        Map<String, String> files = new TreeMap<>(r.files(false));
        files.put("02-secrets-redacted.yaml", r.files(true).get(Provision.SECRETS_FILE));
        files.put("summary.txt", r.summary() + "\n");
        Path dir = GOLDEN.resolve(name);
        if (Boolean.getBoolean("guli.provision.writeGolden")) {
            Files.createDirectories(dir);
            for (Map.Entry<String, String> f : files.entrySet()) {
                Files.writeString(dir.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
            }
        }
        try (Stream<Path> kept = Files.list(dir)) {
            assertThat(kept.map(p -> p.getFileName().toString()).sorted())
                    .as("the files of " + name)
                    .containsExactlyElementsOf(files.keySet());
        }
        for (Map.Entry<String, String> f : files.entrySet()) {
            assertThat(f.getValue())
                    .as(name + "/" + f.getKey())
                    .isEqualTo(Files.readString(dir.resolve(f.getKey()), StandardCharsets.UTF_8));
        }
    }
}
