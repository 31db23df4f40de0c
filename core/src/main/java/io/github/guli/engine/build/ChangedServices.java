package io.github.guli.engine.build;

import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.maven.Reactor;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.util.io.DisabledOutputStream;

/**
 * The services a commit range changed: those whose module, or a module they are built from (the reactor graph of
 * the root pom.xml: parents and dependencies), holds a changed file. A change to the build itself (the root
 * pom.xml, {@code .mvn/}, the Maven wrapper) changes every service; so does a range that cannot be computed (the
 * job's first build, a base commit this clone does not have).
 */
public final class ChangedServices {
    /** Files at the root that are the build of every module. */
    private static final Set<String> BUILD_FILES = Set.of("pom.xml", "mvnw", "mvnw.cmd");

    /**
     * What to compare.
     *
     * @param dir            the directory of the root pom.xml, inside a git work tree checked out at the commit built
     * @param previousCommit the commit of the job's last successful build (GIT_PREVIOUS_SUCCESSFUL_COMMIT), or null
     * @param changeTarget   for a pull request, its target branch (CHANGE_TARGET): then the base is the merge base
     *                       of the commit built and that branch, and previousCommit is not used; or null
     */
    public record Request(File dir, String previousCommit, String changeTarget) implements Serializable {}

    /** One service to build, and why. */
    public record Pick(String service, String reason) implements Serializable {}

    /**
     * @param base   the commit compared with, or null when every service was picked without comparing
     * @param picked the services to build, in the reactor's order
     * @param note   one line about the whole range, e.g. why every service was picked, or that nothing changed
     */
    public record Result(String base, List<Pick> picked, String note) implements Serializable {
        public List<String> services() {
            return picked.stream().map(Pick::service).toList();
        }
    }

    private ChangedServices() {}

