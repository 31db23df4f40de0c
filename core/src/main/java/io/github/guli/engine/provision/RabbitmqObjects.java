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
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** RabbitMQ: one StatefulSet of nodes sharing an Erlang cookie, and the Job that clusters and mirrors them. */
record RabbitmqObjects(ProvisionSettings settings, Workloads workloads, ProvisionSecrets credentials)
        implements Middleware {

    @Override
    public List<Map<String, Object>> secrets() {
        return List.of(
                workloads.secret("rabbitmq-secret", "rabbitmq", "erlang-cookie", credentials.rabbitmqErlangCookie()));
    }

    @Override
    public String file() {
        return "rabbitmq.yaml";
    }

    @Override
    public List<Map<String, Object>> objects() {
        int nodes = settings.number("rabbitmq.nodes");
        String ns = workloads.namespace();
        Map<String, Object> container = map(
                "name",
                "rabbitmq",
                "image",
                settings.get("rabbitmq.image"),
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
                resources(settings.get("rabbitmq.cpu"), settings.get("rabbitmq.memory")),
                "volumeMounts",
                list(mount("data", "/var/lib/rabbitmq"), mount("config", "/etc/rabbitmq/conf.d")));
        // the cookie must be owned by the rabbitmq user and readable by it alone: a Secret mount cannot do both
        Map<String, Object> cookie = map(
                "name",
                "erlang-cookie",
                "image",
                settings.get("rabbitmq.image"),
                "command",
                list(
                        "sh",
                        "-c",
                        "cp /secrets/rabbitmq/erlang-cookie /var/lib/rabbitmq/.erlang.cookie"
                                + " && chown 999:999 /var/lib/rabbitmq/.erlang.cookie && chmod 400 /var/lib/rabbitmq/.erlang.cookie"),
                "volumeMounts",
                list(mount("data", "/var/lib/rabbitmq"), mount("secret", "/secrets/rabbitmq")));
        return List.of(
                workloads.configMap(
                        "rabbitmq-config",
                        "rabbitmq",
                        map(
                                "enabled_plugins", "[rabbitmq_management].\n",
                                // a three-node cluster split by the network: the minority side pauses instead of
                                // diverging
                                "rabbitmq.conf", "cluster_partition_handling = pause_minority\n")),
                workloads.headless(
                        "rabbitmq",
                        "rabbitmq",
                        map("app", "rabbitmq"),
                        "amqp",
                        5672,
                        "management",
                        15672,
                        "epmd",
                        4369,
                        "dist",
                        25672),
                workloads.statefulSet(
                        "rabbitmq",
                        "rabbitmq",
                        nodes,
                        container,
                        list(configMapVolume("config", "rabbitmq-config"), secretVolume("secret", "rabbitmq-secret")),
                        list(cookie),
                        list(workloads.claim("data", settings.get("rabbitmq.storage")))),
                workloads.formationJob(
                        "rabbitmq-cluster",
                        settings.get("rabbitmq.image"),
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
                                env("RABBITMQ_NODE_TYPE", settings.get("rabbitmq.nodeType")),
                                env("RABBITMQ_POLICY_NAME", settings.get("rabbitmq.policyName")),
                                env("RABBITMQ_POLICY_PATTERN", settings.get("rabbitmq.policyPattern")),
                                env("RABBITMQ_POLICY_DEFINITION", settings.get("rabbitmq.policyDefinition")),
                                env("RABBITMQ_WAIT_SECONDS", 600))));
    }
}
