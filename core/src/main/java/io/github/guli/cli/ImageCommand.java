package io.github.guli.cli;

import io.github.guli.engine.Log;
import io.github.guli.engine.image.GeneratedImage;
import io.github.guli.engine.image.ImageBuild;
import io.github.guli.engine.image.ImageRequest;
import io.github.guli.engine.image.ImageResult;
import io.github.guli.engine.image.ImageTags;
import io.github.guli.engine.process.LocalCommands;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

/** {@code guli image}: the guliImage step. */
final class ImageCommand implements Command {
    @Override
    public String name() {
        return "image";
    }

    @Override
    public String summary() {
        return "build the service image (its Dockerfile, or a layered one with no Docker engine), tag it and push it";
    }

    @Override
    public String help() {
        return String.join(
                "\n",
                "usage: guli image --project-name NAME [options]",
                "  --project-name NAME        the image name, e.g. gulimall-gateway",
                "  --workspace DIR            the checked-out repository (default .)",
                "  --module DIR               the module folder (default: the folder named NAME if any, else the workspace)",
                "  --dockerfile FILE          relative to the module (default: its Dockerfile, else a generated layered one)",
                "  --jar FILE                 the Spring Boot jar for a generated Dockerfile (default: the one in target/)",
                "  --registry HOST[:PORT]     default registry.cn-hangzhou.aliyuncs.com; http://HOST:PORT for a plain-HTTP registry",
                "  --namespace NS             the registry namespace (the course's DOCKERHUB_NAMESPACE)",
                "  --branch B --build-number N   give the snapshot tag SNAPSHOT-B-N",
                "  --tags T1,T2               more tags",
                "  --no-latest                do not tag latest",
                "  --registry-username USER   or GULI_REGISTRY_USERNAME; password: GULI_REGISTRY_PASSWORD[_FILE]",
                "  --allowed-base-images L    base images outside the namespace the login may read, comma-separated",
                "                             ([registry/]path, path:tag or path/*); others are read anonymously",
                "  --base-image IMAGE         for a generated Dockerfile (default " + GeneratedImage.DEFAULT_BASE_IMAGE
                        + ")",
                "  --port N                   for a generated Dockerfile (default 8080)",
                "  --profile P                Spring profile of a generated Dockerfile (default prod)",
                "  --java-options OPTS        JVM options of a generated Dockerfile (default "
                        + GeneratedImage.DEFAULT_JAVA_OPTIONS + ")",
                "  --daemon                   build a generated image with the Docker engine (default: assembled here and",
                "                             pushed to the registry with no engine)",
                "  --save-to FILE             also docker save the image to this tar (relative to the workspace)",
                "  --no-push                  build and tag only",
                "  --layer-cache DIR|none     a generated image's compressed layers kept between builds, checked against",
                "                             the SHA-256 in DIR.properties (default ~/.guli/layers/<project>)",
                "the docker command (a Dockerfile, --daemon, --no-push, --save-to) and its engine: DOCKER_HOST (default the local socket), DOCKER_TLS_VERIFY, DOCKER_CERT_PATH");
    }

    @Override
    public Set<String> options() {
        return Set.of(
                "project-name",
                "workspace",
                "module",
                "dockerfile",
                "jar",
                "registry",
                "namespace",
                "branch",
                "build-number",
                "tags",
                "registry-username",
                "allowed-base-images",
                "base-image",
                "port",
                "profile",
                "java-options",
                "save-to",
                "layer-cache");
    }

    @Override
    public Set<String> flags() {
        return Set.of("no-latest", "no-push", "daemon");
    }

    @Override
    public int run(Options o, Secrets secrets, PrintStream out) {
        int port;
        try {
            port = Integer.parseInt(o.get("port", String.valueOf(GeneratedImage.DEFAULT_PORT)));
        } catch (NumberFormatException e) {
            throw new UsageException("guli image: --port needs a number, e.g. 8080");
        }
        boolean push = !o.flag("no-push");
        ImageRequest request = new ImageRequest()
                .workspace(o.get("workspace", "."))
                .module(o.get("module"))
                .dockerfile(o.get("dockerfile"))
                .jar(o.get("jar"))
                .name(o.get("project-name"))
                .registry(o.get("registry"))
                .namespace(o.get("namespace"))
                .tags(ImageTags.of(
                        o.get("branch"), o.get("build-number"), !o.flag("no-latest"), ImageTags.split(o.get("tags"))))
                .credentials(push ? secrets.credentials("GULI_REGISTRY", o.get("registry-username")) : null)
                .allowedBaseImages(ImageTags.split(o.get("allowed-base-images")))
                .push(push)
                .saveTo(o.get("save-to"))
                .generated(new GeneratedImage(
                        o.get("base-image"),
                        port,
                        o.get("profile", GeneratedImage.DEFAULT_PROFILE),
                        o.get("java-options"),
                        o.flag("daemon")))
                .env(System.getenv());
        Path record = null;
        if (!"none".equals(o.get("layer-cache"))) {
            Path dir = CacheRecord.folder(
                    o.get("layer-cache"),
                    Path.of(o.get("workspace", ".")),
                    "layers",
                    "guli image: the kept layers' folder",
                    "--layer-cache");
            record = CacheRecord.of(dir);
            request.layerCache(dir.toString(), CacheRecord.read(record));
        }
        ImageBuild build = new ImageBuild(Log.to(out, "[guli image] "), new LocalCommands());
        ImageResult result;
        try {
            result = build.run(request);
        } finally {
            if (record != null && build.layerDigests() != null) {
                CacheRecord.write(record, build.layerDigests());
            }
        }
        out.println("[guli image] " + result.summary());
        return 0;
    }
}
