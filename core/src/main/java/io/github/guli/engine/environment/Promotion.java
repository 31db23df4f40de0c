package io.github.guli.engine.environment;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.deploy.Deploy;
import io.github.guli.engine.deploy.ImagePin;
import io.github.guli.engine.registry.ImageManifest;
import java.util.Map;

/**
 * Deploys to an environment exactly the image its predecessor runs now, by digest: read from the predecessor's
 * cluster (its rollout finished healthy), never rebuilt, no layer moved. Every refusal comes before anything changes.
 */
public final class Promotion {
    private final Log log;
    private final PinnedDeploy deploy;

    public Promotion(Log log) {
        this(log, new Deploy(log, log));
    }

    /** @param deploy the deploy engine (e.g. one polling at a test's pace) */
    public Promotion(Log log, Deploy deploy) {
        this.log = log;
        this.deploy = new PinnedDeploy(deploy, log);
    }

    /** Promotes, waiting here for the rollout; a failure puts back the image and the configuration. */
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

    /** Every check of a promotion, changing nothing: what it would deploy and replace; a refusal fails here. */
    static MovePlan check(EnvironmentRequest r, Log log) {
        PinnedDeploy.require(r.service(), "the service (PROJECT_NAME)");
        PinnedDeploy.require(r.to(), "the environment to promote to (PROMOTE_TO)");
        PinnedDeploy.require(r.environments(), "the environments");
        Environment target = r.environments().get(r.to());
        Environment source = r.environments().predecessor(target.name());
        if (source == null) {
            throw new GuliException(target + " is the first environment: nothing is promoted to it, a snapshot "
                    + "build deploys there (guliDeployK8s); promote to " + next(r, target));
        }
        Running running;
        try (ClusterReader reader = new ClusterReader(source, log)) {
            running = reader.running(r.service());
        }
        String refusal = refusal(r, source, running);
        if (refusal != null) {
            throw new GuliException("cannot promote " + r.service() + " to " + target.name() + ": " + refusal);
        }
        String repository = ImagePin.repositoryOf(running.image());
        String refused = "cannot promote " + r.service() + " to " + target.name();
        ImageManifest image = PinnedDeploy.find(r, repository, running.digest());
        if (image == null) {
            throw new GuliException(refused + ": " + source + " runs " + running.describe() + " but the registry has "
                    + "no " + repository + "@" + running.digest() + " (deleted?): push that image again, or promote "
                    + "another one");
        }
        String built = BuiltTree.require(r, BuiltCommit.read(r, repository, image, log), refused);
        log.info(source + " runs " + running.describe() + ", rolled out healthy: promoting it to " + target);
        Running replaced;
        try (ClusterReader reader = new ClusterReader(target, log)) {
            replaced = reader.before(r.service());
        }
        return new MovePlan(
                target,
                source,
                repository,
                running.digest(),
                running.version(),
                replaced,
                Map.of(ClusterReader.PROMOTED_FROM, source.name()),
                built);
    }

    /** The line a finished promotion logs. */
    public static String done(EnvironmentRequest r, EnvironmentResult result) {
        String from = r.environments().predecessor(result.environment()).name();
        return "promoted " + r.service() + " from " + from + ": " + result.summary();
    }

    /** Why what runs in {@code source} may not be promoted, or null when it may. */
    private static String refusal(EnvironmentRequest r, Environment source, Running running) {
        if (running == null) {
            return r.service() + " does not run in " + source + " (no Deployment " + r.service() + "): deploy it "
                    + "there first";
        }
        if (running.unhealthy() != null) {
            return source + " runs " + running.describe() + "; only an image whose rollout finished healthy there "
                    + "is promoted: fix or roll back " + source.name() + " first";
        }
        if (r.digest() != null && !r.digest().equals(running.digest())) {
            return r.digest() + " does not run in " + source + ", which runs " + running.describe()
                    + ": promote what runs there, or deploy " + r.digest() + " to " + source.name() + " first";
        }
        if (r.version() != null && !r.version().equals(running.version())) {
            return r.version() + " does not run in " + source + ", which runs " + running.describe()
                    + ": promote what runs there, or deploy " + r.version() + " to " + source.name() + " first";
        }
        return null;
    }

    private static String next(EnvironmentRequest r, Environment target) {
        var names = r.environments().names();
        int i = names.indexOf(target.name());
        return i + 1 < names.size() ? names.get(i + 1) : "another environment";
    }
}
