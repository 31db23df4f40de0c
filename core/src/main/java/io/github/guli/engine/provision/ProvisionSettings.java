package io.github.guli.engine.provision;

import io.github.guli.engine.GuliException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The provisioning parameters: the course's settings as defaults, each overridable by key. Unknown keys and values
 * of the wrong shape are refused up front, naming the key and what it takes.
 */
public final class ProvisionSettings implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Pattern QUANTITY = Pattern.compile("[0-9]+(\\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?");
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    /** key, default, what it is: what {@code guli provision --help-settings} lists. */
    public record Setting(String key, String defaultValue, String description) implements Serializable {}

    public static final List<Setting> SETTINGS = List.of(
            new Setting("namespace", "gulimall", "namespace of everything (the course's gulimall)"),
            new Setting("storageClass", "", "StorageClass of every PVC; empty: the cluster's default"),
            new Setting("mysql.image", "mysql:5.7", "MySQL image (master, slaves and the formation Job)"),
            new Setting("mysql.slaves", "1", "number of slaves"),
            new Setting(
                    "mysql.databases",
                    "gulimall_ums,gulimall_pms,gulimall_oms,gulimall_sms,gulimall_wms,gulimall_admin",
                    "binlog-do-db list of master and slaves"),
            new Setting("mysql.replicationUser", "backup", "replication account created on the master"),
            new Setting("mysql.storage", "10Gi", "PVC size per MySQL server"),
            new Setting("mysql.cpu", "1", "CPU limit per MySQL server"),
            new Setting("mysql.memory", "1Gi", "memory limit (and request) per MySQL server"),
            new Setting("redis.image", "redis:5.0.7", "Redis image"),
            new Setting("redis.nodes", "6", "Redis Cluster nodes: masters x (1 + replicas), at least 3 masters"),
            new Setting("redis.replicas", "1", "replicas per master (--cluster-replicas)"),
            new Setting("redis.nodeTimeout", "5000", "cluster-node-timeout, ms"),
            new Setting("redis.appendonly", "yes", "appendonly"),
            new Setting("redis.storage", "1Gi", "PVC size per node"),
            new Setting("redis.cpu", "500m", "CPU limit per node"),
            new Setting("redis.memory", "512Mi", "memory limit per node"),
            new Setting("elasticsearch.image", "elasticsearch:7.4.2", "Elasticsearch image"),
            new Setting("elasticsearch.clusterName", "gulimall-es", "cluster.name"),
            new Setting("elasticsearch.masters", "3", "master-eligible nodes (node.master: true, node.data: false)"),
            new Setting("elasticsearch.dataNodes", "3", "data nodes (node.master: false, node.data: true)"),
            new Setting("elasticsearch.heap", "300m", "-Xms/-Xmx (the course's ES_JAVA_OPTS)"),
            new Setting("elasticsearch.storage", "10Gi", "PVC size per data node (masters get 1Gi)"),
            new Setting("elasticsearch.cpu", "1", "CPU limit per node"),
            new Setting("elasticsearch.memory", "1Gi", "memory limit per node (heap plus off-heap)"),
            new Setting("rabbitmq.image", "rabbitmq:3.8-management", "RabbitMQ image"),
            new Setting("rabbitmq.nodes", "3", "cluster nodes"),
            new Setting("rabbitmq.nodeType", "disc", "disc or ram for the joining nodes (the course used ram)"),
            new Setting("rabbitmq.policyName", "ha-all", "mirroring policy name"),
            new Setting("rabbitmq.policyPattern", "^", "queues the policy applies to"),
            new Setting(
                    "rabbitmq.policyDefinition",
                    "{\"ha-mode\":\"all\",\"ha-sync-mode\":\"automatic\"}",
                    "policy definition"),
            new Setting("rabbitmq.storage", "1Gi", "PVC size per node"),
            new Setting("rabbitmq.cpu", "500m", "CPU limit per node"),
            new Setting("rabbitmq.memory", "512Mi", "memory limit per node"),
            new Setting(
                    "nacos.image", "nacos/nacos-server:1.4.2", "Nacos image (standalone, embedded storage on a PVC)"),
            new Setting("nacos.storage", "1Gi", "PVC size"),
            new Setting("nacos.cpu", "500m", "CPU limit"),
            new Setting("nacos.memory", "1Gi", "memory limit"),
            new Setting("zipkin.image", "openzipkin/zipkin:2.23", "Zipkin image (in-memory storage: a Deployment)"),
            new Setting("zipkin.cpu", "500m", "CPU limit"),
            new Setting("zipkin.memory", "512Mi", "memory limit"),
            new Setting("sentinel.image", "bladex/sentinel-dashboard:1.7.2", "Sentinel dashboard image (a Deployment)"),
            new Setting("sentinel.containerPort", "8858", "port the dashboard image listens on (Service port 8080)"),
            new Setting("sentinel.cpu", "500m", "CPU limit"),
            new Setting("sentinel.memory", "512Mi", "memory limit"),
            new Setting("shardingsphere.user", "sharding", "ShardingSphere-Proxy user (its password from credentials)"),
            new Setting(
                    "shardingsphere.shardingDatabases",
                    "demo_ds_0,demo_ds_1",
                    "databases on the master that t_order is sharded over"),
            new Setting(
                    "shardingsphere.readwriteDatabase",
                    "demo_ds_0",
                    "database of the read-write splitting data source"),
            new Setting(
                    "shardingsphere.readFromMaster",
                    "true",
                    "whether the master also serves reads (the course's read_ds_0)"));

    private final Map<String, String> values;

    private ProvisionSettings(Map<String, String> values) {
        this.values = values;
    }

    /** The defaults with {@code overrides} applied; every problem of every key at once. */
    public static ProvisionSettings of(Map<String, String> overrides) {
        Map<String, String> v = new LinkedHashMap<>();
        SETTINGS.forEach(s -> v.put(s.key(), s.defaultValue()));
        List<String> problems = new ArrayList<>();
        overrides.forEach((k, val) -> {
            if (!v.containsKey(k)) {
                problems.add("unknown setting '" + k + "'");
            } else {
                v.put(k, val == null ? "" : val.trim());
            }
        });
        ProvisionSettings s = new ProvisionSettings(v);
        if (!problems.isEmpty()) {
            problems.add("known settings: " + String.join(", ", v.keySet()));
        }
        s.check(problems);
        if (!problems.isEmpty()) {
            throw new GuliException("provision settings: " + String.join("; ", problems));
        }
        return s;
    }

    private void check(List<String> problems) {
        if (!NAME.matcher(get("namespace")).matches()) {
            problems.add("namespace '" + get("namespace") + "' is not a DNS label (lower-case letters, digits, '-')");
        }
        for (String k : values.keySet()) {
            String v = values.get(k);
            if ((k.endsWith(".cpu") || k.endsWith(".memory") || k.endsWith(".storage"))
                    && !QUANTITY.matcher(v).matches()) {
                problems.add(k + "='" + v + "' is not a Kubernetes quantity such as 500m, 1, 512Mi or 10Gi");
            }
            if (k.endsWith(".image") && (v.isEmpty() || v.contains(" "))) {
                problems.add(k + " must be an image reference");
            }
        }
        for (String k : List.of(
                "mysql.slaves",
                "redis.nodes",
                "redis.replicas",
                "redis.nodeTimeout",
                "elasticsearch.masters",
                "elasticsearch.dataNodes",
                "rabbitmq.nodes",
                "sentinel.containerPort")) {
            try {
                if (Integer.parseInt(get(k)) < (k.equals("redis.replicas") ? 0 : 1)) {
                    problems.add(k + "=" + get(k) + " is too small");
                }
            } catch (NumberFormatException e) {
                problems.add(k + "='" + get(k) + "' is not a whole number");
            }
        }
        if (problems.isEmpty()) {
            int group = number("redis.replicas") + 1;
            if (number("redis.nodes") % group != 0 || number("redis.nodes") / group < 3) {
                problems.add("redis.nodes=" + get("redis.nodes") + " cannot make at least 3 masters with "
                        + get("redis.replicas") + " replica(s) each: use a multiple of " + group + ", at least "
                        + 3 * group);
            }
            if (number("elasticsearch.masters") % 2 == 0) {
                problems.add("elasticsearch.masters=" + get("elasticsearch.masters")
                        + " is even: an odd number of master-eligible nodes keeps a quorum when one is lost");
            }
        }
        if (!List.of("disc", "ram").contains(get("rabbitmq.nodeType"))) {
            problems.add("rabbitmq.nodeType must be disc or ram");
        }
        if (!List.of("true", "false").contains(get("shardingsphere.readFromMaster"))) {
            problems.add("shardingsphere.readFromMaster must be true or false");
        }
        // written unquoted into my.cnf, ShardingSphere's YAML, redis.conf and elasticsearch.yml
        for (String k :
                List.of("mysql.databases", "shardingsphere.shardingDatabases", "shardingsphere.readwriteDatabase")) {
            for (String db : list(k)) {
                if (!db.matches("[A-Za-z0-9_]+")) {
                    problems.add(k + ": '" + db + "' is not a database name (letters, digits, _)");
                }
            }
        }
        if (!List.of("yes", "no").contains(get("redis.appendonly"))) {
            problems.add("redis.appendonly must be yes or no");
        }
        if (!get("elasticsearch.clusterName").matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            problems.add("elasticsearch.clusterName='" + get("elasticsearch.clusterName")
                    + "' is not a cluster name (letters, digits, '.', '_', '-')");
        }
    }

    public String get(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException(key);
        }
        return v;
    }

    public int number(String key) {
        return Integer.parseInt(get(key));
    }

    public List<String> list(String key) {
        return get(key).isBlank()
                ? List.of()
                : Arrays.stream(get(key).split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList();
    }

    public Map<String, String> values() {
        return Collections.unmodifiableMap(values);
    }
}
