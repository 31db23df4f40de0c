package io.github.guli.engine.release;

import java.io.Serializable;

/** What a release did: the image it tagged (or null) and the git tag (or null). */
public record ReleaseResult(String version, String image, String digest, String gitTag, String gitOutcome)
        implements Serializable {
    public String summary() {
        StringBuilder s = new StringBuilder("released ").append(version);
        if (image != null) {
            s.append(": image ").append(image).append(" (").append(digest).append(')');
        }
        if (gitTag != null) {
            s.append(image != null ? ", " : ": ").append("git tag ").append(gitTag)
                    .append(" (").append(gitOutcome.toLowerCase().replace('_', ' ')).append(')');
        }
        return s.toString();
    }
}
