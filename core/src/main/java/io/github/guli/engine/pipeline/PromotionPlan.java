package io.github.guli.engine.pipeline;

import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.environment.Environment;
import io.github.guli.engine.environment.Environments;
import io.github.guli.engine.release.ReleaseVersion;
import java.util.List;
import java.util.Map;

/**
 * A build that moves a release between the admins' environments instead of building: PROMOTE_TO (the digest the
 * environment before it runs, optionally checked against PROJECT_VERSION), or ROLLBACK_TO a released version in
 * ENVIRONMENT. Only the build parameters and the global configuration decide it, never guli.yaml.
 *
 * @param target the environment deployed to
 * @param version the version to promote (null: whatever the predecessor runs), or the one to roll back to
 * @param digest the digest to promote (PROMOTE_DIGEST; null: whatever the predecessor runs)
 * @param rollback whether it is a rollback
 * @param release whether the promotion reaches the release point, and so releases (a rollback never does)
 */
record PromotionPlan(Environment target, String version, String digest, boolean rollback, boolean release) {
    static final String PROMOTE_TO = "PROMOTE_TO";
    static final String PROMOTE_DIGEST = "PROMOTE_DIGEST";
    static final String ROLLBACK_TO = "ROLLBACK_TO";
    static final String ENVIRONMENT = "ENVIRONMENT";

    /** The plan the parameters ask for, or null when neither PROMOTE_TO nor ROLLBACK_TO is set. */
    static PromotionPlan of(List<Environment> configured, Map<String, String> env) {
        String promoteTo = Blank.toNull(env.get(PROMOTE_TO));
        String rollbackTo = Blank.toNull(env.get(ROLLBACK_TO));
        String where = Blank.toNull(env.get(ENVIRONMENT));
        String digest = Blank.toNull(env.get(PROMOTE_DIGEST));
        if (digest != null && promoteTo == null) {
            throw new GuliException(PROMOTE_DIGEST + " is '" + digest + "' but " + PROMOTE_TO + " is empty: "
                    + PROMOTE_DIGEST + " says which digest a promotion deploys; choose the environment in " + PROMOTE_TO
                    + ", or leave " + PROMOTE_DIGEST + " empty");
        }
        if (digest != null && !digest.matches("sha256:[0-9a-f]{64}")) {
            throw new GuliException(PROMOTE_DIGEST + " '" + digest + "' is not an image digest: give it as "
                    + "sha256:<64 hex digits> (the digest the environment before runs), or leave it empty");
        }
        if (promoteTo == null && rollbackTo == null) {
            if (where != null) {
                throw new GuliException(ENVIRONMENT + " is '" + where + "' but " + ROLLBACK_TO + " is empty: "
                        + ENVIRONMENT + " says where " + ROLLBACK_TO + " rolls back; give the released version, or "
                        + "leave " + ENVIRONMENT + " empty");
            }
            return null;
        }
        if (promoteTo != null && rollbackTo != null) {
            throw new GuliException("give " + PROMOTE_TO + " (promote to the next environment) or " + ROLLBACK_TO
                    + " (roll an environment back to a release), not both");
        }
        Environments environments = Environments.of(configured);
        String version = Blank.toNull(env.get("PROJECT_VERSION"));
        if (rollbackTo != null) {
            if (where == null) {
                throw new GuliException(ROLLBACK_TO + " " + rollbackTo + " needs " + ENVIRONMENT + ", the environment "
                        + "to roll back: one of " + String.join(", ", environments.names()));
            }
            if (version != null) {
                throw new GuliException(ROLLBACK_TO + " rolls back to its own version: leave PROJECT_VERSION empty (it "
                        + "is " + version + ")");
            }
            try {
                ReleaseVersion.parse(rollbackTo);
            } catch (GuliException e) {
                throw new GuliException(e.getMessage().replaceFirst("^PROJECT_VERSION", ROLLBACK_TO));
            }
            return new PromotionPlan(environments.get(where), rollbackTo, null, true, false);
        }
        if (where != null) {
            throw new GuliException(ENVIRONMENT + " is for " + ROLLBACK_TO + ": a promotion goes to " + PROMOTE_TO
                    + " (" + promoteTo + "); leave " + ENVIRONMENT + " empty");
        }
        Environment target = environments.get(promoteTo);
        if (environments.predecessor(promoteTo) == null) {
            throw new GuliException(PROMOTE_TO + " is '" + promoteTo + "', the first environment, which a snapshot "
                    + "build deploys to: promote to one after it (" + String.join(", ", later(environments)) + ")");
        }
        boolean release = environments.releasePoint() == target;
        if (release && version != null) {
            ReleaseVersion.parse(version); // at the release point PROJECT_VERSION is the version it releases
        }
        return new PromotionPlan(target, version, digest, false, release);
    }

    /** The environments a promotion can go to: each after the first. */
    static List<String> later(Environments environments) {
        List<String> names = environments.names();
        return names.subList(1, names.size());
    }

    /** What the build does, for the approval and the log: {@code promote gulimall-gateway v1.2.0 to prod}. */
    String what(String service) {
        return rollback
                ? "roll " + service + " in " + target.name() + " back to " + version
                : "promote " + service + (version == null ? "" : " " + version) + " to " + target.name();
    }

    /** Why the stages that build and deploy from this commit are skipped. */
    String skipReason() {
        return rollback
                ? ROLLBACK_TO + " is " + version + ": a rollback deploys that release's image again and builds nothing"
                : PROMOTE_TO + " is " + target.name() + ": a promotion deploys the image the environment before it "
                        + "runs and builds nothing";
    }
}
