package io.github.guli.engine.environment;

import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.deploy.Deploy;
import io.github.guli.engine.deploy.DeployRequest;
import io.github.guli.engine.deploy.DeployResult;
import io.github.guli.engine.deploy.ImagePin;
import io.github.guli.engine.git.GitCheckout;
import io.github.guli.engine.nacos.ConfigRecord;
import io.github.guli.engine.registry.ImageManifest;
import io.github.guli.engine.registry.RegistryClient;
import io.github.guli.engine.registry.RegistryEndpoint;
import io.github.guli.engine.registry.Retry;
import java.io.File;
import java.util.HashMap;
import java.util.Map;

/**
 * The part promotion and rollback share: the registry's word on an image, and the deploy of one digest to an
 * environment through {@link Deploy} (validation, rollout wait and rollback included).
 */
final class PinnedDeploy {
    private final Deploy deploy;
    private final Log log;

    PinnedDeploy(Deploy deploy, Log log) {
        this.deploy = deploy;
        this.log = log;
    }

    static void require(Object value, String what) {
        if (value == null) {
            throw new GuliException(what + " is not given");
        }
    }

    /** Refuses a workspace that has not the request's commit checked out (the branch moved since the preview). */
    static void requireCommit(EnvironmentRequest r, String refused) {
        if (r.commit() == null) {
            return;
        }
        File workspace = new File(r.workspace());
        String head = GitCheckout.head(workspace, workspace);
        if (!r.commit().equals(head)) {
            throw new GuliException(refused + ": the workspace has " + (head == null ? "no git commit" : head)
                    + " checked out, not " + r.commit() + ", the commit the preview read (the branch moved since?); "
                    + "nothing was changed: run it again to preview and approve what the branch holds now");
        }
    }

    /** The manifest of {@code repository} (with its registry host) at {@code reference}, or null. */
    static ImageManifest find(EnvironmentRequest r, String repository, String reference) {
        RegistryEndpoint endpoint = RegistryEndpoint.parse(r.registry());
        if (!repository.startsWith(endpoint.host() + "/")) {
            throw new GuliException("the image " + repository + " is not in the configured registry "
                    + endpoint.host() + ": promotion moves no layer between registries; deploy images of "
                    + endpoint.host() + " (or configure the registry they are in)");
        }
        RegistryClient client = new RegistryClient(endpoint, r.registryCredentials(), Retry.DEFAULT, line -> {});
        return client.findManifest(repository.substring(endpoint.host().length() + 1), reference);
    }

    /**
     * Deploys {@code repository@digest} to {@code target} with the manifests of the request, annotated; the target's
     * configuration ({@link ReleaseConfig}) is published first and put back when the deploy fails.
     */
    EnvironmentResult run(
            EnvironmentRequest r,
            Environment target,
            String repository,
            String digest,
            String version,
            Running replaced,
            Map<String, String> notes) {
        Map<String, String> annotations = new HashMap<>(notes);
        annotations.put(ClusterReader.DIGEST, digest);
        if (version != null) {
            annotations.put(ClusterReader.VERSION, version);
        }
        Map<String, String> env = new HashMap<>(r.env());
        env.putIfAbsent("TAG_NAME", Blank.orDefault(version, "promoted")); // the pin decides the image, not the tag
        env.putIfAbsent("PROJECT_VERSION", Blank.orDefault(version, "promoted"));
        ImagePin pin = new ImagePin(repository, digest, annotations);
        ReleaseConfig config = ReleaseConfig.read(r, target, log);
        ConfigRecord record = config.publish();
        log.info("deploying " + pin.image() + (version == null ? "" : " (" + version + ")") + " to " + target);
        DeployRequest request = new DeployRequest()
                .workspace(r.workspace())
                .configs(r.configs())
                .env(env)
                .kubeconfig(target.kubeconfig())
                .namespace(target.namespace())
                .timeoutSeconds(r.timeoutSeconds())
                .pin(pin);
        DeployResult deployed;
        try {
            deployed = deploy.run(request);
        } catch (RuntimeException e) {
            throw config.restore(e);
        }
        return new EnvironmentResult(target.name(), version, digest, pin.image(), replaced, deployed, record);
    }
}
