package io.github.guli.engine.provision;

import static io.github.guli.engine.provision.KubeMaps.claim;
import static io.github.guli.engine.provision.KubeMaps.configMapVolume;
import static io.github.guli.engine.provision.KubeMaps.env;
import static io.github.guli.engine.provision.KubeMaps.headless;
import static io.github.guli.engine.provision.KubeMaps.list;
import static io.github.guli.engine.provision.KubeMaps.map;
import static io.github.guli.engine.provision.KubeMaps.meta;
import static io.github.guli.engine.provision.KubeMaps.mount;
import static io.github.guli.engine.provision.KubeMaps.object;
import static io.github.guli.engine.provision.KubeMaps.port;
import static io.github.guli.engine.provision.KubeMaps.resources;
import static io.github.guli.engine.provision.KubeMaps.secretVolume;

import io.github.guli.engine.GuliException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The middleware of the course's "有状态服务" chapter as Kubernetes objects: for MySQL master/slaves, Redis Cluster,
 * Elasticsearch, RabbitMQ and Nacos a StatefulSet with its configuration in a ConfigMap, its data on PVCs
 * (volumeClaimTemplates), a headless Service for stable DNS names and resource limits; Zipkin and Sentinel (no
 * state) as Deployments; a formation Job per clustered middleware running the script from resources/; the
 * application's production settings as a ConfigMap; the ShardingSphere-Proxy configuration as a Secret.
 */
public final class Provision {
    /** The formation scripts, shipped in the engine jar from the shared library's resources/. */
    public static final List<String> SCRIPTS =
            List.of("mysql-replication.sh", "redis-cluster.sh", "elasticsearch-cluster.sh", "rabbitmq-cluster.sh");

    static final String SCRIPTS_CONFIGMAP = "guli-bootstrap-scripts";
    static final String SECRETS_FILE = "02-secrets.yaml";

    private final ProvisionSettings s;
    private final ProvisionSecrets secrets;
    private final String ns;
    private final String storageClass;
    private final List<MiddlewareObject> docs = new ArrayList<>();

    public Provision(ProvisionSettings settings, ProvisionSecrets secrets) {
        this.s = settings;
        this.secrets = secrets;
        this.ns = settings.get("namespace");
        this.storageClass = settings.get("storageClass");
    }

    public ProvisionResult generate() {
        docs.clear();
        add("00-namespace.yaml", object("v1", "Namespace", map("name", ns)));
        Map<String, Object> scripts = new LinkedHashMap<>();
        for (String name : SCRIPTS) {
            scripts.put(name, script(name));
        }
        add(
                "01-formation-scripts.yaml",
                object("v1", "ConfigMap", meta(SCRIPTS_CONFIGMAP, ns, "guli-bootstrap"), "data", scripts));
        secrets();
        mysql();
        redis();
        elasticsearch();
        rabbitmq();
        nacos();
        zipkin();
        sentinel();
        applicationConfig();
        return new ProvisionResult(List.copyOf(docs));
    }

