package io.github.guli.engine.provision;

import static io.github.guli.engine.provision.KubeMaps.configMapVolume;
import static io.github.guli.engine.provision.KubeMaps.env;
import static io.github.guli.engine.provision.KubeMaps.list;
import static io.github.guli.engine.provision.KubeMaps.map;
import static io.github.guli.engine.provision.KubeMaps.mount;
import static io.github.guli.engine.provision.KubeMaps.port;
import static io.github.guli.engine.provision.KubeMaps.resources;
import static io.github.guli.engine.provision.KubeMaps.secretVolume;

import java.util.List;
import java.util.Map;

/** Redis Cluster: one StatefulSet of nodes in cluster mode, and the Job that makes them a cluster. */
record RedisObjects(ProvisionSettings settings, Workloads workloads, ProvisionSecrets credentials)
        implements Middleware {
    private static final Template CONFIG = Template.load("redis/redis.conf");

    @Override
    public List<Map<String, Object>> secrets() {
        String pw = credentials.redisPassword();
        // redis.conf includes this file: requirepass for clients, masterauth for replicas syncing from masters
        return List.of(workloads.secret(
                "redis-secret",
                "redis",
                "password",
                pw,
                "auth.conf",
                pw == null ? null : "requirepass " + Yamls.quote(pw) + "\nmasterauth " + Yamls.quote(pw) + "\n"));
    }

    @Override
    public String file() {
        return "redis.yaml";
    }

    @Override
    public List<Map<String, Object>> objects() {
        int nodes = settings.number("redis.nodes");
        Map<String, Object> container = map(
                "name",
                "redis",
                "image",
                settings.get("redis.image"),
                "command",
                list("redis-server", "/etc/redis/redis.conf"),
                "ports",
                list(port("redis", 6379), port("cluster-bus", 16379)),
                "readinessProbe",
                map("tcpSocket", map("port", 6379), "periodSeconds", 5),
                "resources",
                resources(settings.get("redis.cpu"), settings.get("redis.memory")),
                "volumeMounts",
                list(mount("data", "/data"), mount("conf", "/etc/redis"), mount("secret", "/secrets/redis")));
        return List.of(
                workloads.configMap("redis-conf", "redis", map("redis.conf", redisConf())),
                workloads.headless("redis", "redis", map("app", "redis"), "redis", 6379, "cluster-bus", 16379),
                workloads.statefulSet(
                        "redis",
                        "redis",
                        nodes,
                        container,
                        list(configMapVolume("conf", "redis-conf"), secretVolume("secret", "redis-secret")),
                        null,
                        list(workloads.claim("data", settings.get("redis.storage")))),
                workloads.formationJob(
                        "redis-cluster",
                        settings.get("redis.image"),
                        "redis-cluster.sh",
                        "redis-secret",
                        "/secrets/redis",
                        list(
                                env("REDIS_NODES", workloads.hosts("redis", nodes, "redis", ":6379", " ")),
                                env("REDIS_REPLICAS", settings.get("redis.replicas")),
                                env("REDIS_PASSWORD_FILE", "/secrets/redis/password"),
                                env("REDIS_WAIT_SECONDS", 600))));
    }

    private String redisConf() {
        return CONFIG.fill(Map.of(
                "nodeTimeout", settings.get("redis.nodeTimeout"), "appendonly", settings.get("redis.appendonly")));
    }
}
