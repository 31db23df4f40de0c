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
import java.util.function.Consumer;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * The course's "发布版本" stage, done right, all or nothing: a version names one image and one commit forever.
 * Everything is read first (the image tag of the version, the git tag on the server); when either already names
 * something else the release fails naming both and changes nothing. Then the annotated tag {@code
 * <project>-<version>} is pushed as a create, recording the image's digest: the git server takes one push of a new
 * tag, so of two releases racing for one version exactly one gets past this step, and the other writes nothing.
 * Only then is the image tagged in the registry (create only, no layer moves); when that fails, this release's own
 * git tag is deleted again, and only while it still is the object this release pushed. The same image and commit
 * again is a no-op. Without a git tag there is no arbiter: two such releases of one version rely on the lock.
 */
public class Release {
    /** The points between a release's phases, where a test can hold a release to drive a race. */
    enum Phase {
        CHECKED,
        GIT_TAGGED
    }

    private final Log log;
    private final Retry retry;
    private Consumer<Phase> between = phase -> {};

    public Release(Log log) {
        this(log, Retry.DEFAULT);
    }

    public Release(Log log, Retry retry) {
        this.log = log;
        this.retry = retry;
    }

    Release between(Consumer<Phase> hook) {
        this.between = hook;
        return this;
    }

    /** The image side of a release as read before anything changes. */
    private record ImagePlan(
            RegistryClient client, String source, ImageRef target, ImageManifest built, ImageManifest existing) {}

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
        between.accept(Phase.CHECKED);

