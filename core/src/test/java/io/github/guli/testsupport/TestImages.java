package io.github.guli.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.guli.engine.UsernamePassword;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/** Pushes a small but real image (one layer, a config, a schema-2 manifest) through the registry's blob API. */
public final class TestImages {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestImages() {}

    /** Returns the manifest digest. */
    public static String push(String registry, UsernamePassword creds, String repository, String tag) throws Exception {
        return push(registry, creds, repository, tag, Map.of());
    }

    /** An image whose config carries {@code labels} (as {@code docker build --label} writes them); its digest. */
    public static String push(
            String registry, UsernamePassword creds, String repository, String tag, Map<String, String> labels)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String auth = "Basic "
                + Base64.getEncoder()
                        .encodeToString((creds.username() + ":" + creds.password()).getBytes(StandardCharsets.UTF_8));
        byte[] layer = ("layer " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":"
                        + JSON.writeValueAsString(Map.of("Labels", labels)) + ",\"rootfs\":{\"type\":\"layers\","
                        + "\"diff_ids\":[\"" + sha256(layer) + "\"]}}")
                .getBytes(StandardCharsets.UTF_8);
        uploadBlob(http, auth, registry, repository, layer);
        uploadBlob(http, auth, registry, repository, config);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"size\":"
                + config.length
                + ",\"digest\":\"" + sha256(config) + "\"},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"size\":" + layer.length + ",\"digest\":\""
                + sha256(layer) + "\"}]}";
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://" + registry + "/v2/" + repository + "/manifests/" + tag))
                        .header("Authorization", auth)
                        .header("Content-Type", "application/vnd.docker.distribution.manifest.v2+json")
                        .PUT(HttpRequest.BodyPublishers.ofString(manifest))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        check(r, 201);
        return sha256(manifest.getBytes(StandardCharsets.UTF_8));
    }

    private static void uploadBlob(HttpClient http, String auth, String registry, String repository, byte[] blob)
            throws Exception {
        HttpResponse<String> start = http.send(
                HttpRequest.newBuilder(URI.create("http://" + registry + "/v2/" + repository + "/blobs/uploads/"))
                        .header("Authorization", auth)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        check(start, 202);
        String location = start.headers().firstValue("Location").orElseThrow();
        URI put = URI.create("http://" + registry + "/")
                .resolve(location + (location.contains("?") ? "&" : "?") + "digest=" + sha256(blob));
        HttpResponse<String> done = http.send(
                HttpRequest.newBuilder(put)
                        .header("Authorization", auth)
                        .header("Content-Type", "application/octet-stream")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(blob))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        check(done, 201);
    }

    private static void check(HttpResponse<String> r, int expected) throws IOException {
        if (r.statusCode() != expected) {
            throw new IOException(r.request().method() + " " + r.uri() + " -> HTTP " + r.statusCode() + " " + r.body());
        }
    }

    public static String sha256(byte[] b) throws Exception {
        return "sha256:"
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
