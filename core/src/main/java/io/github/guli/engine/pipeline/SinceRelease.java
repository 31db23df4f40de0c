package io.github.guli.engine.pipeline;

import io.github.guli.engine.environment.ReleaseCommits;
import io.github.guli.engine.release.ReleaseVersion;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * What a build's own deploy or release brings, for its approval: the commits since the service's last release, the
 * nearest git tag {@code <service>-<release version>} (as guliRelease names them) in the checked-out history, read
 * on the agent from the checkout. A checkout without such a tag is said, not an error.
 *
 * @param service the service whose release tags were read
 * @param since that release's version, or null when the checkout has none
 */
public record SinceRelease(String service, String since, ReleaseCommits commits) implements Serializable {
    /** How far back the history is searched for the last release: the approval must not wait on a huge walk. */
    static final int MAX_WALK = 10_000;

    /** @param releasing the version this build releases (its own tag, if already there, is not the last release) */
    public static SinceRelease read(File workspace, String service, String releasing) {
        String since;
        try {
            since = lastRelease(new File(workspace, ".git"), service, releasing);
        } catch (IOException | RuntimeException e) {
            return new SinceRelease(
                    service,
                    null,
                    new ReleaseCommits(List.of(), "the release tags could not be read: the commits are not listed"));
        }
        if (since == null) {
            return new SinceRelease(
                    service,
                    null,
                    new ReleaseCommits(
                            List.of(),
                            "the checkout has no earlier release tag " + service
                                    + "-v...: the commits are not listed"));
        }
        return new SinceRelease(service, since, ReleaseCommits.between(workspace, service, since, null));
    }

    /** The version of the nearest release tag of the service in HEAD's history; null: none. */
    private static String lastRelease(File dotGit, String service, String releasing) throws IOException {
        if (!dotGit.isDirectory()) {
            return null;
        }
        String prefix = "refs/tags/" + service + "-";
        try (Repository repo = new FileRepositoryBuilder()
                        .setGitDir(dotGit)
                        .setMustExist(true)
                        .build();
                RevWalk walk = new RevWalk(repo)) {
            Map<ObjectId, String> versions = new HashMap<>();
            for (Ref ref : repo.getRefDatabase().getRefsByPrefix(prefix)) {
                String version = ref.getName().substring(prefix.length());
                ObjectId commit = repo.resolve(ref.getName() + "^{commit}");
                if (ReleaseVersion.isRelease(version) && !version.equals(releasing) && commit != null) {
                    versions.put(commit, version);
                }
            }
            ObjectId head = repo.resolve("HEAD^{commit}");
            if (versions.isEmpty() || head == null) {
                return null;
            }
            walk.markStart(walk.parseCommit(head));
            int seen = 0;
            for (RevCommit c : walk) {
                if (versions.containsKey(c) || ++seen > MAX_WALK) {
                    return versions.get(c);
                }
            }
            return null;
        }
    }

    /** The lines of the input's message: the heading, then each commit and the note. */
    List<String> messageLines() {
        List<String> lines = new ArrayList<>();
        lines.add(since == null ? "commits:" : "commits since " + service + "-" + since + ":");
        commits.lines().forEach(l -> lines.add("  " + l));
        return lines;
    }

    /** guliNotify's {@code commits}: one per line, subject TAB author (a tab inside either becomes a space). */
    String notifyText() {
        List<String> lines = new ArrayList<>();
        commits.commits()
                .forEach(c -> lines.add(
                        c.subject().replace('\t', ' ') + "\t" + c.author().replace('\t', ' ')));
        return String.join("\n", lines);
    }
}
