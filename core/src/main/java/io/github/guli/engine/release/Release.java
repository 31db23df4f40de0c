package io.github.guli.engine.release;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.git.GitTagger;
import io.github.guli.engine.registry.ImageRef;
import io.github.guli.engine.registry.RegistryClient;
import io.github.guli.engine.registry.RegistryEndpoint;
import io.github.guli.engine.registry.Retry;
import java.io.File;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * The course's "发布版本" stage, done right: the version is checked first, the image is tagged in the registry
 * without moving layers, and the annotated tag {@code <project>-<version>} is pushed without force.
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

    public ReleaseResult run(ReleaseRequest r) {
        ReleaseVersion version = ReleaseVersion.parse(r.projectVersion());
        if (r.projectName() == null || r.projectName().isBlank()) {
            throw new GuliException("PROJECT_NAME is empty: give the module to release, e.g. gulimall-gateway");
        }
        // Check everything that can be checked before the first change anywhere.
        RegistryEndpoint endpoint = r.tagImage() ? RegistryEndpoint.parse(r.registry()) : null;
        ImageRef source = r.tagImage() ? ImageRef.of(endpoint.host(), r.namespace(), r.projectName(), r.sourceTag()) : null;
        String gitTag = gitTagName(r.projectName(), version);

        String image = null;
        String digest = null;
        if (source != null) {
            ImageRef target = source.withTag(version.imageTag());
            log.info("tagging " + source + " as " + target.tag() + " in the registry (no layer is moved)");
            digest = new RegistryClient(endpoint, r.registryCredentials(), retry, log)
                    .copyTag(source.repository(), source.tag(), target.tag());
            image = target.toString();
            log.info("image " + image + " -> " + digest);
        }
        GitTagger.Result tag = null;
        if (r.gitDir() != null) {
            PersonIdent tagger = new PersonIdent(
                    r.taggerName() == null || r.taggerName().isBlank() ? "guli-pipeline" : r.taggerName(),
                    r.taggerEmail() == null || r.taggerEmail().isBlank() ? "guli-pipeline@localhost" : r.taggerEmail());
            tag = new GitTagger(log).tag(new File(r.gitDir()), r.gitRemote(), r.commit(), gitTag,
                    "Release " + version + " of " + r.projectName(), r.gitCredentials(), tagger);
        }
        return new ReleaseResult(version.toString(), image, digest,
                tag == null ? null : tag.tag(), tag == null ? null : tag.outcome().name());
    }

    /** {@code <PROJECT_NAME>-<PROJECT_VERSION>}, as the course names its tags; checked against git's ref rules. */
    static String gitTagName(String projectName, ReleaseVersion version) {
        String name = projectName + "-" + version;
        if (!org.eclipse.jgit.lib.Repository.isValidRefName("refs/tags/" + name)) {
            throw new GuliException("'" + name + "' cannot be a git tag name: PROJECT_NAME must not contain spaces, "
                    + "'..', '~', '^', ':', '?', '*', '[' or '\\'");
        }
        return name;
    }
}
