package io.github.guli.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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

/** redis-cluster.sh against six real redis-server processes in cluster mode, with the course's redis.conf settings. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterTest {
    static final String PASSWORD = "redis-" + Long.toHexString(System.nanoTime()) + "'\"$x";

    @TempDir
    static Path dir;

    static final List<Local.Server> servers = new ArrayList<>();
    static final List<Integer> ports = new ArrayList<>();

    /** One line of CLUSTER NODES: id, address, flags, master id, slot ranges. */
    record Node(String id, int port, String flags, String masterId, List<String> slots) {
        static Node parse(String line) {
            String[] f = line.trim().split(" ");
            String addr = f[1].substring(0, f[1].indexOf('@'));
            return new Node(
                    f[0],
                    Integer.parseInt(addr.substring(addr.lastIndexOf(':') + 1)),
                    f[2],
                    f[3],
                    Arrays.asList(f).subList(8, f.length));
        }

        boolean master() {
            return flags.contains("master") && !flags.contains("fail");
        }
    }

    @BeforeAll
    static void start() throws Exception {
        for (int i = 1; i <= 6; i++) {
            Path home = Files.createDirectories(dir.resolve("node-" + i));
            int port = Local.freePort();
            // the course's settings (cluster-enabled, nodes.conf, cluster-node-timeout 5000, appendonly) plus a
            // password
            Files.writeString(
                    home.resolve("redis.conf"),
                    String.join(
                            "\n",
                            "port " + port,
                            "bind 127.0.0.1",
                            "dir " + home,
                            "cluster-enabled yes",
                            "cluster-config-file nodes.conf",
                            "cluster-node-timeout 5000",
                            "appendonly yes",
                            "save \"\"",
                            "requirepass \"" + PASSWORD.replace("\\", "\\\\").replace("\"", "\\\"") + "\"",
                            "masterauth \"" + PASSWORD.replace("\\", "\\\\").replace("\"", "\\\"") + "\"",
                            ""));
            Local.Server s = new Local.Server(
                    "redis-server " + i,
                    List.of("redis-server", home.resolve("redis.conf").toString()),
                    Map.of(),
                    home.resolve("redis.log"));
            servers.add(s);
            ports.add(port);
        }
        for (int i = 0; i < 6; i++) {
            servers.get(i).awaitPort(ports.get(i), Duration.ofSeconds(30));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (Local.Server s : servers) {
            s.close();
        }
    }

    static String cli(int port, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(
                List.of("redis-cli", "--no-auth-warning", "-h", "127.0.0.1", "-p", String.valueOf(port)));
        cmd.addAll(List.of(args));
        return Local.ok(cmd, Map.of("REDISCLI_AUTH", PASSWORD)).trim();
    }

    static List<Node> nodes(int port) throws IOException, InterruptedException {
        return cli(port, "cluster", "nodes").lines().map(Node::parse).toList();
    }

    Map<String, String> env() throws IOException {
        Path pw = dir.resolve("password");
        Files.writeString(pw, PASSWORD);
        Map<String, String> env = new HashMap<>();
        env.put(
                "REDIS_NODES",
                String.join(" ", ports.stream().map(p -> "127.0.0.1:" + p).toList()));
        env.put("REDIS_PASSWORD_FILE", pw.toString());
        env.put("REDIS_WAIT_SECONDS", "60");
        return env;
    }

    @Test
    @Order(1)
    void formsThreeMastersWithOneReplicaEachCoveringAllSlots() throws Exception {
        Local.Watched r = Local.runWatched("redis-cluster.sh", env(), Duration.ofMinutes(3), PASSWORD);
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output())
                .contains(
                        "creating the cluster",
                        "all 16384 slots covered, 3 masters with slots, 3 replicas",
                        "cluster formed")
                .doesNotContain(PASSWORD);
        assertThat(r.leaks()).as("process command lines holding the password").isEmpty();

        assertThat(cli(ports.get(0), "cluster", "info"))
                .contains(
                        "cluster_state:ok",
                        "cluster_slots_assigned:16384",
                        "cluster_slots_ok:16384",
                        "cluster_known_nodes:6");
        List<Node> nodes = nodes(ports.get(0));
        List<Node> masters = nodes.stream().filter(Node::master).toList();
        assertThat(masters).hasSize(3).allSatisfy(m -> assertThat(m.slots()).isNotEmpty());
        int slots = 0;
        for (Node m : masters) {
            for (String range : m.slots()) {
                String[] ab = range.split("-");
                slots += ab.length == 1 ? 1 : Integer.parseInt(ab[1]) - Integer.parseInt(ab[0]) + 1;
            }
            assertThat(nodes)
                    .as("replicas of " + m.id())
                    .filteredOn(n -> n.masterId().equals(m.id()))
                    .hasSize(1);
        }
        assertThat(slots).isEqualTo(16384);
        // "formed" means every node already knows every master and replica (a failover right after relies on it)
        for (int port : ports) {
            assertThat(nodes(port))
                    .as("the view of node " + port)
                    .filteredOn(n -> n.flags().contains("slave"))
                    .hasSize(3)
                    .allSatisfy(n -> assertThat(masters).extracting(Node::id).contains(n.masterId()));
        }
    }

    @Test
    @Order(2)
    void aKeyIsWrittenAndReadThroughRedirection() throws Exception {
        int owner = ownerOf("guli:order:1");
        int other = ports.stream()
                .filter(p -> p != owner)
                .filter(p -> {
                    try {
                        return nodes(p).stream().anyMatch(n -> n.port() == p && n.master());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .findFirst()
                .orElseThrow();
        assertThat(cli(other, "set", "guli:order:1", "paid"))
                .as("without -c a node redirects")
                .startsWith("MOVED");
        assertThat(cli(other, "-c", "set", "guli:order:1", "paid")).isEqualTo("OK");
        assertThat(cli(other, "-c", "get", "guli:order:1")).isEqualTo("paid");
    }

    @Test
    @Order(3)
    void aSecondRunChangesNothing() throws Exception {
        Local.Result r = Local.run(Local.script("redis-cluster.sh"), env(), Duration.ofMinutes(3));
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output())
                .contains("already form one cluster", "nothing to do")
                .doesNotContain("creating");
    }

    @Test
    @Order(4)
    void whenAMasterStopsItsReplicaTakesOver() throws Exception {
        int owner = ownerOf("guli:order:1");
        Node master =
                nodes(owner).stream().filter(n -> n.port() == owner).findFirst().orElseThrow();
        Node replica = replicaOf(master, owner, Duration.ofSeconds(30));
        servers.get(ports.indexOf(owner)).close();
        int survivor = ports.stream().filter(p -> p != owner).findFirst().orElseThrow();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!(nodes(survivor).stream().anyMatch(n -> n.id().equals(replica.id()) && n.master())
                && cli(survivor, "cluster", "info").contains("cluster_state:ok"))) {
            assertThat(System.nanoTime())
                    .as("replica " + replica.port() + " promoted within 60 s")
                    .isLessThan(deadline);
            Thread.sleep(500);
        }
        assertThat(cli(survivor, "-c", "get", "guli:order:1")).isEqualTo("paid");
        assertThat(ownerOf("guli:order:1")).isEqualTo(replica.port());
    }

    @Test
    @Order(5)
    void refusesTooFewNodes() throws Exception {
        Map<String, String> env = env();
        env.put("REDIS_NODES", "127.0.0.1:" + ports.get(0) + " 127.0.0.1:" + ports.get(1));
        Local.Result r = Local.run(Local.script("redis-cluster.sh"), env, Duration.ofMinutes(1));
        assertThat(r.exit()).isNotZero();
        assertThat(r.output()).contains("2 nodes cannot make at least 3 masters with 1 replica(s) each");
    }

    /** The master's replica as the node at {@code port} sees it, waiting (bounded) for gossip to bring it there. */
    static Node replicaOf(Node master, int port, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            List<Node> view = nodes(port);
            for (Node n : view) {
                if (n.masterId().equals(master.id())) {
                    return n;
                }
            }
            assertThat(System.nanoTime())
                    .as("node " + port + " lists a replica of " + master.id() + " within " + within.toSeconds()
                            + " s; its view: " + view)
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** The port of the live master serving the key's slot. */
    static int ownerOf(String key) throws Exception {
        int alive = ports.stream()
                .filter(p -> servers.get(ports.indexOf(p)).alive())
                .findFirst()
                .orElseThrow();
        int slot = Integer.parseInt(cli(alive, "cluster", "keyslot", key));
        for (Node n : nodes(alive)) {
            if (!n.master()) {
                continue;
            }
            for (String range : n.slots()) {
                String[] ab = range.split("-");
                int a = Integer.parseInt(ab[0]);
                int b = ab.length == 1 ? a : Integer.parseInt(ab[1]);
                if (slot >= a && slot <= b) {
                    return n.port();
                }
            }
        }
        throw new AssertionError("no master serves slot " + slot);
    }
}
