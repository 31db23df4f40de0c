package io.github.guli.engine.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.guli.engine.UsernamePassword;
import io.github.guli.testsupport.TestImages;
import io.github.guli.testsupport.TestServices;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Token authentication as Aliyun ACR, Harbor and Docker Hub do it: the registry answers 401 with a Bearer
 * challenge naming a token realm; the client gets a token there with Basic credentials and retries. A front on
 * loopback plays the token service and the challenge, and hands authorized requests to the real registry.
 */
class BearerTokenAuthTest {
    private final List<String> tokenRequests = Collections.synchronizedList(new ArrayList<>());
    private final String token = "tok-" + UUID.randomUUID();
    private HttpServer front;
    private String registry;
    private UsernamePassword creds;

    @BeforeEach
    void start() throws IOException {
        registry = TestServices.registry();
        creds = TestServices.registryCredentials();
        front = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        front.createContext("/token", this::issueToken);
        front.createContext("/v2/", this::registry);
        front.start();
    }

    @AfterEach
    void stop() {
        front.stop(0);
    }

    private String base() {
        return "http://127.0.0.1:" + front.getAddress().getPort();
    }

    private void issueToken(HttpExchange ex) throws IOException {
        tokenRequests.add(URLDecoder.decode(ex.getRequestURI().getRawQuery(), StandardCharsets.UTF_8));
        String expected = "Basic "
                + Base64.getEncoder()
                        .encodeToString((creds.username() + ":" + creds.password()).getBytes(StandardCharsets.UTF_8));
        String given = ex.getRequestHeaders().getFirst("Authorization");
        // no Authorization at all: an anonymous token, as public registries give for pulls
        byte[] body = expected.equals(given)
                        || given == null && !ex.getRequestURI().getRawQuery().contains("push")
                ? ("{\"token\":\"" + token + "\",\"expires_in\":300}").getBytes(StandardCharsets.UTF_8)
                : new byte[0];
        ex.sendResponseHeaders(body.length == 0 ? 401 : 200, body.length == 0 ? -1 : body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    private void registry(HttpExchange ex) throws IOException {
        try (ex) {
            if (!("Bearer " + token).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.getResponseHeaders()
                        .add(
                                "WWW-Authenticate",
                                "Bearer realm=\"" + base() + "/token\",service=\"test-registry\","
                                        + "scope=\"repository:x:pull\"");
                ex.sendResponseHeaders(401, -1);
                return;
            }
            String basic = "Basic "
                    + Base64.getEncoder()
                            .encodeToString(
                                    (creds.username() + ":" + creds.password()).getBytes(StandardCharsets.UTF_8));
            HttpRequest.Builder b = HttpRequest.newBuilder(
                            URI.create("http://" + registry + ex.getRequestURI().getRawPath()))
                    .header("Authorization", basic)
                    .method(
                            ex.getRequestMethod(),
                            HttpRequest.BodyPublishers.ofByteArray(
                                    ex.getRequestBody().readAllBytes()));
            for (String h : List.of("Accept", "Content-Type")) {
                if (ex.getRequestHeaders().getFirst(h) != null) {
                    b.header(h, ex.getRequestHeaders().getFirst(h));
                }
            }
            HttpResponse<byte[]> r =
                    HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            r.headers()
                    .firstValue("Content-Type")
                    .ifPresent(v -> ex.getResponseHeaders().add("Content-Type", v));
            r.headers()
                    .firstValue("Docker-Content-Digest")
                    .ifPresent(v -> ex.getResponseHeaders().add("Docker-Content-Digest", v));
            ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
            ex.getResponseBody().write(r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A client of the registry behind the front, logging in with {@code login} (none: anonymous). */
    private RegistryClient client(UsernamePassword login) {
        return new RegistryClient(
                RegistryEndpoint.parse(base()), login, new Retry(2, Duration.ofMillis(10)), line -> {});
    }

    @Test
    void getsATokenFromTheRealmForThePushScopeAndCopiesTheTag() throws Exception {
        String app = "bearer-" + UUID.randomUUID().toString().substring(0, 8);
        String digest = TestImages.push(registry, creds, "guli-test/" + app, "latest");
        RegistryClient client = client(creds);

        assertThat(client.copyTag("guli-test/" + app, "latest", "v1.0.0")).isEqualTo(digest);
        assertThat(tokenRequests)
                .containsExactly(
                        "service=test-registry&scope=repository:guli-test/" + app + ":pull",
                        "service=test-registry&scope=repository:guli-test/" + app + ":pull,push");
        assertThat(tokenRequests).noneMatch(q -> q.contains(creds.password()));
    }

    @Test
    void aTokenServiceThatRefusesIsALoginError() {
        RegistryClient client = client(new UsernamePassword(creds.username(), "wrong"));
        assertThatThrownBy(() -> client.getManifest("guli-test/any", "latest"))
                .hasMessageContaining(
                        "refused the login of user '" + creds.username() + "' (HTTP 401 from the token service)");
    }

    @Test
    void withNoCredentialsAnAnonymousTokenReadsAPublicImage() throws Exception {
        String app = "anon-" + UUID.randomUUID().toString().substring(0, 8);
        String digest = TestImages.push(registry, creds, "guli-test/" + app, "latest");
        RegistryClient anonymous = client(null);

        assertThat(anonymous.getManifest("guli-test/" + app, "latest").digest()).isEqualTo(digest);
        assertThat(tokenRequests).containsExactly("service=test-registry&scope=repository:guli-test/" + app + ":pull");
        assertThatThrownBy(() -> anonymous.putManifest(
                        "guli-test/" + app, "v1", anonymous.getManifest("guli-test/" + app, "latest")))
                .isInstanceOf(RegistryClient.LoginRequired.class)
                .hasMessageContaining("requires a login");
    }
}
