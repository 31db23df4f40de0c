package io.github.guli.engine.release;

import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.git.GitTagger;
import io.github.guli.engine.registry.ImageManifest;
import io.github.guli.engine.registry.ImageRef;
import io.github.guli.engine.registry.RegistryClient;
import io.github.guli.engine.registry.RegistryEndpoint;
import io.github.guli.engine.registry.Retry;
import java.io.File;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * The course's "发布版本" stage, done right, all or nothing: a version names one image and one commit forever.
 * Everything is read first (the image tag of the version, the git tag on the server); when either already names
 * something else the release fails naming both and changes nothing. Then the image is tagged in the registry
 * without moving layers and the annotated tag {@code <project>-<version>} is pushed without force; when that push
 * fails, the image tag this release created is removed again. The same image and commit again is a no-op.
 */
public class Release {
    private final Log log;
    private final Retry retry;

    public Release(Log log) {
        this(log, Retry.DEFAULT);
    }

    public Release(Log log, Retry retry) {
        this.log = log;
        this.retry = retry;
    }

    /** The image side of a release as read before anything changes. */
    private record ImagePlan(
            RegistryClient client, ImageRef source, ImageRef target, ImageManifest built, ImageManifest existing) {}

    public ReleaseResult run(ReleaseRequest r) {
        ReleaseVersion version = ReleaseVersion.parse(r.projectVersion());
        String gitTag = gitTagName(r.projectName(), version);
        ImagePlan image = null;
        if (r.tagImage()) {
            image = imagePlan(r, version);
            if (image.existing() != null
                    && !image.existing().digest().equals(image.built().digest())) {
                throw new GuliException("version " + version + " is taken: image " + image.target() + " already is "
                        + image.existing().digest() + ", not the built image " + image.source() + " ("
                        + image.built().digest() + "); nothing was changed. A released version is never moved: "
                        + "release a new version");
            }
        }
        GitTagger tagger = new GitTagger(log);
        if (r.gitDir() != null) {
            tagger.check(new File(r.gitDir()), r.gitRemote(), r.commit(), gitTag, r.gitCredentials()); // fails if taken
        }

        boolean created = false;
        if (image != null) {
            if (image.existing() != null) {
                log.info("image " + image.target() + " already is "
                        + image.built().digest() + ": nothing to do");
            } else {
                log.info("tagging " + image.source() + " as " + image.target().tag()
                        + " in the registry (no layer is moved)");
                image.client()
                        .putManifest(image.source().repository(), image.target().tag(), image.built());
                created = true;
                log.info("image " + image.target() + " -> " + image.built().digest());
            }
        }
        GitTagger.Result tag = null;
        if (r.gitDir() != null) {
            try {
                tag = tagger.tag(
                        new File(r.gitDir()),
                        r.gitRemote(),
                        r.commit(),
                        gitTag,
                        "Release " + version + " of " + r.projectName(),
                        r.gitCredentials(),
                        person(r));
            } catch (GuliException e) {
                throw created ? undoImageTag(image, e) : e;
            }
        }
        ReleaseResult result = new ReleaseResult(
                version.toString(),
                image == null ? null : image.target().toString(),
                image == null ? null : image.built().digest(),
                image == null ? null : created ? "TAGGED" : "ALREADY_PRESENT",
                tag == null ? null : tag.tag(),
                tag == null ? null : tag.outcome().name());
        if (result.nothingChanged()) {
            log.info("version " + version + " was already released with this image and commit: nothing changed");
        }
        return result;
    }

