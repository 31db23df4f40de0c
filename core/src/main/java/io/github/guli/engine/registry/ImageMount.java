package io.github.guli.engine.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Makes an image of one repository available in another of the same registry without moving a layer (the
 * distribution spec's cross-repository blob mount): each blob the target lacks is mounted from the source
 * ({@code POST /v2/<to>/blobs/uploads/?mount=<digest>&from=<from>}, 201 Created), then the manifest is put by its
 * digest ({@code PUT /v2/<to>/manifests/<digest>}), children of an index first. No tag is written. A registry that
 * answers a mount with an upload (202) would need the bytes: refused.
 */
public final class ImageMount {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** An index's children and their blobs, bounded for a hostile registry's answer. */
    private static final int MAX_BLOBS = 1000;

    private final RegistryClient client;
    private final BlobUpload blobs;
    private final Log log;

    public ImageMount(RegistryClient client, Log log) {
        this.client = client;
        this.blobs = new BlobUpload(client);
        this.log = log;
    }

    /** Mounts {@code from@digest} into {@code to} (repositories without the registry host); returns blobs mounted. */
    public int mount(String from, String to, String digest) {
        int mounted = mount(from, to, digest, new LinkedHashSet<>());
        log.info("mounted " + from + "@" + digest + " into " + to + ": " + mounted + " blob" + (mounted == 1 ? "" : "s")
                + " mounted, no layer moved");
        return mounted;
    }

    /**
     * The manifests of {@code from@digest} (an index's children first, then it) that {@code to} lacks: what a mount
     * puts there, and what {@link MountedImage#remove} deletes again. Changes nothing.
     */
    public List<String> missing(String from, String to, String digest) {
        List<String> missing = new ArrayList<>();
        JsonNode tree = tree(from, client.getManifest(from, digest), digest);
        int children = 0;
        for (JsonNode child : tree.path("manifests")) {
            if (++children > MAX_BLOBS) {
                throw new GuliException(from + "@" + digest + " names more than " + MAX_BLOBS + " manifests: refused");
            }
            String d = digestOf(child, from, digest);
            if (client.findManifest(to, d) == null) {
                missing.add(d);
            }
        }
        if (client.findManifest(to, digest) == null) {
            missing.add(digest);
        }
        return missing;
    }

    private int mount(String from, String to, String digest, Set<String> seen) {
        ImageManifest m = client.getManifest(from, digest);
        JsonNode tree = tree(from, m, digest);
        int mounted = 0;
        for (JsonNode child : tree.path("manifests")) { // an index: its manifests must be in the target first
            mounted += mount(from, to, digestOf(child, from, digest), seen);
        }
        List<String> needed = new ArrayList<>();
        if (tree.has("config")) {
            needed.add(digestOf(tree.path("config"), from, digest));
        }
        for (JsonNode layer : tree.path("layers")) {
            needed.add(digestOf(layer, from, digest));
        }
        for (String blob : needed) {
            if (!seen.add(blob)) {
                continue;
            }
            if (seen.size() > MAX_BLOBS) {
                throw new GuliException(from + "@" + digest + " names more than " + MAX_BLOBS + " blobs: refused");
            }
            if (blobs.exists(to, blob)) {
                continue;
            }
            if (!blobs.mount(to, blob, from)) {
                throw new GuliException("registry " + client.endpoint().host() + " would not mount blob " + blob
                        + " of " + from + " into " + to + " (it offered an upload instead): a promotion moves no "
                        + "layer; give the registry user pull rights on " + from + " and push rights on " + to
                        + ", or promote within one repository");
            }
            mounted++;
        }
        String stored = client.putManifest(to, digest, m);
        if (!stored.equals(digest)) {
            throw new GuliException("the registry stored " + to + "@" + digest + " as " + stored
                    + ": it rewrote the manifest; promote within one repository");
        }
        return mounted;
    }

    private JsonNode tree(String from, ImageManifest m, String digest) {
        try {
            return JSON.readTree(m.body());
        } catch (IOException e) {
            throw new GuliException("registry " + client.endpoint().host() + " answered " + from + "@" + digest
                    + " with a manifest that is not JSON: " + e.getMessage());
        }
    }

    private String digestOf(JsonNode descriptor, String from, String digest) {
        String d = descriptor.path("digest").asText("");
        if (!d.matches("sha256:[0-9a-f]{64}")) {
            throw new GuliException("the manifest " + from + "@" + digest + " names a blob '"
                    + d.substring(0, Math.min(d.length(), 80)) + "' that is not a sha256 digest: refused");
        }
        return d;
    }
}
