package io.github.guli.engine.environment;

import io.github.guli.engine.deploy.DeployResult;
import io.github.guli.engine.nacos.ConfigRecord;
import java.io.Serializable;

/**
 * What a promotion or a rollback deployed to {@code environment}, and what ran there before.
 *
 * @param replaced what ran there before, or null when the service did not run there
 * @param config the configuration published to the environment's Nacos, or null when none was
 */
public record EnvironmentResult(
        String environment,
        String version,
        String digest,
        String image,
        Running replaced,
        DeployResult deploy,
        ConfigRecord config)
        implements Serializable {
    /** "v1.2.0 (sha256:...) replaced v1.1.0 (...)". */
    public String summary() {
        return (version == null ? "" : version + " ") + "(" + image + ") runs in " + environment + "; it replaced "
                + (replaced == null ? "nothing (the service did not run there)" : replaced.describe())
                + (config == null ? "" : "; configuration published: " + config);
    }
}
