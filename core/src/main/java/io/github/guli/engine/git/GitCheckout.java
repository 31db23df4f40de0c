package io.github.guli.engine.git;

import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.SshKey;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.eclipse.jgit.api.FetchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * Checks a repository out into the workspace, as Jenkins' git checkout does: the workspace becomes (or stays) a
 * clone whose {@code origin} is the URL, every branch and tag is fetched, and the asked-for branch, tag or commit
 * is checked out detached and forced. In-process with JGit: HTTP passwords go from memory to the request, SSH keys
 * from memory to the SSH session (Apache MINA sshd); no git or ssh binary, no key file, no password in a URL.
 */
public final class GitCheckout {
    private static final String BRANCHES = "+refs/heads/*:refs/remotes/origin/*";
    private final Log log;
    private final Duration timeout;

    public GitCheckout(Log log) {
        this(log, GitTimeout.DEFAULT);
    }

    /** @param timeout the bound on connecting to the git server and on each wait for its answer */
    public GitCheckout(Log log, Duration timeout) {
        this.log = log;
        this.timeout = timeout;
    }

    /**
     * The commit checked out in {@code dir} or a folder above it within {@code workspace} (a checkout done before,
     * as {@code checkout scm} does), or null when none is a git working tree or its HEAD names no commit.
     */
    public static String head(File workspace, File dir) {
        FileRepositoryBuilder find = new FileRepositoryBuilder()
                .addCeilingDirectory(workspace.getAbsoluteFile().getParentFile())
                .findGitDir(dir.getAbsoluteFile());
        if (find.getGitDir() == null) {
            return null;
        }
        try (Repository repo = find.setMustExist(true).build()) {
            ObjectId head = repo.resolve(Constants.HEAD + "^{commit}");
            return head == null ? null : head.name();
        } catch (IOException e) {
            throw new GuliException(
                    "cannot read the commit checked out in " + find.getGitDir() + ": " + e.getMessage()
                            + "; check out the repository again (checkout scm)",
                    e);
        }
    }

    public CheckoutResult checkout(File workspace, CheckoutRequest r) {
        URIish uri = parse(r.url());
        boolean ssh = isSsh(uri);
        if (ssh && r.sshKey() != null && uri.getUser() == null) {
            uri = uri.setUser(r.sshKey().username());
        }
        String url = uri.toString();
        SshdSessionFactory sshFactory = ssh && r.sshKey() != null ? sshFactory(r.sshKey(), r.sshDir()) : null;
        try (Git git = open(workspace)) {
            StoredConfig config = git.getRepository().getConfig();
            config.setString("remote", "origin", "url", url);
            config.setString("remote", "origin", "fetch", BRANCHES);
            config.save();
            log.info("fetching " + url + " into " + workspace);
            CredentialsProvider credentials = !ssh && r.password() != null
                    ? new UsernamePasswordCredentialsProvider(
                            r.password().username(), r.password().password())
                    : null;
            TransportConfigCallback transport = t -> {
                if (sshFactory != null && t instanceof SshTransport s) {
                    s.setSshSessionFactory(sshFactory);
                }
            };
            FetchCommand fetch = git.fetch()
                    .setRemote("origin")
                    .setRefSpecs(new RefSpec(BRANCHES))
                    .setTagOpt(TagOpt.FETCH_TAGS)
                    .setRemoveDeletedRefs(true)
                    .setCredentialsProvider(credentials)
                    .setTransportConfigCallback(transport)
                    .setTimeout(GitTimeout.seconds(timeout));
            fetch.call();
            String ref = r.ref() != null ? r.ref() : defaultBranch(git, credentials, transport, url);
            RevCommit commit = resolve(git.getRepository(), ref, url);
            git.checkout().setName(commit.name()).setForced(true).call();
            log.info("checked out " + ref + " at " + commit.name() + " (" + commit.getShortMessage() + ")");
            return new CheckoutResult(url, ref, commit.name());
        } catch (TransportException e) {
            if (GitTimeout.isTimeout(e)) {
                throw new GuliException(GitTimeout.message("fetching", url, timeout), e);
            }
            throw new GuliException(transportMessage(url, e, ssh, r), e);
        } catch (GitAPIException | IOException e) {
            throw new GuliException("git checkout of " + url + " failed: " + e.getMessage(), e);
        } finally {
            if (sshFactory != null) {
                sshFactory.close();
            }
        }
    }

