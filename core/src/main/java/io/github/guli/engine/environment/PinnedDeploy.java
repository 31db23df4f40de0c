package io.github.guli.engine.environment;

import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.deploy.Deploy;
import io.github.guli.engine.deploy.DeployRequest;
import io.github.guli.engine.deploy.ImagePin;
import io.github.guli.engine.deploy.Prior;
import io.github.guli.engine.deploy.RolloutState;
import io.github.guli.engine.git.GitCheckout;
import io.github.guli.engine.nacos.ConfigRecord;
import io.github.guli.engine.registry.ImageManifest;
import io.github.guli.engine.registry.ImageMount;
import io.github.guli.engine.registry.MountedImage;
import io.github.guli.engine.registry.RegistryClient;
import io.github.guli.engine.registry.RegistryEndpoint;
import io.github.guli.engine.registry.Retry;
import java.io.File;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part promotion and rollback share: the registry's word on an image, and the deploy of one digest to an
 * environment through {@link Deploy}: apply (validation included), then the rollout wait with its rollback.
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
        return client(r, endpoint)
                .findManifest(repository.substring(endpoint.host().length() + 1), reference);
    }

    /**
     * The image mounted into the target's own repository ({@link Environment#imageRepository}) in the same registry,
     * no layer moved, with the manifests that repository lacks now; null when the target runs the image from {@code
     * repository}. Another registry is refused: a copy there would move every layer. Changes nothing.
     */
    private static MountedImage targetRepository(
            EnvironmentRequest r, Environment target, String repository, String digest) {
        String own = target.imageRepository();
        if (own == null) {
            return null;
        }
        RegistryEndpoint endpoint = RegistryEndpoint.parse(r.registry());
        if (!own.contains("/")) {
            throw new GuliException("the imageRepository '" + own + "' of " + target + " is not host/namespace "
                    + "(e.g. " + endpoint.host() + "/gulimall-" + target.name() + "): fix it in Manage Jenkins > "
                    + "System > guli-pipeline > Environments");
        }
        String to = own + repository.substring(repository.lastIndexOf('/'));
        if (to.equals(repository)) {
            return null;
        }
        if (!to.startsWith(endpoint.host() + "/")) {
            throw new GuliException("cannot deploy " + repository + "@" + digest + " to " + target + ": its images "
                    + "are in " + own + ", not in the registry " + endpoint.host() + " the image is in; a promotion "
                    + "moves no layer, and between two registries every layer would have to be copied: set its "
                    + "imageRepository to a namespace of " + endpoint.host() + " (mounted, no layer moved), or push "
                    + "the image to that registry and deploy it there with guliDeployK8s");
        }
        String host = endpoint.host() + "/";
        String from = repository.substring(host.length());
        String into = to.substring(host.length());
        List<String> missing = new ImageMount(client(r, endpoint), line -> {}).missing(from, into, digest);
        return new MountedImage(r.registry(), into, digest, missing);
    }

    private static RegistryClient client(EnvironmentRequest r, RegistryEndpoint endpoint) {
        return new RegistryClient(endpoint, r.registryCredentials(), Retry.DEFAULT, line -> {});
    }

    /**
     * Applies {@code repository@digest} to {@code target} with the manifests of the request, annotated; the target's
     * configuration ({@link ReleaseConfig}) is published first and put back when the apply fails, and so is an image
     * mounted into the target's repository. Before the first change, {@code journal} (when given) is told what would
     * have to be put back. The rollout is then waited for with {@link #finish}, or by the caller ({@link
     * PinnedRollout}).
     */
    PinnedRollout apply(EnvironmentRequest r, MovePlan p, ApplyJournal journal) {
        return apply(r, p.target(), p.repository(), p.digest(), p.version(), p.replaced(), p.notes(), journal);
    }

    private PinnedRollout apply(
            EnvironmentRequest r,
            Environment target,
            String repository,
            String digest,
            String version,
            Running replaced,
            Map<String, String> notes,
            ApplyJournal journal) {
        Map<String, String> annotations = new HashMap<>(notes);
        annotations.put(ClusterReader.DIGEST, digest);
        if (version != null) {
            annotations.put(ClusterReader.VERSION, version);
        }
        Map<String, String> env = new HashMap<>(r.env());
        env.putIfAbsent("TAG_NAME", Blank.orDefault(version, "promoted")); // the pin decides the image, not the tag
        env.putIfAbsent("PROJECT_VERSION", Blank.orDefault(version, "promoted"));
        ReleaseConfig config = ReleaseConfig.read(r, target, log);
        MountedImage mount = targetRepository(r, target, repository, digest);
        String pinned = mount == null
                ? repository
                : RegistryEndpoint.parse(r.registry()).host() + "/" + mount.repository();
        ImagePin pin = new ImagePin(pinned, digest, annotations, Set.of(repository));
        DeployRequest request = new DeployRequest()
                .workspace(r.workspace())
                .configs(r.configs())
                .env(env)
                .kubeconfig(target.kubeconfig())
                .namespace(target.namespace())
                .timeoutSeconds(r.timeoutSeconds())
                .pin(pin);
        Prior prior = deploy.prior(request);
        if (journal != null) {
            journal.started(new PutBack(target, prior, config.snapshot(), mount));
        }
        if (mount != null) {
            mount(r, repository, mount);
        }
        ConfigRecord record;
        RolloutState applied;
        try {
            record = config.publish();
            log.info("deploying " + pin.image() + (version == null ? "" : " (" + version + ")") + " to " + target);
            applied = deploy.apply(request, prior);
        } catch (RuntimeException e) {
            throw PinnedRollout.unmount(mount, config.restore(e), log, r.registryCredentials());
        }
        return new PinnedRollout(
                target, version, digest, pin.image(), replaced, record, config.published(), applied, mount);
    }

    /** Mounts the image into the target's repository; a mount failing part-way deletes what it had put there. */
    private void mount(EnvironmentRequest r, String repository, MountedImage mount) {
        RegistryEndpoint endpoint = RegistryEndpoint.parse(r.registry());
        try {
            new ImageMount(client(r, endpoint), log)
                    .mount(repository.substring(endpoint.host().length() + 1), mount.repository(), mount.digest());
        } catch (RuntimeException e) {
            throw PinnedRollout.unmount(mount, e, log, r.registryCredentials());
        }
    }

    /** Waits here for the rollout of what {@link #apply} applied; a failure puts back the image and configuration. */
    EnvironmentResult finish(EnvironmentRequest r, PinnedRollout applied) {
        Environment target = r.environments().get(applied.environment());
        return applied.waitFor(deploy, log, target.kubeconfig(), target.nacosCredentials(), r.registryCredentials());
    }
}
