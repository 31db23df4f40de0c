package io.github.guli.cli;

import io.github.guli.engine.Log;
import io.github.guli.engine.release.Release;
import io.github.guli.engine.release.ReleaseRequest;
import io.github.guli.engine.release.ReleaseResult;
import java.io.PrintStream;
import java.util.Set;

/** {@code guli release}: the guliRelease step. */
final class ReleaseCommand implements Command {
    @Override
    public String name() {
        return "release";
    }

    @Override
    public String summary() {
        return "tag the image with a release version in the registry and push the git tag";
    }

    @Override
    public String help() {
        return String.join(
                "\n",
                "usage: guli release --project-name NAME --project-version vX.Y.Z [options]",
                "  --project-name NAME        the module/image name, e.g. gulimall-gateway",
                "  --project-version V        a release version: v + semantic version (v1.2.0, v2.0.0-rc.1)",
                "  --registry HOST[:PORT]     default registry.cn-hangzhou.aliyuncs.com; http://HOST:PORT for a plain-HTTP registry",
                "  --namespace NS             the registry namespace (the course's DOCKERHUB_NAMESPACE)",
                "  --source-tag TAG           the pushed tag to release, e.g. SNAPSHOT-master-42 (required unless --no-image)",
                "  --registry-username USER   or GULI_REGISTRY_USERNAME; password: GULI_REGISTRY_PASSWORD[_FILE]",
                "  --git-dir DIR              the working tree to tag (default .)",
                "  --git-remote URL           the repository to push the tag to (required unless --no-git-tag); no password in it",
                "  --commit SHA               the built commit (default HEAD)",
                "  --git-username USER        or GULI_GIT_USERNAME; password: GULI_GIT_PASSWORD[_FILE]",
                "  --tagger-name NAME, --tagger-email EMAIL   the tag's author (default guli-pipeline)",
                "  --no-image                 do not tag the image",
                "  --no-git-tag               do not create the git tag",
                "  --check                    change nothing: fail when the version is taken by another commit or",
                "                             image (run it right after checkout, before the build; --source-tag unused)");
    }

    @Override
    public Set<String> options() {
        return Set.of(
                "project-name",
                "project-version",
                "registry",
                "namespace",
                "source-tag",
                "registry-username",
                "git-dir",
                "git-remote",
                "commit",
                "git-username",
                "tagger-name",
                "tagger-email");
    }

    @Override
    public Set<String> flags() {
        return Set.of("no-image", "no-git-tag", "check");
    }

    @Override
    public int run(Options o, Secrets secrets, PrintStream out) {
        boolean image = !o.flag("no-image");
        boolean gitTag = !o.flag("no-git-tag");
        boolean check = o.flag("check");
        if (gitTag && o.get("git-remote") == null) {
            throw new UsageException("guli release: --git-remote URL is required (the repository to push the tag to, "
                    + "the one the checkout used; it is not read from the working tree), or --no-git-tag");
        }
        if (image && !check && o.get("source-tag") == null) {
            throw new UsageException("guli release: --source-tag is required (the tag the image was pushed with, "
                    + "e.g. SNAPSHOT-master-42), or --no-image");
        }
        ReleaseRequest request = new ReleaseRequest()
                .projectName(o.get("project-name"))
                .projectVersion(o.get("project-version"))
                .registry(o.get("registry"))
                .namespace(o.get("namespace"))
                .sourceTag(o.get("source-tag"))
                .tagImage(image)
                .registryCredentials(image ? secrets.credentials("GULI_REGISTRY", o.get("registry-username")) : null)
                .gitDir(gitTag ? o.get("git-dir", ".") : null)
                .gitRemote(o.get("git-remote"))
                .commit(o.get("commit"))
                .gitCredentials(gitTag ? secrets.credentials("GULI_GIT", o.get("git-username")) : null)
                .taggerName(o.get("tagger-name"))
                .taggerEmail(o.get("tagger-email"));
        Release release = new Release(Log.to(out, "[guli release] "));
        if (check) {
            release.check(request); // logs its answer
            return 0;
        }
        ReleaseResult result = release.run(request);
        out.println("[guli release] " + result.summary());
        return 0;
    }
}