    private static URIish parse(String url) {
        if (Blank.isBlank(url)) {
            throw new GuliException("no repository URL to check out");
        }
        try {
            URIish u = new URIish(url.trim());
            if (u.getPass() != null) {
                throw new GuliException("the repository URL carries a password: remove it from the URL and give the "
                        + "username/password through a credentials ID (it would otherwise show up in logs)");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new GuliException("'" + url + "' is not a git repository URL", e);
        }
    }

    /** Whether the URL is reached over SSH (so SSH key credentials are needed, not a password). */
    public static boolean isSsh(String url) {
        return isSsh(parse(url));
    }

    private static boolean isSsh(URIish u) {
        String scheme = u.getScheme();
        return scheme == null ? u.getHost() != null : scheme.equals("ssh") || scheme.equals("git+ssh");
    }

    private static Git open(File workspace) throws IOException, GitAPIException {
        if (new File(workspace, ".git").exists()) {
            return Git.open(workspace);
        }
        workspace.mkdirs();
        return Git.init().setDirectory(workspace).setInitialBranch("master").call();
    }

    /** What the remote's HEAD points to (a fetch with branch refspecs is not told). */
    private String defaultBranch(
            Git git, CredentialsProvider credentials, TransportConfigCallback transport, String url)
            throws GitAPIException {
        Map<String, Ref> refs = git.lsRemote()
                .setRemote("origin")
                .setCredentialsProvider(credentials)
                .setTransportConfigCallback(transport)
                .setTimeout(GitTimeout.seconds(timeout))
                .callAsMap();
        Ref head = refs.get(Constants.HEAD);
        if (head != null && head.isSymbolic()) {
            return Repository.shortenRefName(head.getTarget().getName());
        }
        if (head != null && head.getObjectId() != null) {
            for (Ref r : refs.values()) {
                if (r.getName().startsWith(Constants.R_HEADS)
                        && head.getObjectId().equals(r.getObjectId())) {
                    return Repository.shortenRefName(r.getName());
                }
            }
        }
        throw new GuliException(url + " has no default branch (HEAD): give the branch to build");
    }

    private static RevCommit resolve(Repository repo, String ref, String url) throws IOException {
        List<String> candidates =
                List.of(Constants.R_REMOTES + "origin/" + stripHeads(ref), Constants.R_TAGS + ref, ref);
        for (String c : candidates) {
            ObjectId id;
            try {
                id = repo.resolve(c + "^{commit}");
            } catch (org.eclipse.jgit.errors.RevisionSyntaxException
                    | org.eclipse.jgit.errors.MissingObjectException e) {
                id = null;
            }
            if (id != null) {
                try (RevWalk walk = new RevWalk(repo)) {
                    return walk.parseCommit(id);
                }
            }
        }
        List<String> branches = new ArrayList<>();
        for (Ref r : repo.getRefDatabase().getRefsByPrefix(Constants.R_REMOTES + "origin/")) {
            branches.add(r.getName().substring((Constants.R_REMOTES + "origin/").length()));
        }
        throw new GuliException("'" + ref + "' is no branch, tag or commit of " + url + "; its branches are: "
                + (branches.isEmpty() ? "(none)" : String.join(", ", branches)));
    }

    private static String stripHeads(String ref) {
        return ref.startsWith(Constants.R_HEADS)
                ? ref.substring(Constants.R_HEADS.length())
                : ref.startsWith("origin/") ? ref.substring("origin/".length()) : ref;
    }

    private static SshdSessionFactory sshFactory(SshKey key, String sshDir) {
        Iterable<KeyPair> keys;
        try {
            keys = SecurityUtils.loadKeyPairIdentities(
                    null,
                    NamedResource.ofName("the SSH credentials"),
                    new ByteArrayInputStream(key.privateKey().getBytes(StandardCharsets.UTF_8)),
                    key.passphrase() == null ? FilePasswordProvider.EMPTY : FilePasswordProvider.of(key.passphrase()));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new GuliException(
                    "the SSH private key of the credentials cannot be read (" + e.getMessage() + "): "
                            + "give an OpenSSH or PEM private key, and its passphrase if it has one",
                    e);
        }
        if (keys == null || !keys.iterator().hasNext()) {
            throw new GuliException("the SSH credentials hold no private key");
        }
        File home = new File(System.getProperty("user.home"));
        File dir = sshDir != null ? new File(sshDir) : new File(home, ".ssh");
        return new SshdSessionFactoryBuilder()
                .setHomeDirectory(home)
                .setSshDirectory(dir)
                .setPreferredAuthentications("publickey")
                .setDefaultKeysProvider(d -> keys)
                .build(null);
    }

    private static String transportMessage(String url, TransportException e, boolean ssh, CheckoutRequest r) {
        String m = String.valueOf(e.getMessage()).strip().replace("\n", "; ");
        if (m.startsWith(url + ": ")) {
            m = m.substring(url.length() + 2);
        }
        String lower = m.toLowerCase();
        if (ssh
                && (lower.contains("host key")
                        || lower.contains("server key")
                        || lower.contains("known_hosts")
                        || lower.contains("authenticity"))) {
            String dir = r.sshDir() != null ? r.sshDir() : "~/.ssh";
            return "the SSH host key of " + url + " is not trusted on this agent (" + m + "): add it to " + dir
                    + "/known_hosts of the user running the build, e.g. ssh-keyscan -p PORT HOST >> " + dir
                    + "/known_hosts";
        }
        if (lower.contains("not authorized")
                || lower.contains("authentication")
                || lower.contains("401")
                || lower.contains("auth fail")
                || lower.contains("cannot log in")
                || lower.contains("no more keys")) {
            String how = ssh
                    ? (r.sshKey() == null
                            ? "no SSH key was given"
                            : "the server refused the SSH key of the credentials")
                    : (r.password() == null ? "no credentials were given" : "the username/password were refused");
            return "git could not authenticate to " + url + ": " + how + " (" + m + ")";
        }
        return "git could not fetch " + url + ": " + m;
    }
}
