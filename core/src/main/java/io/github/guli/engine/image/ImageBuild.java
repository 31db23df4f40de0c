package io.github.guli.engine.image;

import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.git.Revision;
import io.github.guli.engine.process.Commands;
import io.github.guli.engine.registry.ImageRef;
import io.github.guli.engine.registry.RegistryClient;
import io.github.guli.engine.registry.RegistryEndpoint;
import io.github.guli.engine.registry.Retry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The course's "构建镜像 & 推送快照镜像" stage, done right: builds the module's image (its Dockerfile, or a layered
 * one generated from its Spring Boot jar), tags it, and pushes it with the registry login given to the engine with
 * each call. A generated image that is pushed is assembled here with no Docker engine ({@link DaemonlessImage});
 * anything else is built with the {@code docker} command ({@link DockerCli}). What is built is chosen by
 * {@link ImageSource}. Everything that can be checked is checked before the build starts.
 */
public class ImageBuild {
    private final Log log;
    private final Commands commands;
    private final Retry retry;
    private Map<String, String> layerDigests;

    public ImageBuild(Log log, Commands commands) {
        this(log, commands, Retry.DEFAULT);
    }

    public ImageBuild(Log log, Commands commands, Retry retry) {
        this.log = log;
        this.commands = commands;
        this.retry = retry;
    }

    /** The kept layers' SHA-256 after {@link #run}, to record; null: no layer cache was used. */
    public Map<String, String> layerDigests() {
        return layerDigests;
    }

    public ImageResult run(ImageRequest r) {
        if (Blank.isBlank(r.name())) {
            throw new GuliException("the image name is empty: give projectName (the course's PROJECT_NAME, e.g. "
                    + "gulimall-gateway)");
        }
        if (r.tags().isEmpty()) {
            throw new GuliException(
                    "no tag to give the image: give tags, or BRANCH_NAME and BUILD_NUMBER for the " + "snapshot tag");
        }
        RegistryEndpoint endpoint = RegistryEndpoint.parse(r.registry());
        List<ImageRef> refs = new ArrayList<>();
        for (String tag : new LinkedHashSet<>(r.tags())) {
            refs.add(ImageRef.of(endpoint.host(), r.namespace(), r.name(), tag));
        }
        Path workspace = Path.of(r.workspace() == null ? "." : r.workspace())
                .toAbsolutePath()
                .normalize();
        ImageSource source = ImageSource.choose(workspace, r, log);
        Map<String, String> labels = labels(workspace, source.module());
        if (DaemonlessImage.applies(source, r)) {
            LayerCache kept = r.keptLayers();
            try {
                return new DaemonlessImage(log, retry, kept)
                        .run(r, endpoint, refs, source, source.jar(r.jar()), labels);
            } finally {
                layerDigests = kept == null ? null : kept.record();
            }
        }
        return withDocker(r, endpoint, refs, workspace, source.dockerContext(r, log), labels);
    }

    /**
     * The OCI labels of the commit checked out, read from the workspace's git repository as guliBuild reads it: what
     * a promotion reads back to deploy that commit's manifests and configuration.
     */
    private Map<String, String> labels(Path workspace, Path module) {
        Revision revision = Revision.of(workspace.toFile(), module.toFile());
        if (revision.commit() == null) {
            log.info("the workspace is not a git checkout: the image carries no " + Revision.REVISION_LABEL
                    + " label, and a promotion of it deploys the manifests of the branch as checked out then");
        } else {
            log.info("labelled " + Revision.REVISION_LABEL + "=" + revision.commit()
                    + (revision.source() == null ? "" : ", " + Revision.SOURCE_LABEL + "=" + revision.source()));
        }
        return revision.labels();
    }

    /**
     * The Dockerfile's images that the registry login reads (pulled before the build). Any other image of the
     * configured registry must be readable anonymously, or the build is refused naming the setting that would allow it.
     */
    private List<DockerfileBases.Base> basesWithLogin(ImageRequest r, RegistryEndpoint endpoint, Path dockerfile) {
        RegistryLogin login = new RegistryLogin(endpoint, r.namespace(), r.allowedBaseImages());
        List<DockerfileBases.Base> out = new ArrayList<>();
        RegistryClient anonymous = null;
        for (DockerfileBases.Base b : DockerfileBases.read(dockerfile)) {
            if (login.covers(b.image())) {
                out.add(b);
            } else if (login.inRegistry(b.image())) {
                anonymous = anonymous != null ? anonymous : new RegistryClient(endpoint, null, retry, log);
                try {
                    anonymous.findManifest(b.image().repository(), b.image().reference());
                } catch (RegistryClient.LoginRequired e) {
                    throw login.refused(b.image(), "'" + b.instruction() + "' in " + dockerfile);
                }
            }
        }
        return out;
    }

    private ImageResult withDocker(
            ImageRequest r,
            RegistryEndpoint endpoint,
            List<ImageRef> refs,
            Path workspace,
            ImageSource.DockerContext source,
            Map<String, String> labels) {
        String repository = endpoint.host() + "/" + refs.get(0).repository();
        Path saveTo = r.saveTo() == null ? null : workspace.resolve(r.saveTo()).normalize();
        try (DockerCli docker =
                new DockerCli(log, commands, retry, r.env() == null ? System.getenv() : r.env(), workspace)) {
            docker.checkEngine();
            List<DockerfileBases.Base> withLogin = basesWithLogin(r, endpoint, source.dockerfile());
            if (r.credentials() != null) {
                docker.login(endpoint.host(), r.credentials());
                if (r.push()) {
                    docker.checkLogin(endpoint.host(), r.credentials());
                }
                for (DockerfileBases.Base b : withLogin) {
                    docker.pull(b.image());
                }
            }
            docker.withoutLogin(); // the Dockerfile is the branch's: what else it pulls, it pulls anonymously
            String imageId = docker.build(source, refs, labels);
            if (saveTo != null) {
                docker.save(refs.get(0), saveTo);
            }
            String digest = null;
            if (r.push()) {
                if (r.credentials() != null) {
                    docker.login(endpoint.host(), r.credentials());
                }
                for (ImageRef ref : refs) {
                    String d = docker.push(ref, r.credentials());
                    if (digest != null && !digest.equals(d)) {
                        throw new GuliException("the registry stored " + ref + " as " + d + " but the first tag as "
                                + digest + ": another build pushed to the same tags at the same time; run it again");
                    }
                    digest = d;
                }
            }
            return new ImageResult(
                    repository,
                    refs.stream().map(ImageRef::tag).toList(),
                    digest,
                    imageId,
                    source.generatedLayers() == null ? source.dockerfile().toString() : "generated",
                    source.generatedLayers() == null ? List.of() : source.generatedLayers(),
                    saveTo == null ? null : saveTo.toString());
        }
    }
}