    public static String script(String name) {
        try (InputStream in = Provision.class.getResourceAsStream("/io/github/guli/bootstrap/" + name)) {
            if (in == null) {
                throw new GuliException("the formation script " + name + " is missing from the engine jar: rebuild it");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new GuliException("cannot read the formation script " + name + ": " + e.getMessage());
        }
    }

    /** Every Secret first, so that no pod waits for one; one file, which is never written to disk. */
    private void secrets() {
        secret(
                "mysql-secret",
                "mysql",
                "root-password",
                secrets.mysqlRootPassword(),
                "replication-password",
                secrets.mysqlReplicationPassword());
        String pw = secrets.redisPassword();
        // redis.conf includes this file: requirepass for clients, masterauth for replicas syncing from masters
        secret(
                "redis-secret",
                "redis",
                "password",
                pw,
                "auth.conf",
                pw == null ? null : "requirepass " + Yamls.quote(pw) + "\nmasterauth " + Yamls.quote(pw) + "\n");
        secret("rabbitmq-secret", "rabbitmq", "erlang-cookie", secrets.rabbitmqErlangCookie());
        String root = secrets.mysqlRootPassword();
        String proxy = secrets.shardingspherePassword();
        secret(
                "shardingsphere-config",
                "shardingsphere",
                "server.yaml",
                proxy == null ? null : serverYaml(proxy),
                "config-sharding.yaml",
                root == null ? null : shardingYaml(root),
                "config-readwrite-splitting.yaml",
                root == null ? null : readwriteYaml(root));
    }

    // ---------------------------------------------------------------- MySQL

    private void mysql() {
        String f = "mysql.yaml";
        add(
                f,
                object(
                        "v1",
                        "ConfigMap",
                        meta("mysql-master-cnf", ns, "mysql-master"),
                        "data",
                        map("my.cnf", myCnf(1, false))));
        add(
                f,
                object(
                        "v1",
                        "ConfigMap",
                        meta("mysql-slave-cnf", ns, "mysql-slave"),
                        "data",
                        map("my.cnf", myCnf(2, true))));
        add(f, headless("mysql-master", ns, "mysql-master", map("app", "mysql-master"), "mysql", 3306));
        add(f, headless("mysql-slave", ns, "mysql-slave", map("app", "mysql-slave"), "mysql", 3306));
        add(f, mysqlSet("mysql-master", "mysql-master-cnf", 1, "1"));
        // each slave its own server_id (2, 3, ...) from its ordinal: one ConfigMap cannot give distinct ones
        add(f, mysqlSet("mysql-slave", "mysql-slave-cnf", s.number("mysql.slaves"), "$((2 + ${HOSTNAME##*-}))"));
        add(
                f,
                job(
                        "mysql-replication",
                        s.get("mysql.image"),
                        "mysql-replication.sh",
                        "mysql-secret",
                        "/secrets/mysql",
                        list(
                                env("MYSQL_MASTER", "mysql-master-0.mysql-master." + ns + ":3306"),
                                env(
                                        "MYSQL_SLAVES",
                                        pods("mysql-slave", s.number("mysql.slaves"), "mysql-slave", ":3306", " ")),
                                env("MYSQL_ADMIN_USER", "root"),
                                env("MYSQL_ADMIN_PASSWORD_FILE", "/secrets/mysql/root-password"),
                                env("MYSQL_REPL_USER", s.get("mysql.replicationUser")),
                                env("MYSQL_REPL_PASSWORD_FILE", "/secrets/mysql/replication-password"),
                                env("MYSQL_WAIT_SECONDS", 600))));
    }

    /** The course's my.cnf of master (server_id=1, read-only=0) and slave (server_id=2, read-only=1). */
    String myCnf(int serverId, boolean slave) {
        StringBuilder b = new StringBuilder();
        b.append("[client]\ndefault-character-set=utf8mb4\n\n[mysql]\ndefault-character-set=utf8mb4\n\n[mysqld]\n");
        b.append("character-set-server=utf8mb4\ncollation-server=utf8mb4_unicode_ci\n");
        b.append("skip-character-set-client-handshake\n");
        b.append("# without it every connection waits for a reverse DNS lookup\nskip-name-resolve\n\n");
        b.append("server_id=").append(serverId).append('\n');
        b.append("log-bin=mysql-bin\n");
        b.append("read-only=").append(slave ? 1 : 0).append('\n');
        for (String db : s.list("mysql.databases")) {
            b.append("binlog-do-db=").append(db).append('\n');
        }
        b.append('\n');
        for (String db : List.of("mysql", "sys", "information_schema", "performance_schema")) {
            b.append("replicate-ignore-db=").append(db).append('\n');
        }
        return b.toString();
    }

    private Map<String, Object> mysqlSet(String name, String cnf, int replicas, String serverId) {
        Map<String, Object> container = map(
                "name",
                "mysql",
                "image",
                s.get("mysql.image"),
                "command",
                list("bash", "-c", "exec docker-entrypoint.sh mysqld --server-id=" + serverId),
                "env",
                list(env("MYSQL_ROOT_PASSWORD_FILE", "/secrets/mysql/root-password")),
                "ports",
                list(port("mysql", 3306)),
                "readinessProbe",
                map("tcpSocket", map("port", 3306), "initialDelaySeconds", 10, "periodSeconds", 5),
                "resources",
                resources(s.get("mysql.cpu"), s.get("mysql.memory")),
                "volumeMounts",
                list(
                        mount("data", "/var/lib/mysql"),
                        mount("cnf", "/etc/mysql/conf.d"),
                        mount("secret", "/secrets/mysql")));
        return statefulSet(
                name,
                name,
                replicas,
                container,
                list(configMapVolume("cnf", cnf), secretVolume("secret", "mysql-secret")),
                null,
                list(claim("data", s.get("mysql.storage"), storageClass)));
    }

    // ---------------------------------------------------------------- Redis

    private void redis() {
        String f = "redis.yaml";
        int nodes = s.number("redis.nodes");
        add(
                f,
                object(
                        "v1",
                        "ConfigMap",
                        meta("redis-conf", ns, "redis"),
                        "data",
                        map(
                                "redis.conf",
                                String.join(
                                        "\n",
                                        "port 6379",
                                        "cluster-enabled yes",
                                        "cluster-config-file /data/nodes.conf",
                                        "cluster-node-timeout " + s.get("redis.nodeTimeout"),
                                        "appendonly " + s.get("redis.appendonly"),
                                        "dir /data",
                                        "# requirepass and masterauth, from the redis-secret Secret",
                                        "include /secrets/redis/auth.conf",
                                        ""))));
        add(f, headless("redis", ns, "redis", map("app", "redis"), "redis", 6379, "cluster-bus", 16379));
        Map<String, Object> container = map(
                "name",
                "redis",
                "image",
                s.get("redis.image"),
                "command",
                list("redis-server", "/etc/redis/redis.conf"),
                "ports",
                list(port("redis", 6379), port("cluster-bus", 16379)),
                "readinessProbe",
                map("tcpSocket", map("port", 6379), "periodSeconds", 5),
                "resources",
                resources(s.get("redis.cpu"), s.get("redis.memory")),
                "volumeMounts",
                list(mount("data", "/data"), mount("conf", "/etc/redis"), mount("secret", "/secrets/redis")));
        add(
                f,
                statefulSet(
                        "redis",
                        "redis",
                        nodes,
                        container,
                        list(configMapVolume("conf", "redis-conf"), secretVolume("secret", "redis-secret")),
                        null,
                        list(claim("data", s.get("redis.storage"), storageClass))));
        add(
                f,
                job(
                        "redis-cluster",
                        s.get("redis.image"),
                        "redis-cluster.sh",
                        "redis-secret",
                        "/secrets/redis",
                        list(
                                env("REDIS_NODES", pods("redis", nodes, "redis", ":6379", " ")),
                                env("REDIS_REPLICAS", s.get("redis.replicas")),
                                env("REDIS_PASSWORD_FILE", "/secrets/redis/password"),
                                env("REDIS_WAIT_SECONDS", 600))));
    }

    // ---------------------------------------------------------------- Elasticsearch

    private void elasticsearch() {
        String f = "elasticsearch.yaml";
        int masters = s.number("elasticsearch.masters");
        String seeds = pods("es-master", masters, "es-master", ":9300", ", ");
        String initial =
                IntStream.range(0, masters).mapToObj(i -> "es-master-" + i).collect(Collectors.joining(", "));
        String common = "cluster.name: " + s.get("elasticsearch.clusterName") + "\n"
                + "node.name: ${HOSTNAME}\n"
                + "network.host: 0.0.0.0\n"
                + "http.port: 9200\n"
                + "transport.port: 9300\n"
                + "discovery.seed_hosts: [" + seeds + "]\n";
        add(
                f,
                object(
                        "v1",
                        "ConfigMap",
                        meta("es-config", ns, "elasticsearch"),
                        "data",
                        map(
                                "master.yml",
                                        common + "node.master: true\nnode.data: false\n"
                                                // every master-eligible node names all of them: the course named one
                                                // IP, which cannot
                                                // bootstrap a quorum of three
                                                + "cluster.initial_master_nodes: [" + initial + "]\n",
                                "data.yml", common + "node.master: false\nnode.data: true\n")));
        add(
                f,
                headless(
                        "es-master",
                        ns,
                        "elasticsearch",
                        map("app", "elasticsearch", "role", "master"),
                        "transport",
                        9300));
        add(
                f,
                headless(
                        "es-data",
                        ns,
                        "elasticsearch",
                        map("app", "elasticsearch", "role", "data"),
                        "http",
                        9200,
                        "transport",
                        9300));
        add(
                f,
                object(
                        "v1",
                        "Service",
                        meta("elasticsearch", ns, "elasticsearch"),
                        "spec",
                        map(
                                "selector", map("app", "elasticsearch", "role", "data"),
                                "ports", list(map("name", "http", "port", 9200, "targetPort", 9200)))));
        add(f, esSet("es-master", "master", masters, "1Gi"));
        add(f, esSet("es-data", "data", s.number("elasticsearch.dataNodes"), s.get("elasticsearch.storage")));
        add(
                f,
                job(
                        "elasticsearch-cluster",
                        s.get("elasticsearch.image"),
                        "elasticsearch-cluster.sh",
                        null,
                        null,
                        list(
                                env("ES_URL", "http://elasticsearch." + ns + ":9200"),
                                env("ES_MASTER_NODES", masters),
                                env("ES_DATA_NODES", s.get("elasticsearch.dataNodes")),
                                env("ES_WAIT_SECONDS", 600))));
    }

    private Map<String, Object> esSet(String name, String role, int replicas, String storage) {
        String heap = s.get("elasticsearch.heap");
        Map<String, Object> container = map(
                "name",
                "elasticsearch",
                "image",
                s.get("elasticsearch.image"),
                "env",
                list(env("ES_JAVA_OPTS", "-Xms" + heap + " -Xmx" + heap)),
                "ports",
                list(port("http", 9200), port("transport", 9300)),
                "readinessProbe",
                map("tcpSocket", map("port", 9300), "periodSeconds", 10),
                "resources",
                resources(s.get("elasticsearch.cpu"), s.get("elasticsearch.memory")),
                "volumeMounts",
                list(
                        mount("data", "/usr/share/elasticsearch/data"),
                        mount("config", "/usr/share/elasticsearch/config/elasticsearch.yml", role + ".yml")));
        // Elasticsearch refuses to start below vm.max_map_count 262144 (the course set it on the host by hand)
        Map<String, Object> sysctl = map(
                "name",
                "max-map-count",
                "image",
                "busybox:1.36",
                "command",
                list("sysctl", "-w", "vm.max_map_count=262144"),
                "securityContext",
                map("privileged", true));
        Map<String, Object> set = statefulSet(
                name,
                name,
                replicas,
                container,
                list(configMapVolume("config", "es-config")),
                list(sysctl),
                list(claim("data", storage, storageClass)));
        podLabels(set).put("role", role);
        selector(set).put("role", role);
        podSpec(set).put("securityContext", map("fsGroup", 1000));
        return set;
    }

    // ---------------------------------------------------------------- RabbitMQ

    private void rabbitmq() {
        String f = "rabbitmq.yaml";
        int nodes = s.number("rabbitmq.nodes");
        add(
                f,
                object(
                        "v1",
                        "ConfigMap",
                        meta("rabbitmq-config", ns, "rabbitmq"),
                        "data",
                        map(
                                "enabled_plugins", "[rabbitmq_management].\n",
                                // a three-node cluster split by the network: the minority side pauses instead of
                                // diverging
                                "rabbitmq.conf", "cluster_partition_handling = pause_minority\n")));
        add(
                f,
                headless(
                        "rabbitmq",
                        ns,
                        "rabbitmq",
                        map("app", "rabbitmq"),
                        "amqp",
                        5672,
                        "management",
                        15672,
                        "epmd",
                        4369,
                        "dist",
                        25672));
        Map<String, Object> container = map(
                "name",
                "rabbitmq",
                "image",
                s.get("rabbitmq.image"),
                "env",
                list(
                        map("name", "POD_NAME", "valueFrom", map("fieldRef", map("fieldPath", "metadata.name"))),
                        env("RABBITMQ_USE_LONGNAME", "true"),
                        env("RABBITMQ_NODENAME", "rabbit@$(POD_NAME).rabbitmq." + ns),
                        env("RABBITMQ_CONFIG_FILE", "/etc/rabbitmq/conf.d/rabbitmq"),
                        env("RABBITMQ_ENABLED_PLUGINS_FILE", "/etc/rabbitmq/conf.d/enabled_plugins")),
                "ports",
                list(port("amqp", 5672), port("management", 15672), port("epmd", 4369), port("dist", 25672)),
                "readinessProbe",
                map("tcpSocket", map("port", 5672), "periodSeconds", 10),
                "resources",
                resources(s.get("rabbitmq.cpu"), s.get("rabbitmq.memory")),
                "volumeMounts",
                list(mount("data", "/var/lib/rabbitmq"), mount("config", "/etc/rabbitmq/conf.d")));
        // the cookie must be owned by the rabbitmq user and readable by it alone: a Secret mount cannot do both
        Map<String, Object> cookie = map(
                "name",
                "erlang-cookie",
                "image",
                s.get("rabbitmq.image"),
                "command",
                list(
                        "sh",
                        "-c",
                        "cp /secrets/rabbitmq/erlang-cookie /var/lib/rabbitmq/.erlang.cookie"
                                + " && chown 999:999 /var/lib/rabbitmq/.erlang.cookie && chmod 400 /var/lib/rabbitmq/.erlang.cookie"),
                "volumeMounts",
                list(mount("data", "/var/lib/rabbitmq"), mount("secret", "/secrets/rabbitmq")));
        add(
                f,
                statefulSet(
                        "rabbitmq",
                        "rabbitmq",
                        nodes,
                        container,
                        list(configMapVolume("config", "rabbitmq-config"), secretVolume("secret", "rabbitmq-secret")),
                        list(cookie),
                        list(claim("data", s.get("rabbitmq.storage"), storageClass))));
        add(
                f,
                job(
                        "rabbitmq-cluster",
                        s.get("rabbitmq.image"),
                        "rabbitmq-cluster.sh",
                        "rabbitmq-secret",
                        "/secrets/rabbitmq",
                        list(
                                env(
                                        "RABBITMQ_NODES",
                                        IntStream.range(0, nodes)
                                                .mapToObj(i -> "rabbit@rabbitmq-" + i + ".rabbitmq." + ns)
                                                .collect(Collectors.joining(" "))),
                                env("RABBITMQ_ERLANG_COOKIE_FILE", "/secrets/rabbitmq/erlang-cookie"),
                                env("RABBITMQ_USE_LONGNAME", "true"),
                                env("RABBITMQ_NODE_TYPE", s.get("rabbitmq.nodeType")),
                                env("RABBITMQ_POLICY_NAME", s.get("rabbitmq.policyName")),
                                env("RABBITMQ_POLICY_PATTERN", s.get("rabbitmq.policyPattern")),
                                env("RABBITMQ_POLICY_DEFINITION", s.get("rabbitmq.policyDefinition")),
                                env("RABBITMQ_WAIT_SECONDS", 600))));
    }

    // ---------------------------------------------------------------- Nacos, Zipkin, Sentinel

    private void nacos() {
        String f = "nacos.yaml";
        add(f, headless("nacos-service", ns, "nacos", map("app", "nacos"), "http", 8848));
        Map<String, Object> container = map(
                "name",
                "nacos",
                "image",
                s.get("nacos.image"),
                "env",
                list(env("MODE", "standalone")),
                "ports",
                list(port("http", 8848)),
                "readinessProbe",
                map("tcpSocket", map("port", 8848), "periodSeconds", 10),
                "resources",
                resources(s.get("nacos.cpu"), s.get("nacos.memory")),
                "volumeMounts",
                list(mount("data", "/home/nacos/data")));
        add(
                f,
                statefulSet(
                        "nacos",
                        "nacos-service",
                        1,
                        container,
                        list(),
                        null,
                        list(claim("data", s.get("nacos.storage"), storageClass))));
    }

    private void zipkin() {
        String f = "zipkin.yaml";
        add(f, service("zipkin-service", "zipkin", 9411, 9411));
        add(
                f,
                deployment(
                        "zipkin",
                        map(
                                "name",
                                "zipkin",
                                "image",
                                s.get("zipkin.image"),
                                "ports",
                                list(port("http", 9411)),
                                "readinessProbe",
                                map("tcpSocket", map("port", 9411), "periodSeconds", 10),
                                "resources",
                                resources(s.get("zipkin.cpu"), s.get("zipkin.memory")))));
    }

    private void sentinel() {
        String f = "sentinel.yaml";
        int p = s.number("sentinel.containerPort");
        add(f, service("sentinel-service", "sentinel", 8080, p));
        add(
                f,
                deployment(
                        "sentinel",
                        map(
                                "name",
                                "sentinel",
                                "image",
                                s.get("sentinel.image"),
                                "ports",
                                list(port("http", p)),
                                "readinessProbe",
                                map("tcpSocket", map("port", p), "periodSeconds", 10),
                                "resources",
                                resources(s.get("sentinel.cpu"), s.get("sentinel.memory")))));
    }

    // ---------------------------------------------------------------- application and ShardingSphere

    /** The course's production settings, with the names provisioned above. */
    String applicationProperties() {
        return String.join(
                "\n",
                "spring.redis.host=redis." + ns,
                "spring.redis.cluster.nodes=" + pods("redis", s.number("redis.nodes"), "redis", ":6379", ","),
                "spring.cloud.sentinel.transport.dashboard=sentinel-service." + ns + ":8080",
                "spring.cloud.nacos.discovery.server-addr=nacos-service." + ns + ":8848",
                "spring.cloud.nacos.config.server-addr=nacos-service." + ns + ":8848",
                "spring.zipkin.base-url=http://zipkin-service." + ns + ":9411/",
                "# each service names its database: guli.database=gulimall_oms (or env GULI_DATABASE)",
                "spring.datasource.url=jdbc:mysql://mysql-master." + ns + ":3306/${guli.database}",
                "spring.rabbitmq.addresses=" + pods("rabbitmq", s.number("rabbitmq.nodes"), "rabbitmq", ":5672", ","),
                "spring.elasticsearch.rest.uris=http://elasticsearch." + ns + ":9200",
                "");
    }

    private void applicationConfig() {
        add(
                "gulimall-prod-config.yaml",
                object(
                        "v1",
                        "ConfigMap",
                        meta("gulimall-prod-config", ns, "gulimall"),
                        "data",
                        map("application-prod.properties", applicationProperties())));
    }

    String serverYaml(String password) {
        return "authority:\n  users:\n    - user: " + Yamls.quote(s.get("shardingsphere.user") + "@%")
                + "\n      password: " + Yamls.quote(password)
                + "\n  privilege:\n    type: ALL_PERMITTED\n\nprops:\n  sql-show: false\n";
    }

    private String dataSource(String name, String host, String db, String password) {
        return "  " + name + ":\n"
                + "    url: jdbc:mysql://" + host + ":3306/" + db + "?serverTimezone=UTC&useSSL=false\n"
                + "    username: root\n"
                + "    password: " + Yamls.quote(password) + "\n"
                + "    connectionTimeoutMilliseconds: 30000\n"
                + "    idleTimeoutMilliseconds: 60000\n"
                + "    maxLifetimeMilliseconds: 1800000\n"
                + "    maxPoolSize: 50\n"
                + "    minPoolSize: 1\n";
    }

    String shardingYaml(String password) {
        List<String> dbs = s.list("shardingsphere.shardingDatabases");
        String master = "mysql-master-0.mysql-master." + ns;
        StringBuilder b = new StringBuilder("databaseName: sharding_db\n\ndataSources:\n");
        for (int i = 0; i < dbs.size(); i++) {
            b.append(dataSource("ds_" + i, master, dbs.get(i), password));
        }
        int n = dbs.size();
        String range = "${0.." + (n - 1) + "}";
        return b.append("\nrules:\n- !SHARDING\n  tables:\n")
                .append("    t_order:\n      actualDataNodes: ds_")
                .append(range)
                .append(".t_order_${0..1}\n")
                .append(
                        "      tableStrategy:\n        standard:\n          shardingColumn: order_id\n          shardingAlgorithmName: t_order_inline\n")
                .append("      keyGenerateStrategy:\n        column: order_id\n        keyGeneratorName: snowflake\n")
                .append("    t_order_item:\n      actualDataNodes: ds_")
                .append(range)
                .append(".t_order_item_${0..1}\n")
                .append(
                        "      tableStrategy:\n        standard:\n          shardingColumn: order_id\n          shardingAlgorithmName: t_order_item_inline\n")
                .append(
                        "      keyGenerateStrategy:\n        column: order_item_id\n        keyGeneratorName: snowflake\n")
                .append("  bindingTables:\n    - t_order,t_order_item\n")
                .append(
                        "  defaultDatabaseStrategy:\n    standard:\n      shardingColumn: user_id\n      shardingAlgorithmName: database_inline\n")
                .append("  defaultTableStrategy:\n    none:\n")
                .append("  shardingAlgorithms:\n")
                .append(
                        "    database_inline:\n      type: INLINE\n      props:\n        algorithm-expression: ds_${user_id % ")
                .append(n)
                .append("}\n")
                .append(
                        "    t_order_inline:\n      type: INLINE\n      props:\n        algorithm-expression: t_order_${order_id % 2}\n")
                .append(
                        "    t_order_item_inline:\n      type: INLINE\n      props:\n        algorithm-expression: t_order_item_${order_id % 2}\n")
                .append("  keyGenerators:\n    snowflake:\n      type: SNOWFLAKE\n")
                .toString();
    }

    String readwriteYaml(String password) {
        String db = s.get("shardingsphere.readwriteDatabase");
        StringBuilder b = new StringBuilder("databaseName: readwrite_splitting_db\n\ndataSources:\n");
        b.append(dataSource("write_ds", "mysql-master-0.mysql-master." + ns, db, password));
        List<String> reads = new ArrayList<>();
        if (Boolean.parseBoolean(s.get("shardingsphere.readFromMaster"))) {
            reads.add("read_ds_0");
            b.append(dataSource("read_ds_0", "mysql-master-0.mysql-master." + ns, db, password));
        }
        for (int i = 0; i < s.number("mysql.slaves"); i++) {
            String name = "read_ds_" + reads.size();
            reads.add(name);
            b.append(dataSource(name, "mysql-slave-" + i + ".mysql-slave." + ns, db, password));
        }
        b.append("\nrules:\n- !READWRITE_SPLITTING\n  dataSources:\n    readwrite_ds:\n      staticStrategy:\n")
                .append("        writeDataSourceName: write_ds\n        readDataSourceNames:\n");
        reads.forEach(r -> b.append("          - ").append(r).append('\n'));
        return b.append("      loadBalancerName: random\n  loadBalancers:\n    random:\n      type: RANDOM\n")
                .toString();
    }

    // ---------------------------------------------------------------- building blocks

    private void add(String file, Map<String, Object> object) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) object.get("metadata");
        docs.add(new MiddlewareObject(file, (String) object.get("kind"), (String) m.get("name"), object, false));
    }

    /** A Secret; absent values (a dry run without credentials) stay as keys, printed redacted like the others. */
    private void secret(String name, String app, String... keyValues) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            data.put(keyValues[i], keyValues[i + 1]);
        }
        docs.add(new MiddlewareObject(
                SECRETS_FILE,
                "Secret",
                name,
                object("v1", "Secret", meta(name, ns, app), "type", "Opaque", "stringData", data),
                true));
    }

    /** host names pod-i.service.namespace + suffix, joined. */
    private String pods(String set, int count, String service, String suffix, String sep) {
        return IntStream.range(0, count)
                .mapToObj(i -> set + "-" + i + "." + service + "." + ns + suffix)
                .collect(Collectors.joining(sep));
    }

    private Map<String, Object> statefulSet(
            String name,
            String service,
            int replicas,
            Map<String, Object> container,
            List<Object> volumes,
            List<Object> initContainers,
            List<Object> claims) {
        String app = name.startsWith("es-") ? "elasticsearch" : name;
        Map<String, Object> podSpec = map(
                "initContainers",
                initContainers,
                "containers",
                list(container),
                "volumes",
                volumes.isEmpty() ? null : volumes);
        return object(
                "apps/v1",
                "StatefulSet",
                meta(name, ns, app),
                "spec",
                map(
                        "serviceName",
                        service,
                        "replicas",
                        replicas,
                        // start all pods at once: the formation Job, not the start order, makes the cluster
                        "podManagementPolicy",
                        "Parallel",
                        "selector",
                        map("matchLabels", map("app", app)),
                        "template",
                        map("metadata", map("labels", map("app", app)), "spec", podSpec),
                        "volumeClaimTemplates",
                        claims));
    }

    private Map<String, Object> deployment(String name, Map<String, Object> container) {
        return object(
                "apps/v1",
                "Deployment",
                meta(name, ns, name),
                "spec",
                map(
                        "replicas", 1,
                        "selector", map("matchLabels", map("app", name)),
                        "template",
                                map(
                                        "metadata",
                                        map("labels", map("app", name)),
                                        "spec",
                                        map("containers", list(container)))));
    }

    private Map<String, Object> service(String name, String app, int port, int target) {
        return object(
                "v1",
                "Service",
                meta(name, ns, app),
                "spec",
                map(
                        "selector",
                        map("app", app),
                        "ports",
                        list(map("name", "http", "port", port, "targetPort", target))));
    }

    /** A formation Job: the script from the scripts ConfigMap, secrets as files, retried until the pods are up. */
    private Map<String, Object> job(
            String name, String image, String script, String secret, String secretPath, List<Object> env) {
        List<Object> mounts = list(mount("scripts", "/scripts"));
        List<Object> volumes = list(configMapVolume("scripts", SCRIPTS_CONFIGMAP));
        if (secret != null) {
            mounts.add(mount("secret", secretPath));
            volumes.add(secretVolume("secret", secret));
        }
        Map<String, Object> container = map(
                "name",
                "formation",
                "image",
                image,
                "command",
                list("bash", "/scripts/" + script),
                "env",
                env,
                "resources",
                resources("500m", "256Mi"),
                "volumeMounts",
                mounts);
        return object(
                "batch/v1",
                "Job",
                meta(name, ns, name),
                "spec",
                map(
                        "backoffLimit",
                        6,
                        "template",
                        map(
                                "metadata",
                                map("labels", map("app", name)),
                                "spec",
                                map("restartPolicy", "OnFailure", "containers", list(container), "volumes", volumes))));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> podSpec(Map<String, Object> set) {
        return (Map<String, Object>)
                ((Map<String, Object>) ((Map<String, Object>) set.get("spec")).get("template")).get("spec");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> podLabels(Map<String, Object> set) {
        Map<String, Object> template = (Map<String, Object>) ((Map<String, Object>) set.get("spec")).get("template");
        return (Map<String, Object>) ((Map<String, Object>) template.get("metadata")).get("labels");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> selector(Map<String, Object> set) {
        return (Map<String, Object>)
                ((Map<String, Object>) ((Map<String, Object>) set.get("spec")).get("selector")).get("matchLabels");
    }
}
