package io.github.guli.engine.environment;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.deploy.ManifestGlobs;
import io.github.guli.engine.process.WorkspaceTemp;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The files a promotion deploys, as they are at the commit the image was built from: the manifests ({@code configs})
 * and the service's {@code <service>/config/<environment>/} files, read from the workspace's git repository into a
 * folder of its own beside the workspace ({@code <workspace>@tmp}), deleted by {@link #close()}. The working tree is
 * not read: the branch may have moved and changed them since the build. Files are written as a checkout writes them
 * (a symbolic link stays one), so the checks of the deploy and of the configuration see what a checkout would.
 */
final class BuiltTree implements AutoCloseable {
    /** Bounds on what one promotion writes: manifests and configuration are small. */
    static final int MAX_FILES = 10_000;

    static final long MAX_BYTES = 64L * 1024 * 1024;

    private final EnvironmentRequest request;
    private final Path dir;
    private final Log log;

    private BuiltTree(EnvironmentRequest request, Path dir, Log log) {
        this.request = request;
        this.dir = dir;
        this.log = log;
    }

    /**
     * {@code commit}, the image's, once the workspace's repository is found to hold it; a commit it does not hold (a
     * shallow clone, a branch not fetched) is refused, changing nothing, naming the commit and the fix. Without a
     * commit (an image built before the label) the workspace must have the request's commit checked out, if it names
     * one (the one the preview read); then null.
     */
    static String require(EnvironmentRequest r, String commit, String refused) {
        if (commit == null) {
            PinnedDeploy.requireCommit(r, refused);
            return null;
        }
        try (Repository repo = open(r, commit, refused)) {
            parse(repo, commit, refused);
        }
        return commit;
    }

    /**
     * The request with its workspace at {@code commit}'s files (the plan's built commit); the request itself when the
     * commit is not known (an image built before the label): the workspace as checked out.
     */
    static BuiltTree of(EnvironmentRequest r, Environment target, String commit, Log log) {
        if (commit == null) { // BuiltCommit said why, and what is deployed instead
            return new BuiltTree(r, null, log);
        }
        String refused = "cannot deploy " + r.service() + " to " + target.name();
        Path dir = WorkspaceTemp.newDir(Path.of(r.workspace()), "guli-built-");
        try (Repository repo = open(r, commit, refused)) {
            List<String> roots = new ArrayList<>(ManifestGlobs.roots(r.configs()));
            roots.add(r.service() + "/config/" + target.name());
            int files = write(repo, parse(repo, commit, refused), roots, dir);
            log.info("read " + files + " file(s) of the manifests and configuration at commit " + commit
                    + ", the one the image was built from (not the workspace as checked out)");
            return new BuiltTree(r.workspaceAt(dir.toString()), dir, log);
        } catch (IOException | RuntimeException e) {
            delete(dir, log);
            if (e instanceof GuliException g) {
                throw g;
            }
            throw new GuliException(refused + ": cannot read commit " + commit + " from the workspace's git "
                    + "repository: " + e.getMessage() + "; nothing was changed");
        }
    }

    /** What the deploy reads: the workspace, or the folder holding the built commit's files. */
    EnvironmentRequest request() {
        return request;
    }

    @Override
    public void close() {
        if (dir != null) {
            delete(dir, log);
        }
    }

    private static Repository open(EnvironmentRequest r, String commit, String refused) {
        File workspace = new File(r.workspace()).getAbsoluteFile();
        FileRepositoryBuilder find = new FileRepositoryBuilder()
                .addCeilingDirectory(workspace.getParentFile())
                .findGitDir(workspace);
        try {
            if (find.getGitDir() == null) {
                throw new IOException("not a git checkout");
            }
            Repository repo = find.setMustExist(true).build();
            if (repo.isBare() || !repo.getWorkTree().getCanonicalFile().equals(workspace.getCanonicalFile())) {
                repo.close();
                throw new IOException("the git working tree is " + (repo.isBare() ? "bare" : repo.getWorkTree()));
            }
            return repo;
        } catch (IOException e) {
            throw new GuliException(refused + ": the image was built from commit " + commit + " but the workspace "
                    + workspace + " is no git checkout of the repository (" + e.getMessage() + "): check out the "
                    + "repository there first (checkout scm); nothing was changed");
        }
    }

    private static RevCommit parse(Repository repo, String commit, String refused) {
        try (RevWalk walk = new RevWalk(repo)) {
            ObjectId id = ObjectId.fromString(commit);
            if (!repo.getObjectDatabase().has(id)) {
                throw new IOException("missing");
            }
            return walk.parseCommit(id);
        } catch (IOException | RuntimeException e) {
            throw new GuliException(refused + ": the image was built from commit " + commit + ", which the "
                    + "workspace's git repository does not hold (a shallow clone, or the branch it was built on not "
                    + "fetched): check out with the full history (no shallow clone or depth) and a refspec that "
                    + "fetches that branch (+refs/heads/*:refs/remotes/origin/*), then run it again; nothing was "
                    + "changed");
        }
    }

    /** Writes the files of {@code commit} under {@code roots} (a root "" is everything); returns how many. */
    private static int write(Repository repo, RevCommit commit, List<String> roots, Path dir) throws IOException {
        int files = 0;
        long bytes = 0;
        try (TreeWalk walk = new TreeWalk(repo)) {
            walk.addTree(commit.getTree());
            walk.setRecursive(true);
            while (walk.next()) {
                String path = walk.getPathString();
                FileMode mode = walk.getFileMode(0);
                if (!under(path, roots) || mode == FileMode.GITLINK) {
                    continue;
                }
                Path out = safe(dir, path);
                ObjectLoader blob = repo.open(walk.getObjectId(0));
                bytes += blob.getSize();
                if (++files > MAX_FILES || bytes > MAX_BYTES) {
                    throw new GuliException("the manifests and configuration at commit " + commit.name() + " are more "
                            + "than " + MAX_FILES + " files or " + (MAX_BYTES >> 20) + " MiB: narrow configs to the "
                            + "service's manifests");
                }
                directories(dir, out.getParent(), path);
                if (mode == FileMode.SYMLINK) {
                    Files.createSymbolicLink(out, Path.of(new String(blob.getBytes(), StandardCharsets.UTF_8)));
                } else {
                    try (OutputStream o = Files.newOutputStream(out, StandardOpenOption.CREATE_NEW)) {
                        blob.copyTo(o);
                    }
                }
            }
        }
        return files;
    }

    /** Makes the folders of {@code path} in {@code dir}, none through a symbolic link the tree wrote. */
    private static void directories(Path dir, Path parent, String path) throws IOException {
        for (Path p = parent; !p.equals(dir); p = p.getParent()) {
            if (Files.isSymbolicLink(p)) {
                throw new GuliException("the commit's tree writes '" + path + "' through a symbolic link: the "
                        + "repository is damaged or crafted; nothing was changed");
            }
        }
        Files.createDirectories(parent);
    }

    private static boolean under(String path, List<String> roots) {
        for (String root : roots) {
            if (root.isEmpty() || path.equals(root) || path.startsWith(root + "/")) {
                return true;
            }
        }
        return false;
    }

    /** {@code path} inside {@code dir}; a tree naming {@code ..}, {@code .} or {@code .git} is refused. */
    private static Path safe(Path dir, String path) {
        for (String segment : path.split("/", -1)) {
            String s = segment.toLowerCase(Locale.ROOT);
            if (s.isEmpty() || s.equals(".") || s.equals("..") || s.equals(".git")) {
                throw new GuliException("the commit's tree holds the path '" + path + "', which no checkout writes: "
                        + "the repository is damaged or crafted; nothing was changed");
            }
        }
        Path out = dir.resolve(path).normalize();
        if (!out.startsWith(dir)) {
            throw new GuliException("the commit's tree holds the path '" + path + "', outside the checkout");
        }
        return out;
    }

    private static void delete(Path dir, Log log) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            String left = WorkspaceTemp.delete(dir);
            log.info("could not delete " + dir + ": " + (left == null ? e.getMessage() : left));
        }
    }
}
