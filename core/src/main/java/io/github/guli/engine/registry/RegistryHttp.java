package io.github.guli.engine.registry;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

/**
 * The HTTP side of a registry's API: retries (dropped connections, 429, 5xx), redirects, and where an
 * {@code Authorization} header may go. Redirects are followed here, not by Java's HTTP client, which would forward
 * the header to whatever host a 307 names: the header is sent only to the origin (scheme, host, port) it was made
 * for, on the first request and on every hop, so a blob store a registry redirects to gets none.
 */
final class RegistryHttp {
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final int MAX_REDIRECTS = 5;

    private final RegistryEndpoint endpoint;
    private final Retry retry;
    private final Log log;
    private final HttpClient http;

    RegistryHttp(RegistryEndpoint endpoint, Retry retry, Log log, HttpClient.Builder http) {
        this.endpoint = endpoint;
        this.retry = retry;
        this.log = log;
        this.http = http.connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** An {@code Authorization} header value and the only origin that may receive it. */
    record Authorization(URI origin, String value) {}

    /** A request, built anew for each attempt (a body publisher may be read once). */
    @FunctionalInterface
    interface RequestFactory {
        HttpRequest.Builder build();
    }

    /**
     * Sends with retries and follows redirects. The answer's {@link HttpResponse#uri()} is the last hop's, so a caller
     * can tell which origin answered.
     *
     * @param authorization null: none
     */
    <T> HttpResponse<T> send(RequestFactory request, Authorization authorization, HttpResponse.BodyHandler<T> body) {
        for (int attempt = 1; ; attempt++) {
            String failure;
            try {
                HttpRequest q = request.build().build();
                if (q.timeout().isEmpty()) {
                    q = HttpRequest.newBuilder(q, (name, value) -> true)
                            .timeout(Duration.ofMinutes(2))
                            .build();
                }
                HttpResponse<T> r = followRedirects(q, authorization, body);
                if (r.statusCode() != 429 && r.statusCode() < 500) {
                    return r;
                }
                discard(r);
                failure = "HTTP " + r.statusCode();
                if (attempt >= retry.attempts()) {
                    throw new GuliException("registry " + endpoint.host() + " kept failing (" + failure + ") after "
                            + attempt + " attempts: try again later, or check the registry's status");
                }
            } catch (IOException e) {
                failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                if (attempt >= retry.attempts()) {
                    throw new GuliException(
                            "cannot reach registry " + endpoint.baseUri() + " (" + failure + ") after " + attempt
                                    + " attempts: check the registry address and that this agent can reach it",
                            e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GuliException("interrupted while talking to registry " + endpoint.host(), e);
            }
            Duration wait = retry.delayBefore(attempt + 1);
            log.info("registry " + endpoint.host() + ": " + failure + ", retrying in " + wait.toMillis() + " ms");
            retry.sleep(wait);
        }
    }

    private <T> HttpResponse<T> followRedirects(
            HttpRequest first, Authorization authorization, HttpResponse.BodyHandler<T> body)
            throws IOException, InterruptedException {
        HttpRequest request = first;
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder b =
                    HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase("Authorization"));
            if (authorization != null && sameOrigin(request.uri(), authorization.origin())) {
                b.header("Authorization", authorization.value());
            }
            HttpResponse<T> r = http.send(b.build(), body);
            int status = r.statusCode();
            String location = r.headers().firstValue("Location").orElse(null);
            if (!REDIRECTS.contains(status) || location == null) {
                return r;
            }
            discard(r);
            if (hop >= MAX_REDIRECTS) {
                throw new GuliException("registry " + endpoint.host() + " redirected " + first.uri() + " more than "
                        + MAX_REDIRECTS + " times: check the registry's address and its storage settings");
            }
            URI next;
            try {
                next = request.uri().resolve(new URI(location));
            } catch (URISyntaxException e) {
                throw new GuliException(
                        "registry " + endpoint.host() + " redirected to something that is not a URL: " + location);
            }
            if (!"https".equalsIgnoreCase(next.getScheme()) && !"http".equalsIgnoreCase(next.getScheme())) {
                throw new GuliException("registry " + endpoint.host() + " redirected to " + next.getScheme()
                        + ": only http and https are followed");
            }
            HttpRequest.Builder nb =
                    HttpRequest.newBuilder(request, (name, value) -> true).uri(next);
            boolean keepMethod = status == 307
                    || status == 308
                    || request.method().equals("GET")
                    || request.method().equals("HEAD");
            if (!keepMethod) {
                nb.GET(); // what browsers and curl do for 301, 302 and 303 after a POST or PUT
            }
            request = nb.build();
        }
    }

    /** Closes a streamed body that will not be read, so its connection can be reused. */
    static void discard(HttpResponse<?> r) {
        if (r.body() instanceof java.io.InputStream in) {
            try {
                in.close();
            } catch (IOException ignored) {
                // the connection is dropped instead
            }
        }
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null
                && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    /** The scheme, host and port of {@code u}, as a URL for messages. */
    static String origin(URI u) {
        return u.getScheme() + "://" + u.getHost() + ":" + port(u);
    }
}
