package io.github.guli.engine.environment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.git.Revision;
import io.github.guli.engine.registry.BlobUpload;
import io.github.guli.engine.registry.ImageManifest;
import io.github.guli.engine.registry.RegistryClient;
import io.github.guli.engine.registry.RegistryEndpoint;
import io.github.guli.engine.registry.Retry;
import java.io.IOException;

/**
 * The commit an image was built from: the label {@value Revision#REVISION_LABEL} of its config (guliImage writes
 * it), read from the registry. The registry's answer is not trusted: a label that is not a 40-hex commit is ignored,
 * and the promotion then does what it did for images built before the label (the branch as checked out); a config
 * that cannot be read fails, changing nothing.
 */
final class BuiltCommit {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INDEX = "application/vnd.oci.image.index.v1+json";
    private static final String LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

    private BuiltCommit() {}

    /**
     * The commit of {@code manifest}, the image {@code repository@digest} (with its registry host), or null when its
     * config carries none (the log says why).
     */
    static String read(EnvironmentRequest r, String repository, ImageManifest manifest, Log log) {
        String image = repository + "@" + manifest.digest();
        RegistryEndpoint endpoint = RegistryEndpoint.parse(r.registry());
        String path = repository.substring(endpoint.host().length() + 1);
        RegistryClient client = new RegistryClient(endpoint, r.registryCredentials(), Retry.DEFAULT, line -> {});
        String label;
        try {
            label = label(client, path, manifest);
        } catch (IOException | RuntimeException e) {
            // not a fallback: the preview may have read the commit, and the deploy must not read other files
            throw new GuliException("cannot read the config of " + image + " from the registry ("
                    + printable(String.valueOf(e.getMessage()))
                    + "), which says the commit it was built from; nothing was changed: run it again");
        }
        if (label == null || label.isEmpty()) {
            log.info(image + " carries no " + Revision.REVISION_LABEL + " label (built before guliImage wrote it, or "
                    + "outside a git checkout): "
                    + unknown());
            return null;
        }
        if (!Revision.isCommit(label)) {
            log.info(image + " has " + Revision.REVISION_LABEL + " '" + printable(label) + "', which is not a "
                    + "40-hex commit, so it is ignored: " + unknown());
            return null;
        }
        log.info(image + " was built from commit " + label);
        return label;
    }

    /** What a promotion of an image without a known commit deploys. */
    private static String unknown() {
        return "the commit it was built from is not known, so the manifests and configuration of the workspace as "
                + "checked out are deployed (rebuild the image with guliImage to record its commit)";
    }

    /** The label of the image's config: a multi-platform image's linux/amd64 one, else its first. */
    private static String label(RegistryClient client, String repository, ImageManifest manifest) throws IOException {
        JsonNode m = JSON.readTree(manifest.body());
        String type = m.path("mediaType").asText(manifest.mediaType());
        if (type.startsWith(INDEX) || type.startsWith(LIST)) {
            JsonNode pick = null;
            for (JsonNode child : m.path("manifests")) {
                JsonNode p = child.path("platform");
                if (pick == null
                        || ("linux".equals(p.path("os").asText())
                                && "amd64".equals(p.path("architecture").asText()))) {
                    pick = child;
                }
            }
            if (pick == null) {
                throw new GuliException("the image index lists no manifest");
            }
            m = JSON.readTree(
                    client.getManifest(repository, pick.path("digest").asText()).body());
        }
        String config = m.path("config").path("digest").asText("");
        if (!config.matches("sha256:[0-9a-f]{64}")) {
            throw new GuliException("its manifest names no config blob");
        }
        JsonNode labels = JSON.readTree(new BlobUpload(client).read(repository, config))
                .path("config")
                .path("Labels");
        JsonNode revision = labels.path(Revision.REVISION_LABEL);
        return revision.isTextual() ? revision.asText() : null;
    }

    /** At most 80 characters of what a registry answered, control characters replaced: it goes into the log. */
    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
