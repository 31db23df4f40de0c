package io.github.guli.engine.deploy;

import io.github.guli.engine.GuliException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One image pinned by digest: every container of a workload that runs {@code repository} (whatever tag the manifest
 * gives) runs {@code repository@digest} instead, and those workloads and their pod templates carry {@code
 * annotations}. A promotion deploys what another environment runs, so the manifest's tag must not decide it.
 *
 * @param repository the image without tag or digest, e.g. {@code 127.0.0.1:5000/gulimall/gulimall-auth-server}
 * @param digest {@code sha256:<64 hex>}
 * @param replaces other repositories whose containers run {@code repository@digest} too (the one a promotion took the
 *     image from, when the target's images are in another repository of the registry)
 */
public record ImagePin(String repository, String digest, Map<String, String> annotations, Set<String> replaces)
        implements Serializable {
    private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "DaemonSet");

    public ImagePin {
        if (digest == null || !digest.matches("sha256:[0-9a-f]{64}")) {
            throw new GuliException("'" + digest + "' is not an image digest: give sha256: and 64 hex digits");
        }
        annotations = Map.copyOf(annotations == null ? Map.of() : annotations);
        replaces = Set.copyOf(replaces == null ? Set.of() : replaces);
    }

    public ImagePin(String repository, String digest, Map<String, String> annotations) {
        this(repository, digest, annotations, Set.of());
    }

    /** The image reference without its tag or digest. */
    public static String repositoryOf(String image) {
        String i = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int slash = i.lastIndexOf('/');
        int colon = i.lastIndexOf(':');
        return colon > slash ? i.substring(0, colon) : i;
    }

    public String image() {
        return repository + "@" + digest;
    }

    /** Pins the manifests' containers (their values, as they will be applied); fails when none runs the image. */
    void apply(List<ManifestObject> manifests) {
        Set<String> others = new LinkedHashSet<>();
        int pinned = 0;
        for (ManifestObject m : manifests) {
            if (!WORKLOADS.contains(m.kind())) {
                continue;
            }
            Map<String, Object> spec = map(m.value(), "spec");
            Map<String, Object> template = map(spec, "template");
            int before = pinned;
            for (String list : List.of("initContainers", "containers")) {
                for (Map<String, Object> c : maps(map(template, "spec").get(list))) {
                    String image = String.valueOf(c.get("image"));
                    if (repositoryOf(image).equals(repository) || replaces.contains(repositoryOf(image))) {
                        c.put("image", image());
                        pinned++;
                    } else {
                        others.add(image);
                    }
                }
            }
            if (pinned > before) {
                annotate(map(m.value(), "metadata"));
                annotate(map(template, "metadata"));
            }
        }
        if (pinned == 0) {
            throw new GuliException("no container in the manifests runs " + repository
                    + (replaces.isEmpty() ? "" : " or " + String.join(", ", replaces)) + " (they run: "
                    + (others.isEmpty() ? "no image" : String.join(", ", others))
                    + "): the service's Deployment must run the image that is promoted; fix its image line");
        }
    }

    private void annotate(Map<String, Object> metadata) {
        Map<String, Object> a = map(metadata, "annotations");
        a.putAll(annotations);
    }

    /** The map under {@code key}, created when absent (the manifest's values are plain, mutable maps). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object v = parent.get(key);
        if (v instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        Map<String, Object> created = new LinkedHashMap<>();
        parent.put(key, created);
        return created;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object list) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (list instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> m) {
                    out.add((Map<String, Object>) m);
                }
            }
        }
        return out;
    }
}
