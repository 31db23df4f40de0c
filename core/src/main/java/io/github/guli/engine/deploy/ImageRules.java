package io.github.guli.engine.deploy;

import org.yaml.snakeyaml.nodes.Node;

/** Rules on a container's image reference: a tag (or digest) that can be rolled back to, and no latest in a release. */
final class ImageRules {
    private final boolean release;
    private final Findings findings;

    ImageRules(boolean release, Findings findings) {
        this.release = release;
        this.findings = findings;
    }

    void check(ManifestObject m, Node at, String label, String image) {
        if (image.contains("@")) {
            return; // pinned by digest
        }
        String last = image.substring(image.lastIndexOf('/') + 1);
        int colon = last.indexOf(':');
        if (colon < 0) {
            findings.warning(
                    m,
                    at,
                    "runs image " + image + " without a tag in " + label + ": that means :latest, which "
                            + "changes under you and cannot be rolled back to; give the tag that was built and pushed");
        } else if (release && last.substring(colon + 1).equals("latest")) {
            findings.warning(
                    m,
                    at,
                    "runs image " + image + " in a release (PROJECT_VERSION is a release version) in " + label
                            + ": :latest is whatever was pushed last; deploy the release's tag, e.g. :$PROJECT_VERSION");
        }
    }
}
