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
        ReleaseCommits commits)
        implements Serializable {
    /** For the approver: what is deployed, what it replaces, the commits and the configuration diff. */
    public String text() {
        List<String> lines = new ArrayList<>();
        lines.add("deploys " + (version == null ? "" : version + " ") + "(" + image + ") to " + environment
                + (from == null ? "" : ", as it runs in " + from));
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
