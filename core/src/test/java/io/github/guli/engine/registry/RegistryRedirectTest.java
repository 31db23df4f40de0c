package io.github.guli.engine.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.UsernamePassword;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile registry on loopback: it redirects to another origin, or names a token service over plain http.
 * Servers on other ports and host names record what they are sent: the credentials must never be among it.
 */
class RegistryRedirectTest {
    private static final String MANIFEST =
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\"}";
    private final UsernamePassword creds = new UsernamePassword("guli", "secret-" + UUID.randomUUID());
    private final String basic = "Basic "
            + Base64.getEncoder()
                    .encodeToString((creds.username() + ":" + creds.password()).getBytes(StandardCharsets.UTF_8));
    private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
    private final List<HttpServer> servers = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    private HttpServer server(HttpServer s, HttpHandler h) {
        s.createContext("/", ex -> {
            try (ex) {
                seen.add(ex.getLocalAddress().getPort() + " "
                        + ex.getRequestHeaders().getFirst("Host") + " "
                        + ex.getRequestURI().getPath() + " Authorization="
                        + ex.getRequestHeaders().getFirst("Authorization"));
                h.handle(ex);
            }
        });
        s.start();
        servers.add(s);
        return s;
    }

    private HttpServer http(HttpHandler h) throws IOException {
        return server(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0), h);
    }

    private static int port(HttpServer s) {
        return s.getAddress().getPort();
    }

    /** A registry with Basic auth that answers an authorized request with {@code then}. */
    private HttpHandler basicRegistry(HttpHandler then) {
        return ex -> {
            if (!basic.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"registry\"");
                ex.sendResponseHeaders(401, -1);
                return;
            }
            then.handle(ex);
        };
    }

    private static void redirect(HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().add("Location", location);
        ex.sendResponseHeaders(307, -1);
    }

    private static void manifest(HttpExchange ex) throws IOException {
        byte[] body = MANIFEST.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/vnd.docker.distribution.manifest.v2+json");
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
    }

    private RegistryClient client(String base) {
        return new RegistryClient(RegistryEndpoint.parse(base), creds, new Retry(1, Duration.ofMillis(1)), l -> {});
    }

    private List<String> seenOn(int port) {
        return seen.stream().filter(s -> s.startsWith(port + " ")).toList();
    }

    @Test
    void aRedirectToAnotherPortGetsNoCredentials() throws Exception {
        HttpServer elsewhere = http(RegistryRedirectTest::manifest);
        HttpServer registry =
                http(basicRegistry(ex -> redirect(ex, "http://127.0.0.1:" + port(elsewhere) + "/stolen")));

        assertThat(client("http://127.0.0.1:" + port(registry))
                        .getManifest("guli/app", "latest")
                        .body())
                .asString(StandardCharsets.UTF_8)
                .isEqualTo(MANIFEST);
        assertThat(seenOn(port(registry))).anyMatch(s -> s.endsWith("Authorization=" + basic));
        assertThat(seenOn(port(elsewhere))).hasSize(1).allMatch(s -> s.endsWith("/stolen Authorization=null"));
    }

    @Test
    void aRedirectToAnotherHostNameOnTheSamePortGetsNoCredentials() throws Exception {
        HttpServer[] self = new HttpServer[1];
        self[0] = http(ex -> {
            if (ex.getRequestURI().getPath().equals("/stolen")) {
                manifest(ex);
            } else {
                basicRegistry(e -> redirect(e, "http://localhost:" + port(self[0]) + "/stolen"))
                        .handle(ex);
            }
        });

        client("http://127.0.0.1:" + port(self[0])).getManifest("guli/app", "latest");
        assertThat(seen).anyMatch(s -> s.contains(" 127.0.0.1:") && s.endsWith("Authorization=" + basic));
        assertThat(seen)
                .filteredOn(s -> s.contains("/stolen"))
                .hasSize(1)
                .allMatch(s -> s.contains(" localhost:") && s.endsWith("Authorization=null"));
    }

    @Test
    void aRedirectWithinTheRegistryKeepsTheCredentials() throws Exception {
        HttpServer[] self = new HttpServer[1];
        self[0] = http(basicRegistry(ex -> {
            if (ex.getRequestURI().getPath().equals("/moved")) {
                manifest(ex);
            } else {
                redirect(ex, "/moved");
            }
        }));
        client("http://127.0.0.1:" + port(self[0])).getManifest("guli/app", "latest");
        assertThat(seen)
                .filteredOn(s -> s.contains("/moved"))
                .hasSize(1)
                .allMatch(s -> s.endsWith("Authorization=" + basic));
    }

    @Test
    void anHttpTokenServiceBehindAnHttpsRegistryIsRefused() throws Exception {
        HttpServer tokens = http(ex -> ex.sendResponseHeaders(500, -1));
        Tls tls = tls();
        HttpsServer registry = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        registry.setHttpsConfigurator(new HttpsConfigurator(tls.server));
        server(registry, ex -> {
            ex.getResponseHeaders()
                    .add(
                            "WWW-Authenticate",
                            "Bearer realm=\"http://127.0.0.1:" + port(tokens) + "/token\",service=\"registry\"");
            ex.sendResponseHeaders(401, -1);
        });
        RegistryClient client = new RegistryClient(
                RegistryEndpoint.parse("https://127.0.0.1:" + port(registry)),
                creds,
                new Retry(1, Duration.ofMillis(1)),
                l -> {},
                HttpClient.newBuilder().sslContext(tls.client));

        assertThatThrownBy(() -> client.getManifest("guli/app", "latest"))
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("named the token service http://127.0.0.1:" + port(tokens) + "/token")
                .hasMessageContaining("over plain http")
                .hasMessageContaining("must be https")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(creds.password()));
        assertThat(seenOn(port(registry))).as("the registry was asked").isNotEmpty();
        assertThat(seenOn(port(tokens)))
                .as("the http token service was never called")
                .isEmpty();
    }

    @Test
    void anHttpRegistrysTokenServiceOnAnotherHostIsRefused() throws Exception {
        HttpServer tokens = http(ex -> ex.sendResponseHeaders(500, -1));
        HttpServer registry = http(ex -> {
            ex.getResponseHeaders()
                    .add("WWW-Authenticate", "Bearer realm=\"http://localhost:" + port(tokens) + "/token\"");
            ex.sendResponseHeaders(401, -1);
        });
        assertThatThrownBy(() -> client("http://127.0.0.1:" + port(registry)).getManifest("guli/app", "latest"))
                .hasMessageContaining("on another host over plain http");
        assertThat(seenOn(port(tokens))).isEmpty();
    }

    @Test
    void aChallengeFromTheOriginARedirectLeadsToIsAnErrorAndItsRealmGetsNoCredentials() throws Exception {
        HttpServer[] foreign = new HttpServer[1];
        foreign[0] = http(ex -> {
            if (ex.getRequestURI().getPath().equals("/token")) {
                byte[] token = "{\"token\":\"foreign\"}".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, token.length);
                ex.getResponseBody().write(token);
                return;
            }
            // its own token service, on the registry's host: an http realm the registry itself could have named
            ex.getResponseHeaders()
                    .add("WWW-Authenticate", "Bearer realm=\"http://127.0.0.1:" + port(foreign[0]) + "/token\"");
            ex.sendResponseHeaders(401, -1);
        });
        // a registry that serves this repository without a login, and sends it to "storage"
        HttpServer registry = http(ex -> redirect(ex, "http://127.0.0.1:" + port(foreign[0]) + "/storage/blob"));

        Throwable thrown = catchThrowable(
                () -> client("http://127.0.0.1:" + port(registry)).getManifest("guli/app", "latest"));
        assertThat(seenOn(port(registry))).as("the registry was asked").isNotEmpty();
        assertThat(seenOn(port(foreign[0])))
                .as("the redirect's target was asked, and neither it nor its realm got credentials")
                .isNotEmpty()
                .allMatch(s -> s.endsWith("Authorization=null"));
        assertThat(seenOn(port(foreign[0]))).as("its realm was never asked").noneMatch(s -> s.contains("/token"));
        assertThat(thrown)
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("redirected to http://127.0.0.1:" + port(foreign[0]) + "/storage/blob")
                .hasMessageContaining("which asked for a login");
        assertThat(thrown.getMessage()).doesNotContain(creds.password());
    }

    @Test
    void anHttpRegistrysTokenServiceOnAnotherPortOfItsHostIsRefused() throws Exception {
        HttpServer tokens = http(ex -> ex.sendResponseHeaders(500, -1));
        HttpServer registry = http(ex -> {
            ex.getResponseHeaders()
                    .add("WWW-Authenticate", "Bearer realm=\"http://127.0.0.1:" + port(tokens) + "/token\"");
            ex.sendResponseHeaders(401, -1);
        });
        assertThatThrownBy(() -> client("http://127.0.0.1:" + port(registry)).getManifest("guli/app", "latest"))
                .hasMessageContaining("named the token service http://127.0.0.1:" + port(tokens) + "/token")
                .hasMessageContaining("must be the registry's own http://127.0.0.1:" + port(registry));
        assertThat(seenOn(port(tokens))).as("the other port was never called").isEmpty();
    }

    @Test
    void anUploadLocationOnAnotherOriginGetsNoCredentials() throws Exception {
        HttpServer elsewhere = http(ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(201, -1);
        });
        HttpServer registry = http(basicRegistry(ex -> {
            ex.getResponseHeaders().add("Location", "http://127.0.0.1:" + port(elsewhere) + "/upload/1");
            ex.sendResponseHeaders(202, -1);
        }));
        Path blob = Files.writeString(dir.resolve("blob"), "layer");

        new BlobUpload(client("http://127.0.0.1:" + port(registry))).upload("guli/app", "sha256:0", blob);
        assertThat(seenOn(port(registry))).anyMatch(s -> s.endsWith("Authorization=" + basic));
        assertThat(seenOn(port(elsewhere))).hasSize(1).allMatch(s -> s.endsWith("/upload/1 Authorization=null"));
    }

    /** A self-signed certificate for 127.0.0.1, made with the JDK's keytool: the server's key, the client's trust. */
    private record Tls(SSLContext server, SSLContext client) {}

    private Tls tls() throws Exception {
        Path store = dir.resolve("tls.p12");
        String keytool =
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(
                        keytool,
                        "-genkeypair",
                        "-alias",
                        "registry",
                        "-keyalg",
                        "EC",
                        "-dname",
                        "CN=127.0.0.1",
                        "-ext",
                        "SAN=ip:127.0.0.1",
                        "-validity",
                        "2",
                        "-keystore",
                        store.toString(),
                        "-storetype",
                        "PKCS12",
                        "-storepass",
                        "changeit")
                .redirectErrorStream(true)
                .start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("registry", ks.getCertificate("registry"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        return new Tls(server, client);
    }
}
