package io.github.guli.engine.registry;

import io.github.guli.engine.GuliException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * The blob half of a push through the registry API: a blob the repository has is not sent again (HEAD), one the
 * registry has in another repository is mounted from there (no bytes), the rest are uploaded in one request each.
 * Also reads blobs, checking each against its digest.
 */
public final class BlobUpload {
    /** How big a blob read into memory (an image config) may be. */
    private static final int MAX_IN_MEMORY = 4 << 20;

    private final RegistryClient client;

    public BlobUpload(RegistryClient client) {
        this.client = client;
    }

    /** Whether the repository has the blob. */
    public boolean exists(String repository, String digest) {
        HttpResponse<byte[]> r = client.send(
                List.of(scope(repository, "pull")),
                () -> HttpRequest.newBuilder(blobUri(repository, digest))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody()),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 404) {
            return false;
        }
        client.expectOk(r, "checking blob " + digest + " in " + repository);
        return true;
    }

    /** Mounts a blob of {@code from} (same registry) into {@code repository}; false when the registry would not. */
    public boolean mount(String repository, String digest, String from) {
        URI uri = client.endpoint()
                .baseUri()
                .resolve("/v2/" + repository + "/blobs/uploads/?mount="
                        + URLEncoder.encode(digest, StandardCharsets.UTF_8) + "&from="
                        + URLEncoder.encode(from, StandardCharsets.UTF_8));
        HttpResponse<byte[]> r = client.send(
                List.of(scope(repository, "pull,push"), scope(from, "pull")),
                () -> HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 201) {
            return true;
        }
        // 202: the registry opened an ordinary upload instead; it expires unused
        client.expectOk(r, "mounting blob " + digest + " from " + from + " into " + repository);
        return false;
    }

    /** Uploads a blob in one request; returns the bytes sent. */
    public long upload(String repository, String digest, Path file) {
        URI start = client.endpoint().baseUri().resolve("/v2/" + repository + "/blobs/uploads/");
        HttpResponse<byte[]> r = client.send(
                List.of(scope(repository, "pull,push")),
                () -> HttpRequest.newBuilder(start).POST(HttpRequest.BodyPublishers.noBody()),
                HttpResponse.BodyHandlers.ofByteArray());
        client.expectOk(r, "starting the upload of " + digest + " to " + repository);
        String location = r.headers()
                .firstValue("Location")
                .orElseThrow(() -> new GuliException("registry "
                        + client.endpoint().host() + " started an upload without saying where (no Location header)"));
        URI put = start.resolve(location + (location.contains("?") ? "&" : "?") + "digest="
                + URLEncoder.encode(digest, StandardCharsets.UTF_8));
        HttpResponse<byte[]> done = client.send(
                List.of(scope(repository, "pull,push")),
                () -> HttpRequest.newBuilder(put)
                        .timeout(Duration.ofMinutes(30))
                        .header("Content-Type", "application/octet-stream")
                        .PUT(ofFile(file)),
                HttpResponse.BodyHandlers.ofByteArray());
        client.expectOk(done, "uploading " + digest + " to " + repository);
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new GuliException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a small blob (an image config) and checks its digest. */
    public byte[] read(String repository, String digest) {
        HttpResponse<InputStream> r = client.send(
                List.of(scope(repository, "pull")),
                () -> HttpRequest.newBuilder(blobUri(repository, digest)).GET(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            if (r.statusCode() / 100 != 2) {
                client.expectOk(r, "reading blob " + digest + " of " + repository);
            }
            byte[] bytes = in.readNBytes(MAX_IN_MEMORY + 1);
            if (bytes.length > MAX_IN_MEMORY) {
                throw new GuliException("blob " + digest + " of " + repository + " is larger than "
                        + (MAX_IN_MEMORY >> 20) + " MiB: an image config is a few kilobytes");
            }
            check(repository, digest, RegistryClient.sha256(bytes));
            return bytes;
        } catch (IOException e) {
            throw new GuliException("cannot read blob " + digest + " of " + repository + ": " + e.getMessage(), e);
        }
    }

    /** Downloads a blob to a file and checks its digest. */
    public void download(String repository, String digest, Path file) {
        HttpResponse<Path> r = client.send(
                List.of(scope(repository, "pull")),
                () -> HttpRequest.newBuilder(blobUri(repository, digest))
                        .timeout(Duration.ofMinutes(30))
                        .GET(),
                HttpResponse.BodyHandlers.ofFile(
                        file,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING));
        if (r.statusCode() / 100 != 2) {
            throw new GuliException("registry " + client.endpoint().host() + " failed reading blob " + digest + " of "
                    + repository + ": HTTP " + r.statusCode());
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            check(
                    repository,
                    digest,
                    "sha256:"
                            + HexFormat.of()
                                    .formatHex(((DigestInputStream) in)
                                            .getMessageDigest()
                                            .digest()));
        } catch (IOException e) {
            throw new GuliException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void check(String repository, String expected, String actual) {
        if (!expected.equals(actual)) {
            throw new GuliException("registry " + client.endpoint().host() + " answered blob " + expected + " of "
                    + repository + " with bytes whose digest is " + actual + ": refused");
        }
    }

    private URI blobUri(String repository, String digest) {
        return client.endpoint().baseUri().resolve("/v2/" + repository + "/blobs/" + digest);
    }

    private static String scope(String repository, String actions) {
        return "repository:" + repository + ":" + actions;
    }

    private static HttpRequest.BodyPublisher ofFile(Path file) {
        try {
            return HttpRequest.BodyPublishers.ofFile(file);
        } catch (IOException e) {
            throw new GuliException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
