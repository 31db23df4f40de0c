package io.github.guli.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.github.guli.engine.GuliException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kubeconfig and the API server's refusals, each turned into a message that says what to fix. */
class KubeConnectionTest {
    @TempDir
    Path workspace;

    final List<String> log = Collections.synchronizedList(new ArrayList<>());

    static String kubeconfig(String server, String token) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: prod
                    cluster: {server: "%s"}
                users:
                  - name: jenkins
                    user: {token: %s}
                contexts:
                  - name: prod
                    context: {cluster: prod, user: jenkins, namespace: gulimall}
                  - name: test
                    context: {cluster: prod, user: jenkins, namespace: gulimall-test}
                current-context: prod
                """.formatted(server, token);
    }

    private DeployResult deploy(String kubeconfigText, String context) throws IOException {
        Path dir = Files.createDirectories(workspace.resolve("app/deploy"));
        Files.writeString(
                dir.resolve("cm.yaml"),
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\n" + "data:\n  A: b\n");
        DeployRequest r = new DeployRequest()
                .workspace(workspace.toString())
                .configs("app/deploy/**")
                .kubeconfig(new Kubeconfig("credentials 'demo-kubeconfig'", kubeconfigText))
                .context(context)
                .timeoutSeconds(5);
        return new Deploy(log::add, log::add, Duration.ofMillis(100)).run(r);
    }

    /** An API server that answers every request with one status, and records what it was sent. */
    record Refusing(HttpServer server, List<String> authorizations) implements AutoCloseable {
        static Refusing start(int code, String reason, String message) throws IOException {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            List<String> auth = Collections.synchronizedList(new ArrayList<>());
            s.createContext("/", ex -> {
                auth.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
                byte[] body = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\""
                                + message + "\",\"reason\":\"" + reason + "\",\"code\":" + code + "}")
                        .getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(code, body.length);
                ex.getResponseBody().write(body);
                ex.close();
            });
            s.start();
            return new Refusing(s, auth);
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Test
    void aKubeconfigThatDoesNotParseIsNamedWithTheFix() {
        assertThatThrownBy(() -> deploy("clusters: [ {server: https://x\n  users: ]]", null))
                .isInstanceOf(GuliException.class)
                .hasMessageStartingWith(
                        "the kubeconfig from credentials 'demo-kubeconfig' does not parse as a kubeconfig")
                .hasMessageContaining("store the whole file that kubectl uses");
        assertThatThrownBy(() -> deploy("just some text, not a kubeconfig", null))
                .hasMessageContaining("the kubeconfig from credentials 'demo-kubeconfig'")
                .hasMessageContaining("kubectl uses");
        assertThatThrownBy(() -> deploy("apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\n", null))
                .hasMessageContaining("is not a kubeconfig: it has no clusters or contexts");
    }

    @Test
    void anUnknownContextListsTheContextsThere() {
        assertThatThrownBy(() -> deploy(kubeconfig("https://127.0.0.1:6443", "t"), "staging"))
                .hasMessage(
                        "the kubeconfig from credentials 'demo-kubeconfig' has no context 'staging'; its contexts are: "
                                + "prod, test");
    }

    @Test
    void unauthorizedSaysTheCredentialsAreWrongAndNothingIsLeftOnDisk() throws Exception {
        String token = "tok-" + UUID.randomUUID();
        Instant before = Instant.now().minusSeconds(1);
        try (Refusing api = Refusing.start(401, "Unauthorized", "Unauthorized")) {
            assertThatThrownBy(() -> deploy(kubeconfig(api.url(), token), null))
                    .hasMessage(
                            "cannot read ConfigMap gulimall/app-config: the API server " + api.url() + "/ did not "
                                    + "accept the kubeconfig's credentials (401 Unauthorized): the token or client certificate "
                                    + "is wrong or has expired; update the kubeconfig credentials (this deploy changed nothing in the cluster)");
            assertThat(api.authorizations()).contains("Bearer " + token); // it was this kubeconfig that was used
        }
        assertThat(log).noneMatch(l -> l.contains(token));
        assertThat(filesHolding(
                        token,
                        before,
                        Path.of(System.getProperty("java.io.tmpdir")),
                        workspace,
                        Path.of(System.getProperty("user.home"), ".kube")))
                .as("files holding the kubeconfig's token")
                .isEmpty();
    }

    @Test
    void forbiddenSaysWhatWasRefusedAndHowToGrantIt() throws Exception {
        String refusal = "configmaps \\\"app-config\\\" is forbidden: User \\\"system:serviceaccount:ci:jenkins\\\" "
                + "cannot get resource \\\"configmaps\\\" in API group \\\"\\\" in the namespace \\\"test-ns\\\"";
        try (Refusing api = Refusing.start(403, "Forbidden", refusal)) {
            assertThatThrownBy(() -> deploy(kubeconfig(api.url(), "t"), "test"))
                    .hasMessage(
                            "cannot read ConfigMap gulimall-test/app-config: the kubeconfig's user is not allowed to "
                                    + "(403 Forbidden: configmaps \"app-config\" is forbidden: User "
                                    + "\"system:serviceaccount:ci:jenkins\" cannot get resource \"configmaps\" in API group \"\" "
                                    + "in the namespace \"test-ns\"); grant it the right (RBAC Role and RoleBinding) or use "
                                    + "another kubeconfig (this deploy changed nothing in the cluster)");
        }
    }

    @Test
    void aRefusedConnectionSaysTheServerIsNotReachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String url = "https://127.0.0.1:" + port;
        long start = System.nanoTime();
        assertThatThrownBy(() -> deploy(kubeconfig(url, "t"), null))
                .hasMessage("cannot read ConfigMap gulimall/app-config: the API server " + url + "/ refused the "
                        + "connection: is the cluster up, the server address in the kubeconfig right, and the address "
                        + "reachable from this agent? (this deploy changed nothing in the cluster)");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    private static List<Path> filesHolding(String secret, Instant since, Path... roots) throws IOException {
        List<Path> hits = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root, 3)) {
                for (Path p : files.filter(Files::isRegularFile).toList()) {
                    try {
                        if (Files.getLastModifiedTime(p).toInstant().isAfter(since)
                                && Files.size(p) < 1_000_000
                                && new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains(secret)) {
                            hits.add(p);
                        }
                    } catch (IOException gone) {
                        // another process's temporary file, removed meanwhile
                    }
                }
            } catch (java.io.UncheckedIOException unreadable) {
                // a directory of another user or process: nothing of ours can be there
            }
        }
        return hits;
    }
}
