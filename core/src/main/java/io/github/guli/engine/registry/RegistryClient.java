package io.github.guli.engine.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.UsernamePassword;
import java.io.IOException;
import java.net.URI;
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
import java.util.Map;
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
    static final String ACCEPT = String.join(", ",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json");
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryEndpoint endpoint;
    private final UsernamePassword credentials;
    private final Retry retry;
    private final Log log;
    private final HttpClient http;
    private final Map<String, String> authorizationByScope = new LinkedHashMap<>();

    public RegistryClient(RegistryEndpoint endpoint, UsernamePassword credentials, Retry retry, Log log) {
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.retry = retry;
        this.log = log;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** Reads the manifest a tag (or digest) points to. */
    public Manifest getManifest(String repository, String reference) {
        Manifest m = findManifest(repository, reference);
        if (m == null) {
            throw new GuliException("image " + endpoint.host() + "/" + repository + ":" + reference + " does not exist "
                    + "in the registry: push it first (guliImage), or give the tag that was pushed as sourceTag");
        }
        return m;
    }

    /** Reads the manifest a tag (or digest) points to; null when the registry has no such tag. */
    public Manifest findManifest(String repository, String reference) {
        HttpResponse<byte[]> r = send(repository, "pull", () -> HttpRequest.newBuilder(manifestUri(repository, reference))
                .header("Accept", ACCEPT).GET());
        if (r.statusCode() == 404) {
            return null;
        }
        expectOk(r, "reading the manifest of " + repository + ":" + reference);
        String mediaType = r.headers().firstValue("Content-Type").orElse("application/vnd.docker.distribution.manifest.v2+json");
        String digest = sha256(r.body());
        return new Manifest(r.body(), mediaType, digest);
    }

    /**
     * Removes one tag, leaving the manifest and its other tags alone (OCI distribution 1.1's DELETE of a tag;
     * Docker Distribution 3, Harbor, zot). Never deletes by digest: that would remove every tag of the image.
     *
     * @return null when the tag is gone, else the registry's answer to a registry that cannot delete a tag alone
     */
    public String deleteTag(String repository, String tag) {
        HttpResponse<byte[]> r = send(repository, "delete", () -> HttpRequest.newBuilder(manifestUri(repository, tag)).DELETE());
        if (r.statusCode() / 100 == 2) {
            return null;
        }
        String body = new String(r.body(), StandardCharsets.UTF_8).strip();
        return "HTTP " + r.statusCode() + (body.isEmpty() ? "" : " " + body);
    }

    /** Puts a manifest under a tag; returns the digest the registry reports (the same as the manifest's). */
    public String putManifest(String repository, String tag, Manifest manifest) {
        HttpResponse<byte[]> r = send(repository, "pull,push", () -> HttpRequest.newBuilder(manifestUri(repository, tag))
                .header("Content-Type", manifest.mediaType())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest.body())));
        expectOk(r, "tagging " + repository + ":" + tag);
        return r.headers().firstValue("Docker-Content-Digest").orElse(manifest.digest());
    }

    /** Copies {@code from} to {@code to} (same repository) through the API: no layer is downloaded or uploaded. */
    public String copyTag(String repository, String from, String to) {
        Manifest m = getManifest(repository, from);
        String digest = putManifest(repository, to, m);
        if (!digest.equals(m.digest())) {
            throw new GuliException("the registry stored " + repository + ":" + to + " as " + digest + " but the source "
                    + "manifest is " + m.digest() + ": the registry rewrote it; tag the image with docker instead");
        }
        return digest;
    }

    private URI manifestUri(String repository, String reference) {
        return endpoint.baseUri().resolve("/v2/" + repository + "/manifests/" + reference);
    }

    /** Sends with the cached authorization for the scope; on 401 answers the registry's challenge once. */
    private HttpResponse<byte[]> send(String repository, String actions, RequestFactory request) {
        String scope = "repository:" + repository + ":" + actions;
        HttpResponse<byte[]> r = sendWithRetry(request, authorizationByScope.get(scope));
        if (r.statusCode() == 401) {
            String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
            authorizationByScope.put(scope, answer(challenge, scope));
            r = sendWithRetry(request, authorizationByScope.get(scope));
            if (r.statusCode() == 401) {
                throw loginRefused("HTTP 401");
            }
        }
        if (r.statusCode() == 403) {
            throw new GuliException("registry " + endpoint.host() + " denied " + actions + " on " + repository
                    + (credentials == null ? "" : " for user " + credentials.username()) + " (HTTP 403): grant the user push rights on that "
                    + "repository, or check the namespace");
        }
        return r;
    }

    private String answer(String challenge, String scope) {
        if (credentials == null) {
            throw new GuliException("registry " + endpoint.host() + " requires a login: give registry credentials "
                    + "(a username/password credentials ID, or GULI_REGISTRY_USERNAME/GULI_REGISTRY_PASSWORD)");
        }
        String scheme = challenge.contains(" ") ? challenge.substring(0, challenge.indexOf(' ')) : challenge;
        if (scheme.equalsIgnoreCase("Basic")) {
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
            throw new GuliException("registry " + endpoint.host() + " sent a Bearer challenge without a realm: " + challenge);
        }
        StringBuilder q = new StringBuilder(realm).append(realm.contains("?") ? '&' : '?');
        if (p.containsKey("service")) {
            q.append("service=").append(URLEncoder.encode(p.get("service"), StandardCharsets.UTF_8)).append('&');
        }
        q.append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        HttpResponse<byte[]> r = sendWithRetry(() -> HttpRequest.newBuilder(URI.create(q.toString())).GET(), basic());
        if (r.statusCode() == 401 || r.statusCode() == 403) {
            throw loginRefused("HTTP " + r.statusCode() + " from the token service");
        }
        expectOk(r, "getting a token");
        try {
            JsonNode token = JSON.readTree(r.body());
            String t = token.hasNonNull("token") ? token.get("token").asText() : token.path("access_token").asText(null);
            if (t == null) {
                throw new GuliException("the token service of " + endpoint.host() + " answered without a token");
            }
            return "Bearer " + t;
        } catch (IOException e) {
            throw new GuliException("the token service of " + endpoint.host() + " answered with something that is not JSON", e);
        }
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

    private HttpResponse<byte[]> sendWithRetry(RequestFactory request, String authorization) {
        for (int attempt = 1; ; attempt++) {
            String failure;
            try {
                HttpRequest.Builder b = request.build().timeout(Duration.ofMinutes(2));
                if (authorization != null) {
                    b.header("Authorization", authorization);
                }
                HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 429 && r.statusCode() < 500) {
                    return r;
                }
                failure = "HTTP " + r.statusCode();
                if (attempt >= retry.attempts()) {
                    throw new GuliException("registry " + endpoint.host() + " kept failing (" + failure + ") after "
                            + attempt + " attempts: try again later, or check the registry's status");
                }
            } catch (IOException e) {
                failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                if (attempt >= retry.attempts()) {
                    throw new GuliException("cannot reach registry " + endpoint.baseUri() + " (" + failure + ") after "
                            + attempt + " attempts: check the registry address and that this agent can reach it", e);
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

    private void expectOk(HttpResponse<byte[]> r, String what) {
        if (r.statusCode() / 100 != 2) {
            String body = new String(r.body(), StandardCharsets.UTF_8);
            throw new GuliException("registry " + endpoint.host() + " failed " + what + ": HTTP " + r.statusCode()
                    + (body.isBlank() ? "" : " " + body.strip()));
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    private interface RequestFactory {
        HttpRequest.Builder build();
    }
}
