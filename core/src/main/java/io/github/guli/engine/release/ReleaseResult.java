package io.github.guli.engine.release;

import java.io.Serializable;

/**
 * What a release did: the image it tagged (or null) and the git tag (or null).
 *
 * @param imageOutcome TAGGED, or ALREADY_PRESENT when the version already was this image
 * @param gitOutcome PUSHED, or ALREADY_PRESENT when the tag already was at this commit
 */
public record ReleaseResult(
        String version, String image, String digest, String imageOutcome, String gitTag, String gitOutcome)
        implements Serializable {
    public boolean nothingChanged() {
        return (image == null || "ALREADY_PRESENT".equals(imageOutcome))
                && (gitTag == null || "ALREADY_PRESENT".equals(gitOutcome));
    }

    public String summary() {
        StringBuilder s = new StringBuilder("released ").append(version);
        if (image != null) {
            s.append(": image ")
                    .append(image)
                    .append(" (")
                    .append(digest)
                    .append(", ")
                    .append(words(imageOutcome))
                    .append(')');
        }
        if (gitTag != null) {
            s.append(image != null ? ", " : ": ")
                    .append("git tag ")
                    .append(gitTag)
                    .append(" (")
                    .append(words(gitOutcome))
                    .append(')');
        }
        return s.toString();
    }

    private static String words(String outcome) {
        return outcome.toLowerCase().replace('_', ' ');
    }
}
