package io.github.guli.engine.release;

import java.io.Serializable;

/**
 * The answer of a check-only release: the version is free for this commit (else the check threw).
 *
 * @param imageDigest the digest the version's image tag already has, or null when there is no such tag
 * @param gitTagPresent whether the git tag already exists (then at {@code commit})
 */
public record ReleaseCheck(
        String version, String image, String imageDigest, String gitTag, String commit, boolean gitTagPresent)
        implements Serializable {
    public String summary() {
        if (imageDigest != null) {
            return "version " + version + " was released from this commit already (" + image + " is " + imageDigest
                    + "): the release is a no-op if the new image has that digest, and fails if not";
        }
        if (gitTagPresent) {
            return "version " + version + ": git tag " + gitTag + " already is at this commit " + commit
                    + ": the release is a no-op";
        }
        return "version " + version + " is free"
                + (gitTag == null ? "" : " (git tag " + gitTag + " for " + commit + ")")
                + (image == null ? "" : " (image " + image + ")");
    }
}