        GitTagger.Result tag = r.gitDir() == null ? null : pushTag(r, tagger, version, gitTag, image);
        between.accept(Phase.GIT_TAGGED);
        String imageOutcome = null;
        if (image != null) {
            imageOutcome = tag != null && tag.outcome() == GitTagger.Outcome.ALREADY_PRESENT
                    ? releasedBefore(version, image, tag)
                    : putImage(r, tagger, image, tag);
        }
        ReleaseResult result = new ReleaseResult(
                version.toString(),
                image == null ? null : image.target().toString(),
                image == null ? null : image.built().digest(),
                imageOutcome,
                tag == null ? null : tag.tag(),
                tag == null ? null : tag.outcome().name());
        if (result.nothingChanged()) {
            log.info("version " + version + " was already released with this image and commit: nothing changed");
        }
        return result;
    }

    /** The annotated tag's message: the release, its image, the configuration published, who approved it. */
    static String tagMessage(ReleaseRequest r, ReleaseVersion version, String image) {
        StringBuilder m = new StringBuilder("Release " + version + " of " + r.projectName());
        if (image != null) {
            m.append("\n\nimage ").append(image);
        }
        if (!r.configRecord().isEmpty()) {
            m.append("\n\nconfiguration ").append(String.join("\nconfiguration ", r.configRecord()));
        }
        if (!r.approvals().isEmpty()) {
            m.append("\n\napprovals:");
            r.approvals().forEach(line -> m.append("\n").append(line));
        }
        return m.toString();
    }

    /** The first write, and the arbiter: fails, having changed nothing, when the tag is at another commit. */
    private GitTagger.Result pushTag(
            ReleaseRequest r, GitTagger tagger, ReleaseVersion version, String gitTag, ImagePlan image) {
        String message = tagMessage(
                r,
                version,
                image == null ? null : image.target() + "@" + image.built().digest());
        try {
            return tagger.tag(
                    new File(r.gitDir()), r.gitRemote(), r.commit(), gitTag, message, r.gitCredentials(), person(r));
        } catch (GuliException e) {
            throw new GuliException(e.getMessage() + "; this release changed nothing", e);
        }
    }

    /**
     * The git tag was there at this commit (pushed before, or by a release that won the race): a no-op only when
     * the image tag already is the built image; anything else is another release's, and is left alone.
     */
    private String releasedBefore(ReleaseVersion version, ImagePlan image, GitTagger.Result tag) {
        ImageManifest now = image.client()
                .findManifest(image.target().repository(), image.target().tag());
        if (now != null && now.digest().equals(image.built().digest())) {
            log.info("image " + image.target() + " already is " + now.digest() + ": nothing to do");
            return "ALREADY_PRESENT";
        }
        throw new GuliException("version " + version + " is taken: git tag " + tag.tag() + " on " + tag.remote()
                + " (tag object " + tag.object() + " at " + tag.commit() + ") was pushed by another release, and image "
                + image.target() + (now == null ? " does not exist (yet)" : " is " + now.digest()) + ", not the built "
                + "image " + image.source() + " (" + image.built().digest() + "); this release changed nothing. "
                + "Release a new version"
                + (now == null
                        ? " (or, if no other release of " + version + " is running, it stopped half-way: delete the "
                                + "git tag " + tag.tag() + " on the server and release again)"
                        : ""));
    }

    /** Creates the version's image tag; when it cannot, takes back this release's own git tag. */
    private String putImage(ReleaseRequest r, GitTagger tagger, ImagePlan image, GitTagger.Result tag) {
        ImageRef target = image.target();
        try {
            ImageManifest now = image.client().findManifest(target.repository(), target.tag());
            if (now != null) {
                if (now.digest().equals(image.built().digest())) {
                    log.info("image " + target + " already is " + now.digest() + ": nothing to do");
                    return "ALREADY_PRESENT";
                }
                throw new GuliException("image " + target + " was taken meanwhile: it is " + now.digest()
                        + ", not the built image " + image.source() + " ("
                        + image.built().digest()
                        + "); it was left as it is");
            }
            log.info("tagging " + image.source() + " as " + target.tag() + " in the registry (no layer is moved)");
            image.client().putManifest(target.repository(), target.tag(), image.built());
            log.info("image " + target + " -> " + image.built().digest());
            return "TAGGED";
        } catch (GuliException e) {
            throw tag == null ? e : undoGitTag(r, tagger, tag, e);
        }
    }

    /** Deletes the git tag this release pushed, and the exception to fail with, saying what is left to clean. */
    private GuliException undoGitTag(ReleaseRequest r, GitTagger tagger, GitTagger.Result tag, GuliException cause) {
        String refused;
        try {
            refused = tagger.delete(new File(r.gitDir()), r.gitRemote(), tag.tag(), tag.object(), r.gitCredentials());
        } catch (GuliException e) {
            refused = e.getMessage();
        }
        if (refused == null) {
            return new GuliException(
                    cause.getMessage() + "; the git tag " + tag.tag() + " this release had pushed was deleted again, "
                            + "so nothing of the release is left",
                    cause);
        }
        return new GuliException(
                cause.getMessage() + "; the git tag " + tag.tag() + " this release had pushed could not be deleted ("
                        + refused + "): delete it on " + tag.remote() + " if it still is tag object " + tag.object()
                        + " before releasing this version again",
                cause);
    }

    /**
     * Check-only: whether the version can still be released from this commit, asked before the image is built (so
     * its digest is not known yet). The rule: the git tag must not exist at another commit; and an existing image
     * tag of the version is accepted only when the git tag already exists at this very commit (the version was
     * released from this code; the release then is a no-op if the image has the same digest, and fails if not).
     * An image tag without its git tag is a version taken by something this commit cannot be shown to be; a git
     * tag without its image tag is a release under way (or one that stopped half-way): taken too.
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
            if (existing == null && git != null && git.present()) {
                throw new GuliException("version " + version + " is taken: git tag " + gitTag + " exists on "
                        + git.remote() + " (tag object " + git.object() + ") but image " + target + " does not: "
                        + "another release of " + version + " is under way, or one stopped half-way; release a new "
                        + "version (or, if none is running, delete the git tag " + gitTag + " on the server)");
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
        ImageRef target = ImageRef.of(endpoint.host(), r.namespace(), r.projectName(), version.imageTag());
        RegistryClient client = new RegistryClient(endpoint, r.registryCredentials(), retry, log);
        String digest = r.sourceDigest();
        if (digest != null && !digest.matches("sha256:[0-9a-f]{64}")) {
            throw new GuliException("the digest to release '" + digest + "' is not sha256: and 64 hex digits: give "
                    + "the digest guliPromote returned");
        }
        String source = digest != null ? target.registry() + "/" + target.repository() + "@" + digest : null;
        if (source == null) {
            source = target.withTag(r.sourceTag()).toString();
        }
        ImageManifest built = client.getManifest(target.repository(), digest != null ? digest : r.sourceTag());
        return new ImagePlan(client, source, target, built, client.findManifest(target.repository(), target.tag()));
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
