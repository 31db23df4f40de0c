package io.github.guli.engine.git;

import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.UsernamePassword;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Collection;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TagBuilder;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefLeaseSpec;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * Creates an annotated release tag at a commit and pushes that one tag as a create: the server accepts it only
 * while it has no such tag, so of two pushes of one tag exactly one wins. Runs in-process with JGit, so the
 * password goes from memory to the HTTP request and never through a URL, an argument or a file.
 */
public class GitTagger {
    public enum Outcome {
        PUSHED,
        ALREADY_PRESENT
    }

    /** @param object the annotated tag object on the server: the one pushed, or the one found there */
    public record Result(String tag, String commit, String remote, Outcome outcome, String object) {}

    /**
     * What the server holds for a release tag, checked before anything changes.
     *
     * @param onRemote the commit the tag points to on the server, or null when the server has no such tag
     * @param object the tag object on the server, or null
     */
    public record State(String tag, String commit, String remote, String onRemote, String object) {
        public boolean present() {
            return onRemote != null;
        }
    }

    private final Log log;
    private final Duration timeout;

    public GitTagger(Log log) {
        this(log, GitTimeout.DEFAULT);
    }

    /** @param timeout the bound on connecting to the git server and on each wait for its answer */
    public GitTagger(Log log, Duration timeout) {
        this.log = log;
        this.timeout = timeout;
    }

    /**
     * Reads the tag on the server and changes nothing. Fails when the tag is there at another commit than the one
     * to tag: a release tag is never moved.
     *
     * @param dir a directory inside the working tree (the workspace)
     * @param remote the URL of the repository the checkout used, without credentials (see {@link #tag})
     * @param commit the commit to tag; {@code null} for HEAD (the commit that was built)
     */
    public State check(File dir, String remote, String commit, String tagName, UsernamePassword credentials) {
        try (Repository repo = open(dir);
                Git git = new Git(repo)) {
            return check(repo, git, remote, commit, tagName, provider(credentials));
        } catch (IOException | GitAPIException e) {
            throw new GuliException("git failed while checking tag " + tagName + ": " + e.getMessage(), e);
        }
    }

    private State check(Repository repo, Git git, String remote, String commit, String tagName, CredentialsProvider cp)
            throws IOException, GitAPIException {
        RevCommit target = resolve(repo, Blank.orDefault(commit, Constants.HEAD));
        String url = remoteUrl(remote);
        Ref ref = remoteTag(git, url, tagName, cp);
        ObjectId onRemote = ref == null ? null : peeled(ref);
        if (onRemote != null && !onRemote.equals(target)) {
            throw new GuliException("tag " + tagName + " already exists on " + url + " at commit " + onRemote.name()
                    + ", not at the built commit " + target.name() + ": a release tag is never moved; release "
                    + "a new version instead (or delete the tag on the server if it was made by mistake)");
        }
        return new State(
                tagName,
                target.name(),
                url,
                onRemote == null ? null : onRemote.name(),
                ref == null ? null : ref.getObjectId().name());
    }

