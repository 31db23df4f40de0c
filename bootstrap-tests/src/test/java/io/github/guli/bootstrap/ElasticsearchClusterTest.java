package io.github.guli.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * elasticsearch-cluster.sh against a real Elasticsearch 7.10 cluster of the course's shape: three master-only and
 * three data-only nodes finding each other through discovery.seed_hosts and cluster.initial_master_nodes.
 */
class ElasticsearchClusterTest {
    @TempDir
    static Path dir;

    static ElasticsearchClusterRunner runner;
    static int dataHttpPort;

    @BeforeAll
    static void start() throws Exception {
        int[] http = new int[7];
        int[] transport = new int[7];
        List<String> seeds = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            http[i] = Local.freePort();
            transport[i] = Local.freePort();
            if (i <= 3) {
                seeds.add("127.0.0.1:" + transport[i]);
            }
        }
        runner = new ElasticsearchClusterRunner();
        runner.setMaxHttpPort(-1);
        // the course's elasticsearch.yml of es-master-1..3 and es-node-4..6
        runner.onBuild((number, s) -> {
                    boolean master = number <= 3;
                    s.put("node.name", master ? "es-master-" + number : "es-node-" + number);
                    s.put("node.master", master);
                    s.put("node.data", !master);
                    s.put("network.host", "127.0.0.1");
                    s.put("http.port", http[number]);
                    s.put("transport.port", transport[number]);
                    s.putList("discovery.seed_hosts", seeds);
                    s.putList("cluster.initial_master_nodes", List.of("es-master-1", "es-master-2", "es-master-3"));
                    // the runner starts the nodes one after another: do not wait for an elected master at each start
                    s.put("discovery.initial_state_timeout", "1s");
                    s.put("cluster.routing.allocation.disk.threshold_enabled", false);
                })
                .build(ElasticsearchClusterRunner.newConfigs()
                        .clusterName("gulimall-es")
                        .numOfNode(6)
                        .basePath(dir.resolve("es").toString()));
        dataHttpPort = http[4];
        runner.ensureYellow();
        // an index with replicas: green then means every replica found a second data node
        HttpResponse<String> put = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http[1] + "/gulimall_product"))
                                .header("Content-Type", "application/json")
                                .PUT(HttpRequest.BodyPublishers.ofString(
                                        "{\"settings\":{\"number_of_shards\":3,\"number_of_replicas\":1}}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() throws Exception {
        if (runner != null) {
            runner.close();
            runner.clean();
        }
    }

    Map<String, String> env(String url) {
        Map<String, String> env = new HashMap<>();
        env.put("ES_URL", url);
        env.put("ES_WAIT_SECONDS", "120");
        return env;
    }

    @Test
    void greenWithThreeMastersAndThreeDataNodesAndHarmlessTwice() throws Exception {
        for (int run = 1; run <= 2; run++) {
            Local.Result r = Local.run(
                    Local.script("elasticsearch-cluster.sh"),
                    env("http://127.0.0.1:" + dataHttpPort),
                    Duration.ofMinutes(3));
            assertThat(r.exit()).as(r.output()).isZero();
            assertThat(r.output())
                    .contains("cluster green: 6 nodes, 3 master-eligible, 3 data, elected master es-master-");
        }
    }

    @Test
    void missingNodesAreNamed() throws Exception {
        Map<String, String> env = env("http://127.0.0.1:" + dataHttpPort);
        env.put("ES_DATA_NODES", "4");
        Local.Result r = Local.run(Local.script("elasticsearch-cluster.sh"), env, Duration.ofMinutes(3));
        assertThat(r.exit()).isNotZero();
        assertThat(r.output()).contains("3 data node(s) joined, 4 expected: check discovery.seed_hosts");
        r = Local.run(
                Local.script("elasticsearch-cluster.sh"), env("127.0.0.1:" + dataHttpPort), Duration.ofMinutes(1));
        assertThat(r.exit()).isNotZero();
        assertThat(r.output()).contains("give http://host:port");
    }

    /**
     * The security-enabled case: this Elasticsearch has no security module, so a recording endpoint stands in to
     * show that the password travels in the Authorization header and not in curl's arguments.
     */
    @Test
    void thePasswordGoesInTheHeaderNotTheArguments() throws Exception {
        String password = "es-" + Long.toHexString(System.nanoTime()) + "\"\\x";
        List<String> auth = new ArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            auth.add(ex.getRequestHeaders().getFirst("Authorization"));
            String body = ex.getRequestURI().getPath().startsWith("/_cat/nodes")
                    ? "m * es-master-1\nm - es-master-2\nm - es-master-3\nd - es-node-4\nd - es-node-5\nd - es-node-6\n"
                    : "{\"cluster_name\":\"gulimall-es\",\"status\":\"green\",\"number_of_nodes\":6}";
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        try {
            Path pw = dir.resolve("es-password");
            Files.writeString(pw, password + "\n");
            Map<String, String> env =
                    env("http://127.0.0.1:" + server.getAddress().getPort());
            env.put("ES_USERNAME", "elastic");
            env.put("ES_PASSWORD_FILE", pw.toString());
            Local.Watched r = Local.runWatched("elasticsearch-cluster.sh", env, Duration.ofMinutes(1), password);
            assertThat(r.exit()).as(r.output()).isZero();
            assertThat(r.output()).doesNotContain(password);
            assertThat(r.leaks()).isEmpty();
            String expected = "Basic "
                    + Base64.getEncoder().encodeToString(("elastic:" + password).getBytes(StandardCharsets.UTF_8));
            assertThat(auth).isNotEmpty().allMatch(expected::equals);
        } finally {
            server.stop(0);
        }
    }
}
