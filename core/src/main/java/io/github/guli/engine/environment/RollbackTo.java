package io.github.guli.engine.environment;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.deploy.Deploy;
import io.github.guli.engine.deploy.ImagePin;
import io.github.guli.engine.registry.ImageManifest;
import java.util.List;
import java.util.Map;

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
        MovePlan p = check(r, log);
        return deploy.apply(r, p.target(), p.repository(), p.digest(), p.version(), p.replaced(), p.notes());
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
        ClusterReader.Ran ran = history.stream()
                .filter(h -> r.version().equals(h.version()))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new GuliException("cannot roll " + target.name() + " back to " + r.version() + ": "
                        + r.service() + " never ran " + r.version() + " in " + witness(witness, target)
                        + " (the versions its ReplicaSets kept: " + versions(history) + "); give one of those"));
        String repository = ImagePin.repositoryOf(ran.image());
        ImageManifest tagged = PinnedDeploy.find(r, repository, r.version());
        if (tagged == null) {
            throw new GuliException("cannot roll " + target.name() + " back to " + r.version() + ": it is not "
                    + "released, the registry has no tag " + repository + ":" + r.version()
                    + "; roll back to a released version (guliRelease tagged it)");
        }
        if (ran.digest() != null && !ran.digest().equals(tagged.digest())) {
            throw new GuliException("cannot roll " + target.name() + " back to " + r.version() + ": the tag "
                    + r.version() + " is now " + tagged.digest() + " but " + witness + " ran " + ran.digest()
                    + " as " + r.version() + " (the tag was moved): give the digest it ran, or fix the tag");
        }
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
                        : Map.of(ClusterReader.REPLACED, replaced.version()));
    }

    /** The line a finished rollback logs. */
    public static String done(EnvironmentRequest r, EnvironmentResult result) {
        return "rolled " + r.service() + " back: " + result.summary();
    }

    private static String witness(Environment witness, Environment target) {
        return witness == target ? witness.toString() : witness + ", which comes before " + target.name();
    }

    private static String versions(List<ClusterReader.Ran> history) {
        List<String> v = history.stream()
                .map(ClusterReader.Ran::version)
                .filter(java.util.Objects::nonNull)
                .distinct()
                .toList();
        return v.isEmpty() ? "none" : String.join(", ", v);
    }
}
