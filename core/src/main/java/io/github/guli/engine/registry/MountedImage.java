package io.github.guli.engine.registry;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.UsernamePassword;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * An image a promotion mounts into another repository ({@link ImageMount}), with the manifests that repository lacked
 * before: what is deleted again when the promotion does not stay. No credential is kept: they are given at the delete.
 *
 * @param registry the registry as configured (e.g. {@code http://127.0.0.1:5000})
 * @param repository the target repository, without the registry host
 * @param digest the image's digest
 * @param manifests the manifests the target lacked (an index's children first), deleted in the reverse order
 */
public record MountedImage(String registry, String repository, String digest, List<String> manifests)
        implements Serializable {
    public MountedImage {
        manifests = List.copyOf(manifests);
    }

    /** {@code host/repository@digest}. */
    public String image() {
        return RegistryEndpoint.parse(registry).host() + "/" + repository + "@" + digest;
    }

    /**
     * Deletes the manifests the target lacked ({@code DELETE /v2/<name>/manifests/<digest>}); never fails: a registry
     * that refuses is a warning naming the fix. Returns what it did, for the failure's message; null when the target
     * had the image before (nothing to delete).
     */
    public String remove(UsernamePassword credentials, Log log) {
        if (manifests.isEmpty()) {
            return null;
        }
        RegistryClient client =
                new RegistryClient(RegistryEndpoint.parse(registry), credentials, Retry.DEFAULT, line -> {});
        List<String> refused = new ArrayList<>();
        for (int i = manifests.size() - 1; i >= 0; i--) {
            String answer;
            try {
                answer = client.deleteManifest(repository, manifests.get(i));
            } catch (GuliException e) {
                answer = e.getMessage();
            }
            if (answer != null) {
                refused.add(manifests.get(i) + " (" + answer + ")");
            }
        }
        String what;
        if (refused.isEmpty()) {
            what = "deleted " + image() + ", which this promotion had mounted there";
        } else {
            what = "WARNING: " + image() + ", mounted by this promotion, stays in the registry: deleting "
                    + String.join(", ", refused) + " was refused"
                    + (refused.stream().anyMatch(r -> r.contains("HTTP 405"))
                            ? " (HTTP 405: the registry does not delete manifests; Docker Distribution deletes with "
                                    + "REGISTRY_STORAGE_DELETE_ENABLED=true, storage.delete.enabled in its config.yml)"
                            : "")
                    + ": delete it by hand (by digest), or leave it, it holds no layer of its own";
        }
        log.info(what);
        return what;
    }
}