    /**
     * Check-only: whether the version can still be released from this commit, asked before the image is built (so
     * its digest is not known yet). The rule: the git tag must not exist at another commit; and an existing image
     * tag of the version is accepted only when the git tag already exists at this very commit (the version was
     * released from this code; the release then is a no-op if the image has the same digest, and fails if not).
     * An image tag without its git tag is a version taken by something this commit cannot be shown to be.
     */
    public ReleaseCheck check(ReleaseRequest r) {
        ReleaseVersion version = ReleaseVersion.parse(r.projectVersion());
        String gitTag = gitTagName(r.projectName(), version);
        GitTagger.State git = r.gitDir() == null
                ? null
                : new GitTagger(log).check(new File(r.gitDir()), r.gitRemote(), r.commit(), gitTag, r.gitCredentials());
        String imageDigest = null;
        String image = null;
        if (r.tagImage()) {
            RegistryEndpoint endpoint = RegistryEndpoint.parse(r.registry());
            ImageRef target = ImageRef.of(endpoint.host(), r.namespace(), r.projectName(), version.imageTag());
            image = target.toString();
            ImageManifest existing = new RegistryClient(endpoint, r.registryCredentials(), retry, log)
                    .findManifest(target.repository(), target.tag());
            imageDigest = existing == null ? null : existing.digest();
            if (existing != null && (git == null || !git.present())) {
                throw new GuliException("version " + version + " is taken: image " + target + " already exists ("
                        + existing.digest() + ")"
                        + (git == null
                                ? ""
                                : " but git tag " + gitTag + " does not exist on " + git.remote()
                                        + ", so it cannot be this commit's")
                        + "; release a new version (or, if that "
                        + "image tag was left by a failed release, delete the tag " + target + " in the registry)");
            }
        }
        ReleaseCheck result = new ReleaseCheck(
                version.toString(),
                image,
                imageDigest,
                git == null ? null : gitTag,
                git == null ? null : git.commit(),
                git != null && git.present());
        log.info(result.summary());
        return result;
    }

    private ImagePlan imagePlan(ReleaseRequest r, ReleaseVersion version) {
        RegistryEndpoint endpoint = RegistryEndpoint.parse(r.registry());
        ImageRef source = ImageRef.of(endpoint.host(), r.namespace(), r.projectName(), r.sourceTag());
        ImageRef target = source.withTag(version.imageTag());
        RegistryClient client = new RegistryClient(endpoint, r.registryCredentials(), retry, log);
        ImageManifest built = client.getManifest(source.repository(), source.tag());
        return new ImagePlan(client, source, target, built, client.findManifest(target.repository(), target.tag()));
    }

    /** Removes the image tag this release created, and the exception to fail with, saying what is left to clean. */
    private GuliException undoImageTag(ImagePlan image, GuliException cause) {
        String refused;
        try {
            refused = image.client()
                    .deleteTag(image.target().repository(), image.target().tag());
        } catch (GuliException e) {
            refused = e.getMessage();
        }
        if (refused == null) {
            log.info("removed image tag " + image.target() + " again: the git tag could not be pushed");
            return new GuliException(
                    cause.getMessage() + "; the image tag " + image.target() + " this release had "
                            + "created was removed again, so nothing of the release is left",
                    cause);
        }
        return new GuliException(
                cause.getMessage() + "; the image tag " + image.target() + " this release had "
                        + "created could not be removed (the registry answered " + refused
                        + "): delete that one tag in the "
                        + "registry (its console or API) before releasing this version again; do not delete the manifest "
                        + image.built().digest() + " by digest, that would also remove " + image.source(),
                cause);
    }

    private static PersonIdent person(ReleaseRequest r) {
        return new PersonIdent(
                Blank.orDefault(r.taggerName(), "guli-pipeline"),
                Blank.orDefault(r.taggerEmail(), "guli-pipeline@localhost"));
    }

    /** {@code <PROJECT_NAME>-<PROJECT_VERSION>}, as the course names its tags; checked against git's ref rules. */
    static String gitTagName(String projectName, ReleaseVersion version) {
        if (Blank.isBlank(projectName)) {
            throw new GuliException("PROJECT_NAME is empty: give the module to release, e.g. gulimall-gateway");
        }
        String name = projectName + "-" + version;
        if (!org.eclipse.jgit.lib.Repository.isValidRefName("refs/tags/" + name)) {
            throw new GuliException("'" + name + "' cannot be a git tag name: PROJECT_NAME must not contain spaces, "
                    + "'..', '~', '^', ':', '?', '*', '[' or '\\'");
        }
        return name;
    }
}
