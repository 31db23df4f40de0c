package io.github.guli.engine.environment;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.UsernamePassword;
import io.github.guli.engine.deploy.Deploy;
import io.github.guli.engine.deploy.Kubeconfig;
import io.github.guli.engine.deploy.Rollout;
import io.github.guli.engine.deploy.RolloutState;
import io.github.guli.engine.nacos.ConfigPublish;
import io.github.guli.engine.nacos.ConfigRecord;
import io.github.guli.engine.nacos.ConfigSnapshot;
import io.github.guli.engine.nacos.NacosClient;
import io.github.guli.engine.registry.MountedImage;
import java.io.Serializable;

/**
 * A promotion or rollback applied to its environment, its rollout not yet over: enough to look at the rollout again,
 * to finish, or to put back the image and the configuration, from another process too (a Jenkins controller after a
 * restart). The kubeconfig and the Nacos login are not kept; {@link #withoutSecrets} keeps no content of the Nacos
 * configuration either.
 */
public final class PinnedRollout implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String environment;
    private final String version;
    private final String digest;
    private final String image;
    private final Running replaced;
    private final ConfigRecord config;
    /** What the target's Nacos held before the publish; null when nothing was published. */
    private final ConfigSnapshot before;

    private final String nacosUrl;
    private final String nacosNamespace;
    private final RolloutState rollout;
    /** The image mounted into the target's repository for this deploy; null when none was. */
    private final MountedImage mount;

    PinnedRollout(
            Environment target,
            String version,
            String digest,
            String image,
            Running replaced,
            ConfigRecord config,
            ConfigSnapshot before,
            RolloutState rollout,
            MountedImage mount) {
        this(
                target.name(),
                version,
                digest,
                image,
                replaced,
                config,
                before,
                target.nacosUrl(),
                target.nacosNamespace(),
                rollout,
                mount);
    }

    private PinnedRollout(
            String environment,
            String version,
            String digest,
            String image,
            Running replaced,
            ConfigRecord config,
            ConfigSnapshot before,
            String nacosUrl,
            String nacosNamespace,
            RolloutState rollout,
            MountedImage mount) {
        this.environment = environment;
        this.version = version;
        this.digest = digest;
        this.image = image;
        this.replaced = replaced;
        this.config = config;
        this.before = before;
        this.nacosUrl = nacosUrl;
        this.nacosNamespace = nacosNamespace;
        this.rollout = rollout;
        this.mount = mount;
    }

    /** The environment deployed to. */
    public String environment() {
        return environment;
    }

    /** What was applied and how far its rollout got (updated in place by {@link #poll}). */
    public RolloutState rollout() {
        return rollout;
    }

    /** The result, once the rollout finished (or when there is nothing to wait for). */
    public EnvironmentResult result() {
        return new EnvironmentResult(environment, version, digest, image, replaced, rollout.result(), config);
    }

    /**
     * A copy fit to be saved where it outlives the deploy (a build's program): no Secret's previous content, no
     * content of the previous Nacos configuration (a restore from the copy finds it in Nacos' history).
     */
    public PinnedRollout withoutSecrets() {
        return new PinnedRollout(
                environment,
                version,
                digest,
                image,
                replaced,
                config,
                before == null ? null : before.withoutContent(),
                nacosUrl,
                nacosNamespace,
                rollout.withoutSecrets(),
                mount);
    }

    /** One look at the rollout, with the target's kubeconfig (null: the machine's own). */
    public Rollout.Status poll(Deploy deploy, Kubeconfig kubeconfig) {
        return deploy.poll(rollout, kubeconfig);
    }

    /** Waits here for the rollout; when it fails, the image and the configuration go back, and the failure says so. */
    EnvironmentResult waitFor(
            Deploy deploy,
            Log log,
            Kubeconfig kubeconfig,
            UsernamePassword nacosLogin,
            UsernamePassword registryLogin) {
        try {
            deploy.waitFor(rollout, kubeconfig);
        } catch (RuntimeException e) {
            throw unmount(mount, restoreConfig(e, log, nacosLogin), log, registryLogin);
        }
        return result();
    }

    /**
     * Puts back the image (the deploy engine's rollback) and the configuration the target ran before; returns the
     * exception to fail with: {@code reason}, and what was put back.
     */
    public GuliException rollBack(
            Deploy deploy,
            Log log,
            Kubeconfig kubeconfig,
            UsernamePassword nacosLogin,
            UsernamePassword registryLogin,
            String reason) {
        return unmount(
                mount,
                restoreConfig(deploy.rollBack(rollout, kubeconfig, reason), log, nacosLogin),
                log,
                registryLogin);
    }

    /** After {@code failure}: deletes the image mounted for the deploy (a refusal is a warning); says so in it. */
    static GuliException unmount(
            MountedImage mount, RuntimeException failure, Log log, UsernamePassword registryLogin) {
        String removed = mount == null ? null : mount.remove(registryLogin, log);
        if (removed == null) {
            return failure instanceof GuliException g ? g : new GuliException(failure.getMessage(), failure);
        }
        return new GuliException(failure.getMessage() + "; " + removed, failure);
    }

    private GuliException restoreConfig(RuntimeException failure, Log log, UsernamePassword nacosLogin) {
        if (before == null) {
            return failure instanceof GuliException g ? g : new GuliException(failure.getMessage(), failure);
        }
        ConfigPublish publish = new ConfigPublish(new NacosClient(nacosUrl, nacosLogin, nacosNamespace), log);
        return ReleaseConfig.restore(publish, before, failure, log);
    }
}
