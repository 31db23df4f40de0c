package io.github.guli.engine.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.UsernamePassword;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client of the Docker Registry HTTP API v2 (the OCI distribution API), enough to copy a tag: read a
 * manifest and put it under another tag, which moves no layer data. Authenticates the way {@code docker login}
 * does: HTTP Basic where the registry asks for it (Docker Distribution with htpasswd), or a Bearer token from
 * the realm the registry names (Docker Hub, Harbor, Aliyun ACR). Retries dropped connections, 429 and 5xx.
 */
public class RegistryClient {
    /** Every manifest kind a registry may hold for one tag: single-platform and multi-platform, Docker and OCI. */
    static final String ACCEPT = String.join(
            ", ",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json");

    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final int MAX_REDIRECTS = 5;

    private final RegistryEndpoint endpoint;
    private final UsernamePassword credentials;
    private final Retry retry;
    private final Log log;
    private final HttpClient http;
    private final Map<String, String> authorizationByScope = new LinkedHashMap<>();

    public RegistryClient(RegistryEndpoint endpoint, UsernamePassword credentials, Retry retry, Log log) {
        this(endpoint, credentials, retry, log, HttpClient.newBuilder());
    }

    /** @param http the client's builder, e.g. with the TLS context of a test's own certificate authority */
    RegistryClient(
            RegistryEndpoint endpoint, UsernamePassword credentials, Retry retry, Log log, HttpClient.Builder http) {
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.retry = retry;
        this.log = log;
        // never: redirects are followed here, where the credentials' origin is known
        this.http = http.connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Reads the manifest a tag (or digest) points to. */
    public ImageManifest getManifest(String repository, String reference) {
        ImageManifest m = findManifest(repository, reference);
        if (m == null) {
            throw new GuliException("image " + endpoint.host() + "/" + repository + ":" + reference + " does not exist "
                    + "in the registry: push it first (guliImage), or give the tag that was pushed as sourceTag");
        }
        return m;
    }

    /** The manifest a tag (or digest) points to, or null when the registry has none. */
    public ImageManifest findManifest(String repository, String reference) {
        HttpResponse<byte[]> r = send(
                repository,
                "pull",
                () -> HttpRequest.newBuilder(manifestUri(repository, reference))
                        .header("Accept", ACCEPT)
                        .GET());
        if (r.statusCode() == 404) {
            return null;
        }
        expectOk(r, "reading the manifest of " + repository + ":" + reference);
        String mediaType =
                r.headers().firstValue("Content-Type").orElse("application/vnd.docker.distribution.manifest.v2+json");
        String digest = sha256(r.body());
        if (reference.startsWith("sha256:") && !reference.equals(digest)) {
            throw new GuliException("registry " + endpoint.host() + " answered " + repository + "@" + reference
                    + " with a manifest whose digest is " + digest + ": refused");
        }
        return new ImageManifest(r.body(), mediaType, digest);
    }

    /**
     * Removes one tag, leaving the manifest and its other tags alone (OCI distribution 1.1's DELETE of a tag;
     * Docker Distribution 3, Harbor, zot). Never deletes by digest: that would remove every tag of the image.
     *
     * @return null when the tag is gone, else the registry's answer to a registry that cannot delete a tag alone
     */
    public String deleteTag(String repository, String tag) {
        HttpResponse<byte[]> r = send(
                repository,
                "delete",
                () -> HttpRequest.newBuilder(manifestUri(repository, tag)).DELETE());
        if (r.statusCode() / 100 == 2) {
            return null;
        }
        String body = new String(r.body(), StandardCharsets.UTF_8).strip();
        return "HTTP " + r.statusCode() + (body.isEmpty() ? "" : " " + body);
    }

    /** Puts a manifest under a tag; returns the digest the registry reports (the same as the manifest's). */
    public String putManifest(String repository, String tag, ImageManifest manifest) {
        HttpResponse<byte[]> r = send(
                repository,
                "pull,push",
                () -> HttpRequest.newBuilder(manifestUri(repository, tag))
                        .header("Content-Type", manifest.mediaType())
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest.body())));
        expectOk(r, "tagging " + repository + ":" + tag);
        return r.headers().firstValue("Docker-Content-Digest").orElse(manifest.digest());
    }

