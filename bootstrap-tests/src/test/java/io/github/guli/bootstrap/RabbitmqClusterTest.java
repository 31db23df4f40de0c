package io.github.guli.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * rabbitmq-cluster.sh against three real rabbitmq-server nodes on loopback (distinct node names and ports, one
 * Erlang cookie), then a message published on one node is consumed from another after the first stops.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RabbitmqClusterTest {
    /** Debian's /usr/sbin wrappers switch to the rabbitmq user; the tests run the tools themselves. */
    static final String BIN = "/usr/lib/rabbitmq/bin/";

    static final String COOKIE =
            "GULICOOKIE" + Long.toHexString(System.nanoTime()).toUpperCase();
    static final String SUFFIX = Long.toHexString(System.nanoTime() & 0xffffff);

    @TempDir
    static Path dir;

    static Path home;
    static final List<Local.Server> servers = new ArrayList<>();
    static final List<String> names = new ArrayList<>();
    static final List<Integer> amqpPorts = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        home = Files.createDirectories(dir.resolve("home"));
        Path cookie = home.resolve(".erlang.cookie");
        Files.writeString(cookie, COOKIE);
        Files.setPosixFilePermissions(cookie, PosixFilePermissions.fromString("r--------"));
        for (int i = 1; i <= 3; i++) {
            Path base = Files.createDirectories(dir.resolve("node-" + i));
            Files.writeString(base.resolve("enabled_plugins"), "[].\n");
            String name = "guli" + i + "-" + SUFFIX + "@localhost";
            int amqp = Local.freePort();
            Map<String, String> env = new HashMap<>();
            env.put("HOME", home.toString());
            env.put("RABBITMQ_NODENAME", name);
            env.put("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
            env.put("RABBITMQ_NODE_PORT", String.valueOf(amqp));
            env.put("RABBITMQ_DIST_PORT", String.valueOf(Local.freePort()));
            env.put("RABBITMQ_MNESIA_BASE", base.resolve("mnesia").toString());
            env.put("RABBITMQ_LOG_BASE", base.resolve("log").toString());
            env.put(
                    "RABBITMQ_ENABLED_PLUGINS_FILE",
                    base.resolve("enabled_plugins").toString());
            env.put("RABBITMQ_CONFIG_FILE", base.resolve("rabbitmq").toString());
            env.put("RABBITMQ_CONF_ENV_FILE", "/dev/null");
            servers.add(new Local.Server(
                    "rabbitmq " + name, List.of(BIN + "rabbitmq-server"), env, base.resolve("out.log")));
            names.add(name);
            amqpPorts.add(amqp);
        }
        for (int i = 0; i < 3; i++) {
            servers.get(i).awaitPort(amqpPorts.get(i), Duration.ofSeconds(180));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (Local.Server s : servers) {
            s.close();
        }
    }

    static String ctl(String node, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(BIN + "rabbitmqctl", "-q", "-n", node));
        cmd.addAll(List.of(args));
        return Local.ok(cmd, Map.of("HOME", home.toString()));
    }

    Map<String, String> env() throws IOException {
        Path cookieFile = dir.resolve("cookie-secret");
        Files.writeString(cookieFile, COOKIE);
        Map<String, String> env = new HashMap<>();
        env.put("RABBITMQ_NODES", String.join(" ", names));
        env.put("RABBITMQ_ERLANG_COOKIE_FILE", cookieFile.toString());
        env.put("HOME", dir.toString()); // no cookie there: the script must use the file
        env.put("RABBITMQCTL", BIN + "rabbitmqctl");
        env.put("RABBITMQ_WAIT_SECONDS", "120");
        return env;
    }

    @Test
    @Order(1)
    void joinsThreeNodesAndAppliesTheMirroringPolicy() throws Exception {
        Local.Watched r = Local.runWatched("rabbitmq-cluster.sh", env(), Duration.ofMinutes(5), COOKIE);
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output())
                .contains(
                        names.get(1) + ": stop_app, reset, join_cluster " + names.get(0),
                        names.get(2) + ": stop_app, reset, join_cluster " + names.get(0),
                        "setting policy ha-all",
                        "cluster formed")
                .doesNotContain(COOKIE);
        assertThat(r.leaks()).as("process command lines holding the cookie").isEmpty();

        String status = ctl(names.get(2), "cluster_status", "--formatter", "json");
        for (String n : names) {
            assertThat(status).contains("\"" + n + "\"");
        }
        assertThat(status).containsPattern("\"running_nodes\":\\[\"[^]]*,[^]]*,[^]]*\"\\]");
        assertThat(ctl(names.get(1), "list_policies", "-p", "/", "--formatter", "json"))
                .contains(
                        "\"name\":\"ha-all\"",
                        "\"pattern\":\"^\"",
                        "\"definition\":\"{\\\"ha-mode\\\":\\\"all\\\",\\\"ha-sync-mode\\\":\\\"automatic\\\"}\"");
    }

    @Test
    @Order(2)
    void aSecondRunChangesNothing() throws Exception {
        Local.Result r = Local.run(Local.script("rabbitmq-cluster.sh"), env(), Duration.ofMinutes(5));
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output())
                .contains(names.get(1) + ": already in the cluster", "policy ha-all", "is already set", "nothing to do")
                .doesNotContain("reset", "setting policy");
    }

    @Test
    @Order(3)
    void aMessagePublishedOnOneNodeIsConsumedFromAnotherAfterTheFirstStops() throws Exception {
        String queue = "guli.order.release." + SUFFIX;
        try (Connection c = factory(amqpPorts.get(0)).newConnection();
                Channel ch = c.createChannel()) {
            ch.queueDeclare(queue, true, false, false, null);
            ch.confirmSelect();
            ch.basicPublish(
                    "", queue, MessageProperties.PERSISTENT_TEXT_PLAIN, "order-1".getBytes(StandardCharsets.UTF_8));
            ch.waitForConfirmsOrDie(10_000);
        }
        // the policy mirrors the queue to both other nodes; wait until they are in sync
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String mirrors;
        while (!(mirrors = ctl(names.get(0), "list_queues", "name", "synchronised_slave_pids")).contains(names.get(1))
                || !mirrors.contains(names.get(2))) {
            assertThat(System.nanoTime()).as("mirrors in sync: " + mirrors).isLessThan(deadline);
            Thread.sleep(500);
        }
        ctl(names.get(0), "stop");
        servers.get(0).process.waitFor();
        try (Connection c = factory(amqpPorts.get(1)).newConnection();
                Channel ch = c.createChannel()) {
            GetResponse got = null;
            for (int i = 0; i < 60 && got == null; i++) {
                got = ch.basicGet(queue, true);
                if (got == null) {
                    Thread.sleep(500);
                }
            }
            assertThat(got)
                    .as("message on " + names.get(1) + " after " + names.get(0) + " stopped")
                    .isNotNull();
            assertThat(new String(got.getBody(), StandardCharsets.UTF_8)).isEqualTo("order-1");
        }
    }

    @Test
    @Order(4)
    void refusesAMissingCookie() throws Exception {
        Map<String, String> env = env();
        env.remove("RABBITMQ_ERLANG_COOKIE_FILE");
        Local.Result r = Local.run(Local.script("rabbitmq-cluster.sh"), env, Duration.ofMinutes(1));
        assertThat(r.exit()).isNotZero();
        assertThat(r.output()).contains("set RABBITMQ_ERLANG_COOKIE_FILE");
    }

    static ConnectionFactory factory(int port) {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        f.setPort(port);
        return f;
    }
}
