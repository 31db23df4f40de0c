package io.github.guli.engine.environment;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.UsernamePassword;
import io.github.guli.engine.deploy.Deploy;
import io.github.guli.engine.deploy.Kubeconfig;
import io.github.guli.engine.deploy.Prior;
import io.github.guli.engine.nacos.ConfigPublish;
import io.github.guli.engine.nacos.ConfigSnapshot;
import io.github.guli.engine.nacos.NacosClient;
import io.github.guli.engine.registry.MountedImage;
import java.io.Serializable;

/**
 * What a promotion or rollback would have to put back in its environment, read before its first change ({@link
 * ApplyJournal}): the objects as they were (a Secret without its data), each dataId's MD5 and type (no content: the
 * content is found again in Nacos' history), the image manifests the target's repository lacked. A process that lost
 * the apply midway puts back from it whatever changed, and only that. No credential and no content is kept.
 */
public final class PutBack implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String environment;
    private final Prior objects;
    /** Without content; null when no configuration is published. */
    private final ConfigSnapshot config;

    private final String nacosUrl;
    private final String nacosNamespace;
    /** Null when no image is mounted. */
    private final MountedImage mount;

    PutBack(Environment target, Prior objects, ConfigSnapshot config, MountedImage mount) {
        this.environment = target.name();
        this.objects = objects;
        this.config = config == null ? null : config.withoutContent();
        this.nacosUrl = target.nacosUrl();
        this.nacosNamespace = target.nacosNamespace();
        this.mount = mount;
    }

    public String environment() {
        return environment;
    }

    /** The API server's address, for messages. */
    public String server() {
        return objects.server();
    }

    /**
     * Puts back the objects (deletes what the apply created, restores what it changed), then the configuration, then
     * deletes a mounted image; returns the exception to fail with: {@code reason} and what was put back.
     */
    public GuliException putBack(
            Deploy deploy,
            Log log,
            Kubeconfig kubeconfig,
            UsernamePassword nacosLogin,
            UsernamePassword registryLogin,
            String reason) {
        RuntimeException failure = deploy.putBack(objects, kubeconfig, reason);
        if (config != null) {
            ConfigPublish publish = new ConfigPublish(new NacosClient(nacosUrl, nacosLogin, nacosNamespace), log);
            failure = ReleaseConfig.restore(publish, config, failure, log);
        }
        return PinnedRollout.unmount(mount, failure, log, registryLogin);
    }
}