    public static Result compute(Request r) {
        Reactor reactor = Reactor.read(r.dir());
        List<Reactor.Module> services = reactor.services();
        try (Repository repo = new FileRepositoryBuilder()
                .findGitDir(r.dir())
                .setMustExist(true)
                .build()) {
            if (repo.getWorkTree() == null) {
                throw new GuliException(r.dir() + " is not in a git work tree: check the repository out first");
            }
            String prefix = prefix(repo.getWorkTree(), r.dir());
            ObjectId head = repo.resolve("HEAD^{commit}");
            if (head == null) {
                throw new GuliException("the repository at " + repo.getWorkTree() + " has no commit checked out");
            }
            String base;
            String baseWhat;
            if (!Blank.isBlank(r.changeTarget())) {
                base = mergeBase(repo, head, r.changeTarget().trim());
                if (base == null) {
                    return all(
                            services,
                            null,
                            "the pull request's target branch " + r.changeTarget() + " is not in "
                                    + "this clone, so the changes cannot be told: every service is built (fetch the target "
                                    + "branch too, e.g. the checkout's 'merge with target' strategy)");
                }
                baseWhat = "the merge base with " + r.changeTarget() + ", " + abbreviate(base);
            } else if (Blank.isBlank(r.previousCommit())) {
                return all(
                        services,
                        null,
                        "no earlier successful build of this job to compare with (its first build): "
                                + "every service is built");
            } else {
                base = r.previousCommit().trim();
                baseWhat = "the last successful build's commit " + abbreviate(base);
            }
            List<String> paths;
            try {
                paths = changedPaths(repo, base, head);
            } catch (MissingObjectException | IllegalArgumentException e) {
                return all(
                        services,
                        null,
                        "the commit " + abbreviate(base) + " is not in this clone (a shallow clone, "
                                + "or history rewritten since): every service is built");
            }
            return picks(reactor, services, base, baseWhat, paths, prefix);
        } catch (IOException e) {
            throw new GuliException("cannot read the git repository of " + r.dir() + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new GuliException(
                    "no git repository at " + r.dir() + " or above: check the repository out first (" + e.getMessage()
                            + ")",
                    e);
        }
    }

    private static Result picks(
            Reactor reactor,
            List<Reactor.Module> services,
            String base,
            String baseWhat,
            List<String> paths,
            String prefix) {
        // each changed module, with its changed files
        Map<Reactor.Module, List<String>> changed = new LinkedHashMap<>();
        for (String full : paths) {
            if (!full.startsWith(prefix)) {
                continue; // outside the Maven project (e.g. a front end beside it)
            }
            String path = full.substring(prefix.length());
            if (BUILD_FILES.contains(path) || path.startsWith(".mvn/")) {
                return all(
                        services,
                        base,
                        path + " changed since " + baseWhat + ": it builds every module, so every "
                                + "service is built");
            }
            Reactor.Module m = reactor.moduleOf(path);
            if (m != null) {
                changed.computeIfAbsent(m, k -> new ArrayList<>()).add(full);
            }
        }
        List<Pick> picked = new ArrayList<>();
        for (Reactor.Module s : services) {
            String reason = null;
            if (changed.containsKey(s)) {
                reason = s.path() + " changed: " + files(changed.get(s));
            } else {
                for (Reactor.Module u : reactor.upstream(s)) {
                    if (changed.containsKey(u)) {
                        reason = "it is built from " + u.path() + ", which changed: " + files(changed.get(u));
                        break;
                    }
                }
            }
            if (reason != null) {
                picked.add(new Pick(s.artifactId(), reason));
            }
        }
        String note = paths.size() + " file(s) changed since " + baseWhat + "; " + picked.size() + " of "
                + services.size() + " services changed";
        return new Result(base, picked, note);
    }

    private static String files(List<String> files) {
        return files.get(0) + (files.size() > 1 ? " and " + (files.size() - 1) + " more file(s)" : "");
    }

    private static Result all(List<Reactor.Module> services, String base, String why) {
        List<Pick> picked = new ArrayList<>();
        for (Reactor.Module s : services) {
            picked.add(new Pick(s.artifactId(), why));
        }
        return new Result(base, picked, why);
    }

    /** The paths a range changed; a rename is both its old and its new path. */
    private static List<String> changedPaths(Repository repo, String base, ObjectId head) throws IOException {
        ObjectId baseId = repo.resolve(base + "^{commit}");
        if (baseId == null) {
            throw new MissingObjectException(ObjectId.zeroId(), "commit");
        }
        try (RevWalk walk = new RevWalk(repo);
                DiffFormatter diff = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
            diff.setRepository(repo);
            diff.setDetectRenames(true);
            Set<String> paths = new LinkedHashSet<>();
            for (DiffEntry e : diff.scan(
                    walk.parseCommit(baseId).getTree(), walk.parseCommit(head).getTree())) {
                if (e.getChangeType() != DiffEntry.ChangeType.ADD) {
                    paths.add(e.getOldPath());
                }
                if (e.getChangeType() != DiffEntry.ChangeType.DELETE) {
                    paths.add(e.getNewPath());
                }
            }
            return new ArrayList<>(paths);
        }
    }

    private static String mergeBase(Repository repo, ObjectId head, String target) throws IOException {
        for (String ref : List.of("refs/remotes/origin/" + target, "refs/heads/" + target, target)) {
            ObjectId t = repo.resolve(ref + "^{commit}");
            if (t != null) {
                try (RevWalk walk = new RevWalk(repo)) {
                    walk.setRevFilter(RevFilter.MERGE_BASE);
                    walk.markStart(walk.parseCommit(head));
                    walk.markStart(walk.parseCommit(t));
                    RevCommit base = walk.next();
                    return base == null ? null : base.name();
                }
            }
        }
        return null;
    }

    /** "" or "dir/": where the root pom.xml is inside the work tree. */
    private static String prefix(File workTree, File dir) {
        String rel = workTree.toPath()
                .toAbsolutePath()
                .normalize()
                .relativize(dir.toPath().toAbsolutePath().normalize())
                .toString()
                .replace(File.separatorChar, '/');
        return rel.isEmpty() ? "" : rel + "/";
    }

    private static String abbreviate(String commit) {
        return commit.length() > 12 ? commit.substring(0, 12) : commit;
    }
}