    /** Copies {@code from} to {@code to} (same repository) through the API: no layer is downloaded or uploaded. */
    public String copyTag(String repository, String from, String to) {
        ImageManifest m = getManifest(repository, from);
        String digest = putManifest(repository, to, m);
        if (!digest.equals(m.digest())) {
            throw new GuliException("the registry stored " + repository + ":" + to + " as " + digest
                    + " but the source " + "manifest is " + m.digest()
                    + ": the registry rewrote it; tag the image with docker instead");
        }
        return digest;
    }

    private URI manifestUri(String repository, String reference) {
        return endpoint.baseUri().resolve("/v2/" + repository + "/manifests/" + reference);
    }

    /** Sends with the cached authorization for the scope; on 401 answers the registry's challenge once. */
    private HttpResponse<byte[]> send(String repository, String actions, RequestFactory request) {
        return send(
                List.of("repository:" + repository + ":" + actions), request, HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * Sends with the cached authorization for the scopes (a cross-repository mount needs two); on 401 answers the
     * registry's challenge once.
     */
    <T> HttpResponse<T> send(List<String> scopes, RequestFactory request, HttpResponse.BodyHandler<T> body) {
        String key = String.join(" ", scopes);
        HttpResponse<T> r = sendWithRetry(request, authorizationByScope.get(key), body);
        if (r.statusCode() == 401) {
            discard(r);
            String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
            authorizationByScope.put(key, answer(challenge, scopes));
            r = sendWithRetry(request, authorizationByScope.get(key), body);
            if (r.statusCode() == 401) {
                throw credentials == null ? loginNeeded() : loginRefused("HTTP 401");
            }
        }
        if (r.statusCode() == 403) {
            throw new GuliException("registry " + endpoint.host() + " denied " + key + " (HTTP 403)"
                    + (credentials == null ? "" : " for user " + credentials.username())
                    + ": grant the user push rights on that "
                    + "repository, or check the namespace");
        }
        return r;
    }

    private String answer(String challenge, List<String> scopes) {
        String scheme = challenge.contains(" ") ? challenge.substring(0, challenge.indexOf(' ')) : challenge;
        if (scheme.equalsIgnoreCase("Basic")) {
            if (credentials == null) {
                throw loginNeeded();
            }
            return basic();
        }
        if (!scheme.equalsIgnoreCase("Bearer")) {
            throw new GuliException("registry " + endpoint.host() + " asked for an unsupported authentication '"
                    + scheme + "': only Basic and Bearer token authentication are supported");
        }
        Map<String, String> p = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(challenge);
        while (m.find()) {
            p.put(m.group(1), m.group(2));
        }
        String realm = p.get("realm");
        if (realm == null) {
            throw new GuliException(
                    "registry " + endpoint.host() + " sent a Bearer challenge without a realm: " + challenge);
        }
        URI realmUri = tokenRealm(realm);
        StringBuilder q = new StringBuilder(realmUri.toString()).append(realm.contains("?") ? '&' : '?');
        if (p.containsKey("service")) {
            q.append("service=")
                    .append(URLEncoder.encode(p.get("service"), StandardCharsets.UTF_8))
                    .append('&');
        }
        q.append(String.join(
                "&",
                scopes.stream()
                        .map(s -> "scope=" + URLEncoder.encode(s, StandardCharsets.UTF_8))
                        .toList()));
        // no credentials: an anonymous token, as public registries give for pulls
        HttpResponse<byte[]> r = sendWithRetry(
                () -> HttpRequest.newBuilder(URI.create(q.toString())).GET(),
                credentials == null ? null : basic(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 401 || r.statusCode() == 403) {
            throw credentials == null
                    ? loginNeeded()
                    : loginRefused("HTTP " + r.statusCode() + " from the token service");
        }
        expectOk(r, "getting a token");
        try {
            JsonNode token = JSON.readTree(r.body());
            String t = token.hasNonNull("token")
                    ? token.get("token").asText()
                    : token.path("access_token").asText(null);
            if (t == null) {
                throw new GuliException("the token service of " + endpoint.host() + " answered without a token");
            }
            return "Bearer " + t;
        } catch (IOException e) {
            throw new GuliException(
                    "the token service of " + endpoint.host() + " answered with something that is not JSON", e);
        }
    }

    /**
     * The token service the registry names receives the password: over https only, unless the registry itself is
     * plain http (a registry on a private network, where the password already travels in clear), and then on the
     * registry's own host only.
     */
    private URI tokenRealm(String realm) {
        URI u;
        try {
            u = new URI(realm);
        } catch (URISyntaxException e) {
            throw new GuliException(
                    "registry " + endpoint.host() + " named a token service that is not a URL: " + realm);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        boolean plainRegistry = endpoint.baseUri().getScheme().equals("http");
        boolean allowed = scheme.equals("https") && u.getHost() != null
                || scheme.equals("http")
                        && plainRegistry
                        && u.getHost() != null
                        && u.getHost().equalsIgnoreCase(endpoint.baseUri().getHost());
        if (!allowed) {
            throw new GuliException("registry " + endpoint.host() + " named the token service " + realm + ", which "
                    + "would receive the registry password "
                    + (plainRegistry ? "on another host over plain http" : "over plain http")
                    + ": refused. The token service of an https registry must be https (check "
                    + "the registry's auth.token.realm setting, or that nothing between this agent and the registry "
                    + "rewrites its answers)");
        }
        return u;
    }

    private GuliException loginNeeded() {
        return new LoginRequired("registry " + endpoint.host() + " requires a login: give registry credentials "
                + "(a username/password credentials ID, or GULI_REGISTRY_USERNAME/GULI_REGISTRY_PASSWORD)");
    }

    private GuliException loginRefused(String why) {
        return new GuliException("registry " + endpoint.host() + " refused the login of user '" + credentials.username()
                + "' (" + why + "): check the username and password (for Aliyun ACR, the registry password set in "
                + "the console, not the Aliyun account password)");
    }

    private String basic() {
        String pair = credentials.username() + ":" + credentials.password();
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private <T> HttpResponse<T> sendWithRetry(
            RequestFactory request, String authorization, HttpResponse.BodyHandler<T> body) {
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

    /**
     * Follows redirects here rather than in the HTTP client, so that {@code Authorization} goes only to the origin
     * (scheme, host, port) it was meant for: a blob store a registry redirects to gets the request without it.
     */
    private <T> HttpResponse<T> followRedirects(
            HttpRequest first, String authorization, HttpResponse.BodyHandler<T> body)
            throws IOException, InterruptedException {
        HttpRequest request = first;
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder b =
                    HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase("Authorization"));
            if (authorization != null && sameOrigin(request.uri(), first.uri())) {
                b.header("Authorization", authorization);
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
    private static void discard(HttpResponse<?> r) {
        if (r.body() instanceof java.io.InputStream in) {
            try {
                in.close();
            } catch (IOException ignored) {
                // the connection is dropped instead
            }
        }
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    void expectOk(HttpResponse<?> r, String what) {
        if (r.statusCode() / 100 != 2) {
            String body = r.body() instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : "";
            throw new GuliException("registry " + endpoint.host() + " failed " + what + ": HTTP " + r.statusCode()
                    + (body.isBlank() ? "" : " " + body.strip()));
        }
    }

    public static String sha256(byte[] bytes) {
        try {
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The registry asked for a login and no credentials were given. */
    public static final class LoginRequired extends GuliException {
        LoginRequired(String message) {
            super(message);
        }
    }

    RegistryEndpoint endpoint() {
        return endpoint;
    }

    Log log() {
        return log;
    }

    @FunctionalInterface
    interface RequestFactory {
        HttpRequest.Builder build();
    }
}
