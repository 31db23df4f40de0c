package io.github.guli.engine.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.GuliException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** The generated manifests, read back from their YAML text with SnakeYAML as an API server would get them. */
class ProvisionTest {
    static final ProvisionSecrets SECRETS = new ProvisionSecrets(
            "root-" + System.nanoTime() + "'\"",
            "repl-" + System.nanoTime(),
            "redis-" + System.nanoTime() + "\"\\",
            "cookie" + System.nanoTime(),
            "proxy-" + System.nanoTime() + ":#");

    static List<Map<String, Object>> parse(ProvisionResult r, boolean redact) {
        List<Map<String, Object>> all = new ArrayList<>();
        r.files(redact).forEach((file, yaml) -> {
            for (Object o : new Yaml().loadAll(yaml)) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) o;
                all.add(m);
            }
        });
        return all;
    }

    static ProvisionResult generate(Map<String, String> overrides) {
        return new Provision(ProvisionSettings.of(overrides), SECRETS).generate();
    }

    @SuppressWarnings("unchecked")
    static <T> T at(Object o, String... path) {
        for (String p : path) {
            o = o instanceof List<?> l ? l.get(Integer.parseInt(p)) : ((Map<String, Object>) o).get(p);
            if (o == null) {
                return null;
            }
        }
        return (T) o;
    }

    static Map<String, Object> find(List<Map<String, Object>> objs, String kind, String name) {
        return objs.stream()
                .filter(o -> kind.equals(o.get("kind")) && name.equals(at(o, "metadata", "name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    static List<Map<String, Object>> kind(List<Map<String, Object>> objs, String kind) {
        return objs.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    @Test
    void everyObjectParsesWithKindNameAndNamespace() {
        List<Map<String, Object>> objs = parse(generate(Map.of()), true);
        assertThat(objs).hasSize(35);
        Set<String> ids = new HashSet<>();
        for (Map<String, Object> o : objs) {
            assertThat(o).containsKeys("apiVersion", "kind", "metadata");
            assertThat(ids.add(o.get("kind") + "/" + at(o, "metadata", "name")))
                    .as("unique " + o.get("kind"))
                    .isTrue();
            if (!"Namespace".equals(o.get("kind"))) {
                assertThat((String) at(o, "metadata", "namespace")).isEqualTo("gulimall");
            }
        }
        assertThat(kind(objs, "StatefulSet"))
                .extracting(o -> at(o, "metadata", "name"))
                .containsExactly("mysql-master", "mysql-slave", "redis", "es-master", "es-data", "rabbitmq", "nacos");
        assertThat(kind(objs, "Job"))
                .extracting(o -> at(o, "metadata", "name"))
                .containsExactly("mysql-replication", "redis-cluster", "elasticsearch-cluster", "rabbitmq-cluster");
        assertThat(new ArrayList<>(generate(Map.of()).files(true).keySet()).subList(0, 3))
                .as("namespace, scripts and secrets before anything that uses them")
                .containsExactly("00-namespace.yaml", "01-formation-scripts.yaml", "02-secrets.yaml");
    }

    /** The course's stateful-service rules: ConfigMap config, PVC data, headless Service, resource limits. */
    @Test
    void statefulSetsFollowTheStatefulServiceRules() {
        List<Map<String, Object>> objs = parse(generate(Map.of()), true);
        for (Map<String, Object> set : kind(objs, "StatefulSet")) {
            String name = at(set, "metadata", "name");
            Map<String, Object> svc = find(objs, "Service", at(set, "spec", "serviceName"));
            assertThat((String) at(svc, "spec", "clusterIP"))
                    .as(name + "'s service is headless")
                    .isEqualTo("None");
            Map<String, Object> podLabels = at(set, "spec", "template", "metadata", "labels");
            Map<String, Object> selector = at(set, "spec", "selector", "matchLabels");
            assertThat(podLabels).as(name + " pods match its selector").containsAllEntriesOf(selector);
            assertThat(podLabels)
                    .as(name + " pods match its Service")
                    .containsAllEntriesOf(at(svc, "spec", "selector"));
            List<Object> claims = at(set, "spec", "volumeClaimTemplates");
            assertThat(claims).as(name + " keeps its data on a PVC").hasSize(1);
            assertThat((String) at(claims.get(0), "spec", "resources", "requests", "storage"))
                    .isNotBlank();
            List<Map<String, Object>> containers = at(set, "spec", "template", "spec", "containers");
            for (Map<String, Object> c : containers) {
                assertThat((Map<String, Object>) at(c, "resources", "limits"))
                        .as(name)
                        .containsKeys("cpu", "memory");
            }
            List<Map<String, Object>> volumes = at(set, "spec", "template", "spec", "volumes");
            for (Map<String, Object> v : volumes == null ? List.<Map<String, Object>>of() : volumes) {
                if (v.containsKey("configMap")) {
                    find(objs, "ConfigMap", at(v, "configMap", "name"));
                }
                if (v.containsKey("secret")) {
                    find(objs, "Secret", at(v, "secret", "secretName"));
                }
            }
        }
        for (String d : List.of("zipkin", "sentinel")) {
            Map<String, Object> dep = find(objs, "Deployment", d);
            assertThat((Map<String, Object>)
                            at(dep, "spec", "template", "spec", "containers", "0", "resources", "limits"))
                    .containsKeys("cpu", "memory");
        }
    }

    /** Each Job runs a script of the scripts ConfigMap, identical to the shared library's file, with variables it reads. */
    @Test
    void formationJobsRunTheLibraryScriptsWithVariablesTheyRead() throws Exception {
        List<Map<String, Object>> objs = parse(generate(Map.of()), true);
        Map<String, Object> scripts = at(find(objs, "ConfigMap", "guli-bootstrap-scripts"), "data");
        Path library = Path.of(System.getProperty("user.dir"))
                .resolveSibling("resources")
                .resolve("io/github/guli/bootstrap");
        for (String name : Provision.SCRIPTS) {
            assertThat((String) scripts.get(name)).as(name).isEqualTo(Files.readString(library.resolve(name)));
        }
        for (Map<String, Object> job : kind(objs, "Job")) {
            Map<String, Object> c = at(job, "spec", "template", "spec", "containers", "0");
            List<String> command = at(c, "command");
            assertThat(command.get(0)).isEqualTo("bash");
            String script = (String) scripts.get(command.get(1).replace("/scripts/", ""));
            assertThat(script).as(command.get(1)).isNotNull();
            List<Map<String, Object>> env = at(c, "env");
            for (Map<String, Object> e : env) {
                String var = (String) e.get("name");
                if (!var.equals("RABBITMQ_USE_LONGNAME")) { // read by rabbitmqctl, passed through
                    assertThat(script).as(command.get(1) + " reads " + var).contains(var);
                }
                assertThat(String.valueOf(e.get("value")))
                        .as("no secret in a Job's env")
                        .doesNotContain(SECRETS.mysqlRootPassword());
            }
            assertThat((String) at(job, "spec", "template", "spec", "restartPolicy"))
                    .isEqualTo("OnFailure");
        }
        Map<String, Object> mysqlJob = find(objs, "Job", "mysql-replication");
        assertThat(env(mysqlJob))
                .containsEntry("MYSQL_MASTER", "mysql-master-0.mysql-master.gulimall:3306")
                .containsEntry("MYSQL_SLAVES", "mysql-slave-0.mysql-slave.gulimall:3306")
                .containsEntry("MYSQL_ADMIN_PASSWORD_FILE", "/secrets/mysql/root-password");
        assertThat(env(find(objs, "Job", "redis-cluster")).get("REDIS_NODES").split(" "))
                .hasSize(6)
                .contains("redis-5.redis.gulimall:6379");
        assertThat(env(find(objs, "Job", "rabbitmq-cluster")))
                .containsEntry(
                        "RABBITMQ_NODES",
                        "rabbit@rabbitmq-0.rabbitmq.gulimall rabbit@rabbitmq-1.rabbitmq.gulimall rabbit@rabbitmq-2.rabbitmq.gulimall");
    }

    static Map<String, String> env(Map<String, Object> workload) {
        Map<String, String> m = new HashMap<>();
        List<Map<String, Object>> env = at(workload, "spec", "template", "spec", "containers", "0", "env");
        env.forEach(e -> m.put((String) e.get("name"), String.valueOf(e.get("value"))));
        return m;
    }

    @Test
    void theCourseSettingsAreTheDefaults() {
        List<Map<String, Object>> objs = parse(generate(Map.of()), true);
        String master = at(find(objs, "ConfigMap", "mysql-master-cnf"), "data", "my.cnf");
        String slave = at(find(objs, "ConfigMap", "mysql-slave-cnf"), "data", "my.cnf");
        assertThat(master)
                .contains(
                        "server_id=1\n",
                        "log-bin=mysql-bin\n",
                        "read-only=0\n",
                        "skip-name-resolve\n",
                        "binlog-do-db=gulimall_ums\n",
                        "binlog-do-db=gulimall_admin\n",
                        "replicate-ignore-db=performance_schema\n");
        assertThat(slave).contains("server_id=2\n", "read-only=1\n", "binlog-do-db=gulimall_oms\n");
        assertThat((String) at(find(objs, "ConfigMap", "redis-conf"), "data", "redis.conf"))
                .contains(
                        "cluster-enabled yes\n",
                        "cluster-node-timeout 5000\n",
                        "appendonly yes\n",
                        "include /secrets/redis/auth.conf");
        assertThat(env(find(objs, "StatefulSet", "es-data"))).containsEntry("ES_JAVA_OPTS", "-Xms300m -Xmx300m");
        Map<String, Object> es = at(find(objs, "ConfigMap", "es-config"), "data");
        assertThat((String) es.get("master.yml"))
                .contains(
                        "node.master: true\nnode.data: false\n",
                        "cluster.initial_master_nodes: [es-master-0, es-master-1, es-master-2]",
                        "discovery.seed_hosts: [es-master-0.es-master.gulimall:9300, es-master-1.es-master.gulimall:9300, es-master-2.es-master.gulimall:9300]");
        assertThat((String) es.get("data.yml"))
                .contains("node.master: false\nnode.data: true\n")
                .doesNotContain("initial_master_nodes");
        assertThat((int) at(find(objs, "StatefulSet", "redis"), "spec", "replicas"))
                .isEqualTo(6);
        assertThat((int) at(find(objs, "StatefulSet", "rabbitmq"), "spec", "replicas"))
                .isEqualTo(3);
        assertThat(env(find(objs, "Job", "rabbitmq-cluster")))
                .containsEntry("RABBITMQ_POLICY_NAME", "ha-all")
                .containsEntry("RABBITMQ_POLICY_DEFINITION", "{\"ha-mode\":\"all\",\"ha-sync-mode\":\"automatic\"}");
    }

    @Test
    void theApplicationsProductionConfigUsesTheProvisionedNames() {
        List<Map<String, Object>> objs = parse(generate(Map.of("namespace", "mall")), true);
        String props = at(find(objs, "ConfigMap", "gulimall-prod-config"), "data", "application-prod.properties");
        assertThat(props)
                .contains(
                        "spring.redis.host=redis.mall\n",
                        "spring.cloud.sentinel.transport.dashboard=sentinel-service.mall:8080\n",
                        "spring.cloud.nacos.discovery.server-addr=nacos-service.mall:8848\n",
                        "spring.zipkin.base-url=http://zipkin-service.mall:9411/\n",
                        "spring.datasource.url=jdbc:mysql://mysql-master.mall:3306/${guli.database}\n",
                        "spring.redis.cluster.nodes=redis-0.redis.mall:6379,");
        // every name it uses is a Service that is provisioned
        for (String svc : List.of(
                "redis",
                "sentinel-service",
                "nacos-service",
                "zipkin-service",
                "mysql-master",
                "elasticsearch",
                "rabbitmq")) {
            find(objs, "Service", svc);
        }
    }

    @Test
    void settingsOverrideTheDefaults() {
        List<Map<String, Object>> objs = parse(
                generate(Map.of(
                        "redis.nodes",
                        "9",
                        "redis.replicas",
                        "2",
                        "mysql.slaves",
                        "2",
                        "elasticsearch.heap",
                        "1g",
                        "storageClass",
                        "nfs-client")),
                true);
        assertThat((int) at(find(objs, "StatefulSet", "redis"), "spec", "replicas"))
                .isEqualTo(9);
        assertThat(env(find(objs, "Job", "redis-cluster"))).containsEntry("REDIS_REPLICAS", "2");
        assertThat(env(find(objs, "Job", "redis-cluster")).get("REDIS_NODES").split(" "))
                .hasSize(9);
        assertThat(env(find(objs, "Job", "mysql-replication")).get("MYSQL_SLAVES"))
                .isEqualTo("mysql-slave-0.mysql-slave.gulimall:3306 mysql-slave-1.mysql-slave.gulimall:3306");
        assertThat(env(find(objs, "StatefulSet", "es-master"))).containsEntry("ES_JAVA_OPTS", "-Xms1g -Xmx1g");
        assertThat((String) at(
                        find(objs, "StatefulSet", "rabbitmq"),
                        "spec",
                        "volumeClaimTemplates",
                        "0",
                        "spec",
                        "storageClassName"))
                .isEqualTo("nfs-client");
        // slaves get distinct server_ids from their ordinal
        assertThat((List<String>) at(
                        find(objs, "StatefulSet", "mysql-slave"),
                        "spec",
                        "template",
                        "spec",
                        "containers",
                        "0",
                        "command"))
                .last()
                .asString()
                .contains("--server-id=$((2 + ${HOSTNAME##*-}))");
    }

    @Test
    void badSettingsAreAllNamedAtOnce() {
        assertThatThrownBy(() ->
                        ProvisionSettings.of(Map.of("redis.node", "6", "mysql.memory", "lots", "redis.nodes", "5")))
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("unknown setting 'redis.node'")
                .hasMessageContaining("known settings: namespace, storageClass, mysql.image")
                .hasMessageContaining("mysql.memory='lots' is not a Kubernetes quantity");
        assertThatThrownBy(() -> ProvisionSettings.of(Map.of("redis.nodes", "5")))
                .hasMessageContaining(
                        "redis.nodes=5 cannot make at least 3 masters with 1 replica(s) each: use a multiple of 2, at least 6");
        assertThatThrownBy(() -> ProvisionSettings.of(Map.of("elasticsearch.masters", "2")))
                .hasMessageContaining("is even");
        assertThatThrownBy(() -> ProvisionSettings.of(Map.of("namespace", "Guli_Mall")))
                .hasMessageContaining("not a DNS label");
    }

    @Test
    void settingsWrittenUnquotedIntoConfigurationFilesMustBePlainNames() {
        assertThatThrownBy(() -> ProvisionSettings.of(Map.of(
                        "shardingsphere.shardingDatabases", "demo_ds_0,ds: {x}",
                        "shardingsphere.readwriteDatabase", "a b",
                        "redis.appendonly", "yes\nprotected-mode no",
                        "elasticsearch.clusterName", "es: [x]")))
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("shardingsphere.shardingDatabases: 'ds: {x}' is not a database name")
                .hasMessageContaining("shardingsphere.readwriteDatabase: 'a b' is not a database name")
                .hasMessageContaining("redis.appendonly must be yes or no")
                .hasMessageContaining("elasticsearch.clusterName='es: [x]' is not a cluster name");
        for (String setting : List.of(
                "shardingsphere.shardingDatabases",
                "shardingsphere.readwriteDatabase",
                "redis.appendonly",
                "elasticsearch.clusterName")) {
            assertThatThrownBy(() -> ProvisionSettings.of(Map.of(setting, "yes\nrequirepass other")))
                    .as(setting)
                    .isInstanceOf(GuliException.class)
                    .hasMessageContaining(setting);
        }
        assertThat(ProvisionSettings.of(Map.of(
                                "shardingsphere.shardingDatabases", "gulimall_oms_0,gulimall_oms_1",
                                "redis.appendonly", "no",
                                "elasticsearch.clusterName", "guli.es-1"))
                        .get("elasticsearch.clusterName"))
                .isEqualTo("guli.es-1");
    }

    @Test
    void secretsNeverReachTheDryRunOrWrittenFiles(@TempDir Path dir) throws Exception {
        ProvisionResult r = generate(Map.of());
        List<String> values = List.of(
                SECRETS.mysqlRootPassword(),
                SECRETS.mysqlReplicationPassword(),
                SECRETS.redisPassword(),
                SECRETS.rabbitmqErlangCookie(),
                SECRETS.shardingspherePassword());
        assertThat(r.dryRun()).doesNotContain(values).contains(ProvisionResult.REDACTED);
        List<Path> written = r.writeWithoutSecrets(dir);
        assertThat(written)
                .extracting(p -> p.getFileName().toString())
                .doesNotContain("02-secrets.yaml")
                .contains("mysql.yaml");
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                assertThat(Files.readString(p)).as(p.toString()).doesNotContain(values);
            }
        }
        // for the applier, the Secrets carry them
        Map<String, Object> mysql = find(parse(r, false), "Secret", "mysql-secret");
        assertThat((Map<String, Object>) at(mysql, "stringData"))
                .containsEntry("root-password", SECRETS.mysqlRootPassword());
        String auth = at(find(parse(r, false), "Secret", "redis-secret"), "stringData", "auth.conf");
        assertThat(auth).startsWith("requirepass \"redis-").contains("\\\"\\\\\"\nmasterauth ");
        assertThat(SECRETS.toString()).doesNotContain(values);
        ProvisionResult none = new Provision(ProvisionSettings.of(Map.of()), ProvisionSecrets.none()).generate();
        assertThat(none.dryRun()).contains(ProvisionResult.REDACTED);
        assertThatThrownBy(() -> none.files(false))
                .hasMessageContaining("Secret mysql-secret has no value for root-password");
        assertThatThrownBy(() -> ProvisionSecrets.none().requireAll("A", "B", "C", "D", "E"))
                .hasMessageContaining("missing: A, B, C, D, E");
    }

    /** The course's config-sharding.yaml and config-readwrite-splitting.yaml, read with the node API (they use tags). */
    @Test
    void shardingSphereConfigsComeFromTheParametersAndCredentials() {
        Map<String, Object> secret =
                find(parse(generate(Map.of("mysql.slaves", "2")), false), "Secret", "shardingsphere-config");
        String sharding = at(secret, "stringData", "config-sharding.yaml");
        String rw = at(secret, "stringData", "config-readwrite-splitting.yaml");
        String server = at(secret, "stringData", "server.yaml");
        MappingNode s = (MappingNode) new Yaml(new LoaderOptions()).compose(new StringReader(sharding));
        assertThat(scalar(s, "databaseName")).isEqualTo("sharding_db");
        assertThat(scalar(s, "dataSources", "ds_0", "url"))
                .isEqualTo(
                        "jdbc:mysql://mysql-master-0.mysql-master.gulimall:3306/demo_ds_0?serverTimezone=UTC&useSSL=false");
        assertThat(scalar(s, "dataSources", "ds_1", "password")).isEqualTo(SECRETS.mysqlRootPassword());
        Node rule = ((SequenceNode) child(s, "rules")).getValue().get(0);
        assertThat(rule.getTag().getValue()).isEqualTo("!SHARDING");
        assertThat(scalar(rule, "tables", "t_order", "actualDataNodes")).isEqualTo("ds_${0..1}.t_order_${0..1}");
        assertThat(scalar(rule, "shardingAlgorithms", "database_inline", "props", "algorithm-expression"))
                .isEqualTo("ds_${user_id % 2}");

        MappingNode r = (MappingNode) new Yaml(new LoaderOptions()).compose(new StringReader(rw));
        Node rwRule = ((SequenceNode) child(r, "rules")).getValue().get(0);
        assertThat(rwRule.getTag().getValue()).isEqualTo("!READWRITE_SPLITTING");
        assertThat(scalar(r, "dataSources", "write_ds", "url"))
                .startsWith("jdbc:mysql://mysql-master-0.mysql-master.gulimall:3306/demo_ds_0");
        assertThat(scalar(r, "dataSources", "read_ds_2", "url"))
                .startsWith("jdbc:mysql://mysql-slave-1.mysql-slave.gulimall:3306/demo_ds_0");
        SequenceNode reads =
                (SequenceNode) child(rwRule, "dataSources", "readwrite_ds", "staticStrategy", "readDataSourceNames");
        assertThat(reads.getValue())
                .extracting(n -> ((ScalarNode) n).getValue())
                .containsExactly("read_ds_0", "read_ds_1", "read_ds_2");

        Map<String, Object> serverYaml = new Yaml().load(server);
        assertThat((String) at(serverYaml, "authority", "users", "0", "password"))
                .isEqualTo(SECRETS.shardingspherePassword());
        assertThat((String) at(serverYaml, "authority", "users", "0", "user")).isEqualTo("sharding@%");
    }

    /** Passwords go into YAML and redis.conf double-quoted: a line break in one reads back as it was given. */
    @Test
    void passwordsWithLineBreaksReadBackUnchanged() {
        ProvisionSecrets secrets = new ProvisionSecrets("root\r\nend", "repl", "redis\rend", "cookie", "proxy\rend");
        List<Map<String, Object>> objs =
                parse(new Provision(ProvisionSettings.of(Map.of()), secrets).generate(), false);
        Map<String, Object> sharding = at(find(objs, "Secret", "shardingsphere-config"), "stringData");
        assertThat((String) at(
                        new Yaml().load((String) sharding.get("server.yaml")), "authority", "users", "0", "password"))
                .isEqualTo("proxy\rend");
        Node shardingYaml =
                new Yaml(new LoaderOptions()).compose(new StringReader((String) sharding.get("config-sharding.yaml")));
        assertThat(scalar(shardingYaml, "dataSources", "ds_0", "password")).isEqualTo("root\r\nend");
        assertThat((String) at(find(objs, "Secret", "redis-secret"), "stringData", "auth.conf"))
                .isEqualTo("requirepass \"redis\\rend\"\nmasterauth \"redis\\rend\"\n");
    }

    static Node child(Node n, String... path) {
        for (String p : path) {
            Node found = null;
            for (NodeTuple t : ((MappingNode) n).getValue()) {
                if (((ScalarNode) t.getKeyNode()).getValue().equals(p)) {
                    found = t.getValueNode();
                }
            }
            if (found == null) {
                throw new AssertionError("no " + p);
            }
            n = found;
        }
        return n;
    }

    static String scalar(Node n, String... path) {
        return ((ScalarNode) child(n, path)).getValue();
    }
}
