package io.github.guli.engine.environment;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.deploy.Deploy;
import io.github.guli.engine.deploy.ImagePin;
import io.github.guli.engine.registry.ImageManifest;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Rolls an environment back to a release: the digest of the release's tag in the registry, which its predecessor
 * must once have run (the predecessor's ReplicaSets say so; the first environment's own). Every refusal comes before
 * anything changes.
 */
public final class RollbackTo {
    private final Log log;
    private final PinnedDeploy deploy;

    public RollbackTo(Log log) {
        this(log, new Deploy(log, log));
    }

    /** @param deploy the deploy engine (e.g. one polling at a test's pace) */
    public RollbackTo(Log log, Deploy deploy) {
        this.log = log;
        this.deploy = new PinnedDeploy(deploy, log);
    }

    /** Rolls back, waiting here for the rollout; a failure puts back the image and the configuration. */
    public EnvironmentResult run(EnvironmentRequest r) {
        EnvironmentResult result = deploy.finish(r, apply(r));
        log.info(done(r, result));
        return result;
    }

    /**
     * Checks, publishes the configuration and applies; the rollout is still to be waited for ({@link PinnedRollout}),
     * by a caller that waits in its own way (a Jenkins step that must survive a restart).
     */
    public PinnedRollout apply(EnvironmentRequest r) {
        return apply(r, null);
    }

    /** {@link #apply(EnvironmentRequest)}, telling {@code journal} before the first change what it would put back. */
    public PinnedRollout apply(EnvironmentRequest r, ApplyJournal journal) {
        MovePlan p = check(r, log);
        try (BuiltTree built = BuiltTree.of(r, p.target(), p.builtCommit(), log)) {
            return deploy.apply(built.request(), p, journal);
        }
    }

    /** Every check of a rollback, changing nothing: what it would deploy and replace; a refusal fails here. */
    static MovePlan check(EnvironmentRequest r, Log log) {
        PinnedDeploy.require(r.service(), "the service (PROJECT_NAME)");
        PinnedDeploy.require(r.to(), "the environment to roll back");
        PinnedDeploy.require(r.version(), "the release to roll back to (ROLLBACK_TO)");
        PinnedDeploy.require(r.environments(), "the environments");
        Environment target = r.environments().get(r.to());
        Environment predecessor = r.environments().predecessor(target.name());
        Environment witness = predecessor == null ? target : predecessor;
        List<ClusterReader.Ran> history;
        try (ClusterReader reader = new ClusterReader(witness, log)) {
            history = reader.history(r.service());
        }
        String refused = "cannot roll " + target.name() + " back to " + r.version() + ": ";
        if (history.isEmpty()) {
            throw new GuliException(refused + neverRan(r, witness, target, null, history));
        }
        String repository =
                ImagePin.repositoryOf(history.get(history.size() - 1).image());
        ImageManifest tagged = PinnedDeploy.find(r, repository, r.version());
        if (tagged == null) {
            if (history.stream().noneMatch(h -> r.version().equals(h.version()))) {
                throw new GuliException(refused + neverRan(r, witness, target, null, history));
            }
            throw new GuliException(refused + "it is not released, the registry has no tag " + repository + ":"
                    + r.version() + "; roll back to a released version (guliRelease tagged it)");
        }
        String built = BuiltTree.require(
                r,
                BuiltCommit.read(r, repository, tagged, log),
                "cannot roll " + target.name() + " back to " + r.version());
        String release = r.version() + " (" + tagged.digest() + ")";
        ClusterReader.Ran moved = null;
        ClusterReader.Ran ran = null;
        for (ClusterReader.Ran h : history) {
            if (tagged.digest().equals(h.digest())) {
                ran = h; // the digest itself ran, whatever it was called there (e.g. its snapshot tag)
            } else if (r.version().equals(h.version()) && h.digest() != null) {
                moved = h;
            }
        }
        if (ran == null && moved != null) {
            throw new GuliException(refused + "the tag " + r.version() + " is now " + tagged.digest() + " but "
                    + witness + " ran " + moved.digest() + " as " + r.version()
                    + " (the tag was moved): give the digest it ran, or fix the tag");
        }
        if (ran == null) {
            ran = ranUnpinned(r, history, repository, tagged.digest());
        }
        if (ran == null) {
            throw new GuliException(refused + neverRan(r, witness, target, tagged.digest(), history));
        }
        log.info(release + " ran in " + witness
                + (r.version().equals(ran.version())
                        ? ""
                        : " as " + Objects.requireNonNullElse(ran.version(), ran.image()))
                + ": rolling " + target.name() + " back to it");
        Running replaced;
        try (ClusterReader reader = new ClusterReader(target, log)) {
            replaced = reader.before(r.service());
        }
        return new MovePlan(
                target,
                witness,
                repository,
                tagged.digest(),
                r.version(),
                replaced,
                replaced == null || replaced.version() == null
                        ? Map.of()
                        : Map.of(ClusterReader.REPLACED, replaced.version()),
                built);
    }

    /** The line a finished rollback logs. */
    public static String done(EnvironmentRequest r, EnvironmentResult result) {
        return "rolled " + r.service() + " back: " + result.summary();
    }

    /**
     * Among the revisions whose digest the ReplicaSets do not tell (deployed by tag), the last one named as the
     * release, else the last whose tag the registry resolves to its digest now; null when none.
     */
    private static ClusterReader.Ran ranUnpinned(
            EnvironmentRequest r, List<ClusterReader.Ran> history, String repository, String digest) {
        List<ClusterReader.Ran> unpinned =
                history.stream().filter(h -> h.digest() == null).toList();
        ClusterReader.Ran named = unpinned.stream()
                .filter(h -> r.version().equals(h.version()))
                .reduce((a, b) -> b)
                .orElse(null);
        if (named != null) {
            return named;
        }
        for (int i = unpinned.size() - 1; i >= 0; i--) {
            ClusterReader.Ran h = unpinned.get(i);
            String tag = ClusterReader.tagOf(h.image());
            if (tag != null && repository.equals(ImagePin.repositoryOf(h.image()))) {
                ImageManifest m = PinnedDeploy.find(r, repository, tag);
                if (m != null && digest.equals(m.digest())) {
                    return h;
                }
            }
        }
        return null;
    }

    private static String neverRan(
            EnvironmentRequest r,
            Environment witness,
            Environment target,
            String digest,
            List<ClusterReader.Ran> history) {
        return r.service() + " never ran " + r.version() + (digest == null ? "" : " (" + digest + ")") + " in "
                + witness(witness, target) + " (the versions its ReplicaSets kept: " + versions(history)
                + "); give one of those";
    }

    private static String witness(Environment witness, Environment target) {
        return witness == target ? witness.toString() : witness + ", which comes before " + target.name();
    }

    private static String versions(List<ClusterReader.Ran> history) {
        List<String> v = history.stream()
                .map(ClusterReader.Ran::version)
                .filter(Objects::nonNull)
                .distinct()
                .toList();
        return v.isEmpty() ? "none" : String.join(", ", v);
    }
}
