package io.github.guli.engine.environment;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What a promotion or rollback would do, read before its approval with every check it makes and nothing changed.
 *
 * @param from the environment the digest comes from (a rollback's witness)
 * @param image {@code repository@digest}
 * @param current what the environment runs now, or null when the service does not run there
 * @param configDiff the masked configuration diff, or null when no configuration is published there
 * @param configState what it read in Nacos, {@code dataId=md5} or {@code dataId=absent} comma-separated (no content),
 *     for the deploy to find again; null when no configuration is published there
 * @param builtCommit the commit the image was built from, whose manifests and configuration are deployed; null when
 *     the image does not say (then the workspace as checked out)
 */
public record Preview(
        String environment,
        String from,
        String version,
        String digest,
        String image,
        Running current,
        String configDiff,
        String configState,
        ReleaseCommits commits,
        String builtCommit)
        implements Serializable {
    /** For the approver: what is deployed, what it replaces, the commits and the configuration diff. */
    public String text() {
        List<String> lines = new ArrayList<>();
        lines.add("deploys " + (version == null ? "" : version + " ") + "(" + image + ") to " + environment
                + (from == null ? "" : ", as it runs in " + from));
        lines.add(
                builtCommit == null
                        ? "built from: not known (an image built before guliImage recorded its commit): the manifests and "
                                + "configuration of the branch as checked out"
                        : "built from commit " + builtCommit + ": its manifests and configuration are deployed");
        lines.add("replaces " + (current == null ? "nothing (the service does not run there)" : current.describe()));
        List<String> commitLines = commits.lines();
        if (!commitLines.isEmpty()) {
            lines.add("commits:");
            commitLines.forEach(l -> lines.add("  " + l));
        }
        lines.add(configDiff == null ? "configuration: none published" : configDiff);
        return String.join("\n", lines);
    }
}
