package io.github.guli.engine.image;

import java.io.Serializable;
import java.util.List;

/**
 * What was built and pushed.
 *
 * @param image {@code registry/namespace/name}, without a tag
 * @param digest the manifest digest the registry stored ({@code sha256:...}), null when not pushed
 * @param dockerfile the Dockerfile used, or "generated"
 * @param layers the Spring Boot layers of a generated image, in image order; empty otherwise
 */
public record ImageResult(
        String image,
        List<String> tags,
        String digest,
        String imageId,
        String dockerfile,
        List<String> layers,
        String savedTo)
        implements Serializable {
    /** {@code registry/namespace/name@sha256:...}: the reference that cannot move, for deploying. */
    public String pinned() {
        return digest == null ? null : image + "@" + digest;
    }

    public String summary() {
        StringBuilder s = new StringBuilder(digest == null ? "built " : "pushed ")
                .append(image)
                .append(':')
                .append(String.join(", :", tags));
        if (digest != null) {
            s.append(" (").append(digest).append(')');
        }
        if (savedTo != null) {
            s.append("; saved to ").append(savedTo);
        }
        return s.toString();
    }
}
