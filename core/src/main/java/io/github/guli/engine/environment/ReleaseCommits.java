package io.github.guli.engine.environment;

import io.github.guli.engine.approval.Commit;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The commits a deploy brings: the checkout's history between the release tag of what runs now and that of what
 * is deployed ({@code <service>-<version>}, as guliRelease names them), newest first, at most {@link #MAX}. Only
 * read; a tag the checkout lacks is said, not an error.
 *
 * @param note what limits the list (a tag missing, more commits than shown), or null
 */
public record ReleaseCommits(List<Commit> commits, String note) implements Serializable {
    static final int MAX = 50;

    public ReleaseCommits {
        commits = List.copyOf(commits);
    }

    /**
     * @param from the version running now, or null
     * @param to the version deployed, or null; without its tag, up to the checked-out commit
     */
    public static ReleaseCommits between(File workspace, String service, String from, String to) {
        if (from == null) {
            return new ReleaseCommits(List.of(), "no version runs there now: no commits to compare with");
        }
        if (from.equals(to)) {
            return new ReleaseCommits(List.of(), null);
        }
        File dotGit = new File(workspace, ".git"); // this checkout's own, never a repository above it
        if (!dotGit.isDirectory()) {
            return new ReleaseCommits(List.of(), "the workspace is no git checkout: the commits are not listed");
        }
        try (Repository repo = new FileRepositoryBuilder()
                        .setGitDir(dotGit)
                        .setMustExist(true)
                        .build();
                Git git = new Git(repo)) {
            ObjectId old = tag(repo, service + "-" + from);
            if (old == null) {
                return new ReleaseCommits(
                        List.of(),
                        "the checkout has no git tag " + service + "-" + from + " (not released, or the checkout "
                                + "fetched no tags): the commits are not listed");
            }
            ObjectId now = to == null ? null : tag(repo, service + "-" + to);
            String note = null;
            if (now == null) {
                now = repo.resolve("HEAD^{commit}");
                note = "up to the checked-out commit" + (to == null ? "" : " (no git tag " + service + "-" + to + ")");
            }
            List<Commit> out = log(git, old, now);
            if (out.isEmpty()) { // a rollback: what it takes back
                out = log(git, now, old);
                note = out.isEmpty() ? note : (note == null ? "" : note + "; ") + "taken back: " + to + " is older";
            }
            if (out.size() > MAX) {
                out = out.subList(0, MAX);
                note = (note == null ? "" : note + "; ") + "the first " + MAX + " shown";
            }
            return new ReleaseCommits(out, note);
        } catch (IOException | GitAPIException | RuntimeException e) {
            return new ReleaseCommits(List.of(), "the commits could not be read (" + e.getMessage() + ")");
        }
    }

    private static List<Commit> log(Git git, ObjectId since, ObjectId until) throws IOException, GitAPIException {
        List<Commit> out = new ArrayList<>();
        for (RevCommit c : git.log().addRange(since, until).setMaxCount(MAX + 1).call()) {
            out.add(new Commit(c.getShortMessage(), c.getAuthorIdent().getName()));
        }
        return out;
    }

    private static ObjectId tag(Repository repo, String name) throws IOException {
        return repo.exactRef("refs/tags/" + name) == null ? null : repo.resolve("refs/tags/" + name + "^{commit}");
    }

    /** One line per commit, "subject (author)", then the note. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        commits.forEach(c -> lines.add(c.subject() + " (" + c.author() + ")"));
        if (note != null) {
            lines.add("(" + note + ")");
        }
        return lines;
    }
}
