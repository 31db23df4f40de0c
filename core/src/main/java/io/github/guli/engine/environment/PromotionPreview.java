package io.github.guli.engine.environment;

import io.github.guli.engine.Log;
import java.io.File;

/**
 * A promotion's or rollback's preview, for its approval: every check the deploy makes (the digest passed in the
 * predecessor, the version released, the registry has it, the configuration files and the Nacos login), and what
 * it would change, read and nothing written. A refusal fails here, before anyone is asked to approve.
 */
public final class PromotionPreview {
    private final Log log;

    public PromotionPreview(Log log) {
        this.log = log;
    }

    /** @param rollback whether it previews {@link RollbackTo} (else {@link Promotion}) */
    public Preview run(EnvironmentRequest r, boolean rollback) {
        MovePlan p = rollback ? RollbackTo.check(r, log) : Promotion.check(r, log);
        ReleaseConfig config;
        try (BuiltTree built = BuiltTree.of(r, p.target(), p.builtCommit(), log)) {
            config = ReleaseConfig.read(built.request(), p.target(), log);
        }
        String diff = config.diff();
        String from = p.replaced() == null ? null : p.replaced().version();
        ReleaseCommits commits = ReleaseCommits.between(new File(r.workspace()), r.service(), from, p.version());
        return new Preview(
                p.target().name(),
                p.source() == null ? null : p.source().name(),
                p.version(),
                p.digest(),
                p.repository() + "@" + p.digest(),
                p.replaced(),
                diff,
                config.stateText(),
                commits,
                p.builtCommit());
    }
}
