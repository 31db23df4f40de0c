package io.github.guli.engine.registry;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.UsernamePassword;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A client of the Docker Registry HTTP API v2 (the OCI distribution API), enough to copy a tag: read a
 * manifest and put it under another tag, which moves no layer data; {@link BlobUpload} does the blobs. The
 * challenges are answered by {@link RegistryAuthenticator}, once per scope; {@link RegistryHttp} sends, retries and
 * follows redirects, and decides where the {@code Authorization} header may go.
 */
public class RegistryClient {
    /** Every manifest kind a registry may hold for one tag: single-platform and multi-platform, Docker and OCI. */
    static final String ACCEPT = String.join(
            ", ",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json");

    private final RegistryEndpoint endpoint;
    private final UsernamePassword credentials;
    private final RegistryHttp http;
    private final RegistryAuthenticator auth;
    private final Map<String, RegistryHttp.Authorization> authorizationByScope = new LinkedHashMap<>();

    public RegistryClient(RegistryEndpoint endpoint, UsernamePassword credentials, Retry retry, Log log) {
        this(endpoint, credentials, retry, log, HttpClient.newBuilder());
    }

    /** @param http the client's builder, e.g. with the TLS context of a test's own certificate authority */
    RegistryClient(
            RegistryEndpoint endpoint, UsernamePassword credentials, Retry retry, Log log, HttpClient.Builder http) {
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.http = new RegistryHttp(endpoint, retry, log, http);
        this.auth = new RegistryAuthenticator(endpoint, credentials, this.http);
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
        return delete(repository, tag, false);
    }

    /**
     * Deletes the manifest {@code digest} from {@code repository}, with every tag of that repository on it ({@code
     * DELETE /v2/<name>/manifests/<digest>}); a manifest already gone counts as deleted.
     *
     * @return null when it is gone, else the registry's answer (e.g. HTTP 405: the registry does not delete)
     */
    public String deleteManifest(String repository, String digest) {
        if (!digest.matches("sha256:[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a digest: " + digest);
        }
        return delete(repository, digest, true);
    }

    private String delete(String repository, String reference, boolean goneIsDeleted) {
        HttpResponse<byte[]> r = send(
                repository,
                "delete",
                () -> HttpRequest.newBuilder(manifestUri(repository, reference)).DELETE());
        if (r.statusCode() / 100 == 2 || goneIsDeleted && r.statusCode() == 404) {
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
    private HttpResponse<byte[]> send(String repository, String actions, RegistryHttp.RequestFactory request) {
        return send(
                List.of("repository:" + repository + ":" + actions), request, HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * Sends with the cached authorization for the scopes (a cross-repository mount needs two); on 401 from the
     * registry itself answers its challenge once.
     */
    <T> HttpResponse<T> send(
            List<String> scopes, RegistryHttp.RequestFactory request, HttpResponse.BodyHandler<T> body) {
        String key = String.join(" ", scopes);
        HttpResponse<T> r = http.send(request, authorizationByScope.get(key), body);
        if (r.statusCode() == 401) {
            RegistryHttp.discard(r);
            authorizationByScope.put(key, auth.answer(r, scopes));
            r = http.send(request, authorizationByScope.get(key), body);
            if (r.statusCode() == 401) {
                RegistryHttp.discard(r);
                auth.checkOrigin(r); // a 401 of another origin is refused with its address
                throw credentials == null ? auth.loginNeeded() : auth.loginRefused("HTTP 401");
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
}