    /**
     * @param dir a directory inside the working tree (the workspace)
     * @param remote the URL of the repository the checkout used, without credentials; never read from the working
     *               tree's .git/config, which the build can rewrite
     * @param commit the commit to tag; {@code null} for HEAD (the commit that was built)
     */
    public Result tag(
            File dir,
            String remote,
            String commit,
            String tagName,
            String message,
            UsernamePassword credentials,
            PersonIdent tagger) {
        try (Repository repo = open(dir);
                Git git = new Git(repo)) {
            CredentialsProvider cp = provider(credentials);
            State state = check(repo, git, remote, commit, tagName, cp);
            if (state.present()) {
                log.info("tag " + tagName + " already exists on " + state.remote() + " at " + state.commit()
                        + ": nothing to do");
                return present(state);
            }
            RevCommit target = resolve(repo, state.commit());
            ObjectId object = insertTag(repo, tagName, target, message, tagger);
            String refused = push(git, state.remote(), object.name(), tagName, ObjectId.zeroId(), cp);
            if (refused != null) {
                State now = check(repo, git, remote, state.commit(), tagName, cp); // fails if at another commit
                if (!now.present()) {
                    throw new GuliException("the git server refused tag " + tagName + " (" + refused
                            + "): check that the credentials may push tags");
                }
                log.info("tag " + tagName + " was pushed to " + now.remote() + " by another release meanwhile, at "
                        + now.commit() + " (tag object " + now.object() + "); this push changed nothing");
                return present(now);
            }
            log.info("pushed annotated tag " + tagName + " at " + target.name() + " to " + state.remote());
            return new Result(tagName, target.name(), state.remote(), Outcome.PUSHED, object.name());
        } catch (IOException | GitAPIException e) {
            throw new GuliException("git failed while tagging " + tagName + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes a tag on the server only while it still is {@code object} (the one a release pushed): a tag that
     * another release put there meanwhile is left alone.
     *
     * @return null when the tag is gone, else why it was not deleted
     */
    public String delete(File dir, String remote, String tagName, String object, UsernamePassword credentials) {
        try (Repository repo = open(dir);
                Git git = new Git(repo)) {
            String url = remoteUrl(remote);
            String refused = push(git, url, null, tagName, ObjectId.fromString(object), provider(credentials));
            if (refused == null || refused.startsWith(RemoteRefUpdate.Status.NON_EXISTING.name())) {
                log.info("tag " + tagName + " (" + object + ") is deleted on " + url);
                return null;
            }
            return refused.startsWith(RemoteRefUpdate.Status.REJECTED_REMOTE_CHANGED.name())
                    ? "it no longer is " + object + " on " + url
                    : "the git server answered " + refused;
        } catch (IOException | GitAPIException e) {
            return "git failed: " + e.getMessage();
        }
    }

    private static Result present(State s) {
        return new Result(s.tag(), s.commit(), s.remote(), Outcome.ALREADY_PRESENT, s.object());
    }

    private static CredentialsProvider provider(UsernamePassword credentials) {
        return credentials == null
                ? null
                : new UsernamePasswordCredentialsProvider(credentials.username(), credentials.password());
    }

    private static Repository open(File dir) throws IOException {
        FileRepositoryBuilder b = new FileRepositoryBuilder().readEnvironment().findGitDir(dir);
        if (b.getGitDir() == null) {
            throw new GuliException("no git repository at " + dir + ": run the release in the workspace the service "
                    + "was checked out to (checkout scm), or give gitDir");
        }
        return b.setMustExist(true).build();
    }

    private static RevCommit resolve(Repository repo, String rev) throws IOException {
        ObjectId id;
        try {
            id = repo.resolve(rev + "^{commit}");
        } catch (MissingObjectException e) {
            id = null; // a full SHA-1 that names no object here
        }
        if (id == null) {
            throw new GuliException("commit '" + rev + "' is not in the repository at " + repo.getWorkTree()
                    + ": give a commit that was checked out (GIT_COMMIT), or fetch it first");
        }
        try (RevWalk walk = new RevWalk(repo)) {
            return walk.parseCommit(id);
        }
    }

    static String remoteUrl(String remote) {
        if (Blank.isBlank(remote) || !remote.contains(":") && !remote.contains("/")) {
            throw new GuliException("no repository URL to push the tag to"
                    + (Blank.isBlank(remote) ? "" : " ('" + remote + "' is a remote name)")
                    + ": give the URL the checkout used (guliRelease takes "
                    + "it from the checkout's GIT_URL, or gitRemote; guli release: --git-remote URL). A remote name is "
                    + "not looked up in the workspace's .git/config: the build can rewrite it");
        }
        try {
            if (new URIish(remote).getPass() != null) {
                throw new GuliException("the git remote URL carries a password: remove it from the URL and give the "
                        + "username/password through a credentials ID (it would otherwise show up in logs)");
            }
        } catch (URISyntaxException e) {
            throw new GuliException("git remote '" + remote + "' is not a valid URL", e);
        }
        return remote;
    }

    private Ref remoteTag(Git git, String url, String tagName, CredentialsProvider cp) throws GitAPIException {
        Collection<Ref> refs = call(
                url,
                "listing its tags",
                () -> git.lsRemote()
                        .setRemote(url)
                        .setTags(true)
                        .setCredentialsProvider(cp)
                        .setTimeout(GitTimeout.seconds(timeout))
                        .call());
        for (Ref ref : refs) {
            if (ref.getName().equals(Constants.R_TAGS + tagName)) {
                return ref;
            }
        }
        return null;
    }

    private static ObjectId peeled(Ref ref) {
        return ref.getPeeledObjectId() != null ? ref.getPeeledObjectId() : ref.getObjectId();
    }

    /** The annotated tag object, written to the workspace's object store only: no local ref to collide with. */
    private static ObjectId insertTag(
            Repository repo, String tagName, RevCommit target, String message, PersonIdent tagger) throws IOException {
        TagBuilder tag = new TagBuilder();
        tag.setTag(tagName);
        tag.setObjectId(target);
        tag.setMessage(message);
        tag.setTagger(tagger);
        try (ObjectInserter inserter = repo.newObjectInserter()) {
            ObjectId id = inserter.insert(tag);
            inserter.flush();
            return id;
        }
    }

    /**
     * Pushes {@code source} (an object id, or null to delete) to the tag, never forcing, and only while the server's
     * tag is {@code expected} (zero: absent). The server checks that old value as it updates the ref, so the
     * check and the change are one step there.
     *
     * @return null when the server took it, else its status and message
     */
    private String push(Git git, String url, String source, String tagName, ObjectId expected, CredentialsProvider cp)
            throws GitAPIException {
        String ref = Constants.R_TAGS + tagName;
        Iterable<PushResult> results = call(
                url,
                "pushing " + tagName,
                () -> git.push()
                        .setRemote(url)
                        .setRefSpecs(new RefSpec((source == null ? "" : source) + ":" + ref))
                        .setRefLeaseSpecs(new RefLeaseSpec(ref, expected.name()))
                        .setCredentialsProvider(cp)
                        .setTimeout(GitTimeout.seconds(timeout))
                        .call());
        for (PushResult result : results) {
            RemoteRefUpdate u = result.getRemoteUpdate(ref);
            if (u != null && u.getStatus() != RemoteRefUpdate.Status.OK) {
                return u.getStatus() + (u.getMessage() == null ? "" : ": " + u.getMessage());
            }
        }
        return null;
    }

    private interface GitCall<T> {
        T call() throws GitAPIException;
    }

    /** Turns JGit's authentication failures and timeouts into a message that says what to fix. */
    private <T> T call(String url, String what, GitCall<T> c) throws GitAPIException {
        try {
            return c.call();
        } catch (TransportException e) {
            if (GitTimeout.isTimeout(e)) {
                throw new GuliException(GitTimeout.message(what, url, timeout), e);
            }
            String m = String.valueOf(e.getMessage());
            if (m.contains("not authorized") || m.contains("Authentication is required") || m.contains("401")) {
                throw new GuliException(
                        "the git server " + url + " refused the credentials (not authorized): check "
                                + "the git credentials ID, its username and password or access token",
                        e);
            }
            throw new GuliException("cannot reach the git server " + url + ": " + m, e);
        }
    }
}
