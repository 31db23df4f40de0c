package io.github.guli.engine.image;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.AuthConfigurations;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.api.model.PushResponseItem;
import com.github.dockerjava.core.dockerfile.Dockerfile;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.registry.ImageRef;
import io.github.guli.engine.registry.RegistryEndpoint;
import io.github.guli.engine.registry.Retry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The course's "构建镜像 & 推送快照镜像" stage, done right: builds the module's image (its Dockerfile, or a layered
 * one generated from its Spring Boot jar), tags it, and pushes it with the registry login given to the engine
 * with each call (no {@code docker login}, no config.json, no password in an argument), retrying what a
 * registry hiccup causes. Everything that can be checked is checked before the build starts.
 */
public class ImageBuild {
    /** Where the generated build context goes, inside the module's build output. */
    static final String GENERATED_CONTEXT = "target/guli-image";
    /** The engine's push errors that a later attempt can cure: 5xx, 429 and dropped connections. */
    private static final Pattern TRANSIENT = Pattern.compile("(?i)status:? 5\\d\\d|status:? 429|toomanyrequests"
            + "|5\\d\\d (internal server error|bad gateway|service unavailable|gateway timeout)"
            + "|connection reset|connection refused|broken pipe|unexpected eof|\\beof\\b|i/o timeout|tls handshake timeout"
            + "|server closed|no such host|timeout exceeded");
    private static final Pattern STEP = Pattern.compile("^Step \\d+/\\d+ : .*");

    private final Log log;
    private final Retry retry;

    public ImageBuild(Log log) {
        this(log, Retry.DEFAULT);
    }

    public ImageBuild(Log log, Retry retry) {
        this.log = log;
        this.retry = retry;
    }

    public ImageResult run(ImageRequest r) {
        if (r.name() == null || r.name().isBlank()) {
            throw new GuliException("the image name is empty: give projectName (the course's PROJECT_NAME, e.g. "
                    + "gulimall-gateway)");
        }
        if (r.tags().isEmpty()) {
            throw new GuliException("no tag to give the image: give tags, or BRANCH_NAME and BUILD_NUMBER for the "
                    + "snapshot tag");
        }
        RegistryEndpoint endpoint = RegistryEndpoint.parse(r.registry());
        List<ImageRef> refs = new ArrayList<>();
        for (String tag : new LinkedHashSet<>(r.tags())) {
            refs.add(ImageRef.of(endpoint.host(), r.namespace(), r.name(), tag));
        }
        String repository = endpoint.host() + "/" + refs.get(0).repository();
        Path workspace = Path.of(r.workspace() == null ? "." : r.workspace()).toAbsolutePath().normalize();
        Path module = moduleDir(workspace, r.module(), r.name());
        if (DaemonlessImage.applies(module, r)) {
            return new DaemonlessImage(log, retry).run(r, endpoint, refs, module, springBootJar(module, r.jar()));
        }
        Source source = source(module, r);
        Path saveTo = r.saveTo() == null ? null : workspace.resolve(r.saveTo()).normalize();

        DockerClient docker = r.engine().connect();
        try {
            AuthConfig auth = r.credentials() == null ? null : new AuthConfig()
                    .withRegistryAddress(endpoint.host())
                    .withUsername(r.credentials().username())
                    .withPassword(r.credentials().password());
            if (r.push() && auth != null) {
                login(docker, auth, endpoint.host());
            }
            String imageId = build(docker, source, refs, auth);
            if (saveTo != null) {
                save(docker, refs.get(0), saveTo);
            }
            String digest = null;
            if (r.push()) {
                for (ImageRef ref : refs) {
                    String d = push(docker, ref, auth);
                    if (digest != null && !digest.equals(d)) {
                        throw new GuliException("the registry stored " + ref + " as " + d + " but the first tag as "
                                + digest + ": another build pushed to the same tags at the same time; run it again");
                    }
                    digest = d;
                }
            }
            return new ImageResult(repository, refs.stream().map(ImageRef::tag).toList(), digest, imageId,
                    source.generatedLayers == null ? source.dockerfile.toString() : "generated",
                    source.generatedLayers == null ? List.of() : source.generatedLayers,
                    saveTo == null ? null : saveTo.toString());
        } finally {
            try {
                docker.close();
            } catch (IOException ignored) {
                // the connection is gone either way
            }
        }
    }

    static Path moduleDir(Path workspace, String module, String name) {
        Path dir;
        if (module != null && !module.isBlank()) {
            dir = workspace.resolve(module.trim()).normalize();
            if (!Files.isDirectory(dir)) {
                throw new GuliException("module folder " + dir + " does not exist: give module as a folder of the "
                        + "repository, e.g. gulimall-gateway, or '.' for the repository root");
            }
            return dir;
        }
        dir = workspace.resolve(name);
        return Files.isDirectory(dir) ? dir : workspace;
    }

    /** A Dockerfile and the folder sent as its build context. */
    private record Source(Path dockerfile, Path context, List<String> generatedLayers) {
    }

    private Source source(Path module, ImageRequest r) {
        if (r.dockerfile() != null && !r.dockerfile().isBlank()) {
            Path f = module.resolve(r.dockerfile().trim()).normalize();
            if (!Files.isRegularFile(f)) {
                throw new GuliException("Dockerfile " + f + " does not exist: fix dockerfile (relative to the module "
                        + module + "), or leave it out to use the module's Dockerfile or a generated one");
            }
            return new Source(f, module, null);
        }
        Path own = module.resolve("Dockerfile");
        if (Files.isRegularFile(own)) {
            log.info("building with " + own);
            return new Source(own, module, null);
        }
        SpringBootJar jar = springBootJar(module, r.jar());
        Path context = module.resolve(GENERATED_CONTEXT);
        List<String> layers = jar.extractLayers(context);
        String text = r.generated().dockerfile(jar.path().getFileName().toString(), layers, jar.mainClass());
        Path dockerfile = context.resolve("Dockerfile");
        try {
            Files.writeString(dockerfile, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new GuliException("cannot write the generated Dockerfile " + dockerfile + ": " + e.getMessage(), e);
        }
        log.info("no Dockerfile in " + module + ": generated a layered one from " + jar.path().getFileName()
                + " (layers " + String.join(", ", layers) + "), FROM " + r.generated().baseImage());
        return new Source(dockerfile, context, layers);
    }

    static SpringBootJar springBootJar(Path module, String given) {
        if (given != null && !given.isBlank()) {
            Path p = module.resolve(given.trim()).normalize();
            if (!Files.isRegularFile(p)) {
                throw new GuliException("jar " + p + " does not exist: build the module first, or fix jar");
            }
            SpringBootJar j = SpringBootJar.open(p);
            if (j == null) {
                throw new GuliException(p + " is not a Spring Boot jar (no Start-Class, no BOOT-INF/): package it with "
                        + "spring-boot-maven-plugin (goal repackage), or give a Dockerfile");
            }
            return j;
        }
        Path target = module.resolve("target");
        List<SpringBootJar> found = new ArrayList<>();
        if (Files.isDirectory(target)) {
            try (Stream<Path> s = Files.list(target)) {
                s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted()
                        .map(SpringBootJar::open).filter(j -> j != null).forEach(found::add);
            } catch (IOException e) {
                throw new GuliException("cannot list " + target + ": " + e.getMessage(), e);
            }
        }
        if (found.isEmpty()) {
            throw new GuliException("no Dockerfile in " + module + " and no Spring Boot jar in " + target + ": add a "
                    + "Dockerfile to the module, or build it first (guliBuild, or mvn package with spring-boot-maven-plugin) "
                    + "so that target/ holds its Spring Boot jar");
        }
        if (found.size() > 1) {
            throw new GuliException("more than one Spring Boot jar in " + target + " ("
                    + String.join(", ", found.stream().map(j -> j.path().getFileName().toString()).toList())
                    + "): give jar, e.g. target/" + found.get(0).path().getFileName());
        }
        return found.get(0);
    }

    private void login(DockerClient docker, AuthConfig auth, String host) {
        withRetry("logging in to " + host, () -> {
            docker.authCmd().withAuthConfig(auth).exec();
            return null;
        }, e -> new GuliException("registry " + host + " refused the login of user '" + auth.getUsername() + "' ("
                + e + "): check the username and password (for Aliyun ACR, the registry password set in the console, "
                + "not the Aliyun account password)"));
        log.info("logged in to " + host + " as " + auth.getUsername() + " (for this build only: nothing is stored)");
    }

    private String build(DockerClient docker, Source source, List<ImageRef> refs, AuthConfig auth) {
        log.info("building " + refs.get(0) + " from " + source.context);
        BuildOutput out = new BuildOutput();
        String dockerfilePath = source.context.relativize(source.dockerfile).toString();
        // The context tar. A module's own: docker-java's, which honours .dockerignore (its temporary file goes when
        // the stream is closed). A generated one: ours, which keeps the folders' fixed times (docker-java's leaves
        // folders out, and the engine would make them with the time of the build).
        try (InputStream tar = source.generatedLayers == null
                ? new Dockerfile(source.dockerfile.toFile(), source.context.toFile()).parse().buildDockerFolderTar()
                : ContextTar.of(source.context)) {
            var cmd = docker.buildImageCmd().withTarInputStream(tar).withDockerfilePath(dockerfilePath)
                    .withTags(new LinkedHashSet<>(refs.stream().map(ImageRef::toString).toList()))
                    .withRemove(true).withForcerm(true);
            if (auth != null) {
                cmd.withBuildAuthConfigs(authConfigurations(auth)); // a FROM in the same registry
            }
            cmd.exec(out).awaitCompletion();
        } catch (IOException e) {
            throw new GuliException("cannot read the build context " + source.context + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GuliException("interrupted while building " + refs.get(0), e);
        } catch (RuntimeException e) {
            if (out.error == null) {
                out.error = rootMessage(e);
            }
        }
        if (out.error != null) {
            throw new GuliException("docker build of " + refs.get(0).repository() + " failed"
                    + (out.lastStep == null ? "" : " at " + out.lastStep) + ": " + out.error.strip()
                    + ". Fix " + (source.generatedLayers == null ? source.dockerfile : "the base image (baseImage)")
                    + " or what it uses, then run the build again");
        }
        if (out.imageId == null) {
            throw new GuliException("docker build of " + refs.get(0).repository() + " ended without an image ID");
        }
        log.info("built " + out.imageId);
        return out.imageId;
    }

    /** Streams the build's output to the log, keeps the last instruction and any error. */
    private final class BuildOutput extends ResultCallback.Adapter<BuildResponseItem> {
        String lastStep;
        String error;
        String imageId;

        @Override
        public void onNext(BuildResponseItem item) {
            if (item.getStream() != null) {
                for (String line : item.getStream().split("\n")) {
                    String l = line.stripTrailing();
                    if (!l.isBlank()) {
                        log.info("  " + l);
                    }
                    if (STEP.matcher(l).matches()) {
                        lastStep = "'" + l + "'";
                    }
                }
            }
            if (item.isErrorIndicated()) {
                error = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                        ? item.getErrorDetail().getMessage() : item.getError();
            }
            if (item.getImageId() != null && item.isBuildSuccessIndicated()) {
                imageId = item.getImageId();
            }
        }
    }

    private void save(DockerClient docker, ImageRef ref, Path file) {
        try {
            Files.createDirectories(file.getParent());
            Path part = file.resolveSibling(file.getFileName() + ".part");
            try (InputStream in = docker.saveImageCmd(ref.registry() + "/" + ref.repository()).withTag(ref.tag()).exec()) {
                Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING);
            log.info("saved " + ref + " to " + file + " (" + Files.size(file) / 1024 + " KiB; load it with docker load -i)");
        } catch (IOException | RuntimeException e) {
            throw new GuliException("cannot save " + ref + " to " + file + ": " + rootMessage(e), e);
        }
    }

    private String push(DockerClient docker, ImageRef ref, AuthConfig auth) {
        String digest = withRetry("pushing " + ref, () -> {
            PushOutput out = new PushOutput();
            var cmd = docker.pushImageCmd(ref.registry() + "/" + ref.repository()).withTag(ref.tag());
            if (auth != null) {
                cmd.withAuthConfig(auth);
            }
            try {
                cmd.exec(out).awaitCompletion();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GuliException("interrupted while pushing " + ref, e);
            }
            if (out.error != null) {
                throw new PushFailed(out.error);
            }
            if (out.digest == null) {
                throw new PushFailed("the engine reported no digest");
            }
            log.info("pushed " + ref + " (" + out.pushedLayers + " layer(s) sent, " + out.existingLayers
                    + " already in the registry) -> " + out.digest);
            return out.digest;
        }, e -> pushRefused(ref, auth, e));
        return digest;
    }

    private static GuliException pushRefused(ImageRef ref, AuthConfig auth, String error) {
        String e = error.toLowerCase(Locale.ROOT);
        if (e.contains("unauthorized") || e.contains("authentication required") || e.contains("no basic auth")) {
            return new GuliException("registry " + ref.registry() + " refused the push of " + ref + " (" + error
                    + "): " + (auth == null ? "give registry credentials (a username/password credentials ID)"
                    : "check the username and password of user '" + auth.getUsername() + "'"));
        }
        if (e.contains("denied") || e.contains("name invalid") || e.contains("name unknown") || e.contains("forbidden")) {
            return new GuliException("registry " + ref.registry() + " refused the image name " + ref.repository()
                    + " (" + error + "): check the namespace (it must exist in the registry, e.g. created in the Aliyun "
                    + "ACR console) and that user " + (auth == null ? "(none given)" : "'" + auth.getUsername() + "'")
                    + " may push to it");
        }
        return new GuliException("pushing " + ref + " failed: " + error);
    }

    private static final class PushFailed extends RuntimeException {
        PushFailed(String message) {
            super(message, null, false, false);
        }
    }

    /** Follows the push: the layers sent or found, the digest, an error. */
    private static final class PushOutput extends ResultCallback.Adapter<PushResponseItem> {
        private static final Pattern DIGEST = Pattern.compile("digest: (sha256:[0-9a-f]{64})");
        String digest;
        String error;
        int pushedLayers;
        int existingLayers;

        @Override
        public void onNext(PushResponseItem item) {
            if (item.isErrorIndicated()) {
                error = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                        ? item.getErrorDetail().getMessage() : item.getError();
            }
            String status = item.getStatus();
            if ("Pushed".equals(status)) {
                pushedLayers++;
            } else if ("Layer already exists".equals(status) || status != null && status.startsWith("Mounted from")) {
                existingLayers++;
            }
            if (item.getAux() != null && item.getAux().getDigest() != null) {
                digest = item.getAux().getDigest();
            } else if (status != null) {
                Matcher m = DIGEST.matcher(status);
                if (m.find()) {
                    digest = m.group(1);
                }
            }
        }
    }

    /**
     * Runs {@code call} up to {@code retry.attempts()} times while it fails with a transient error, with backoff;
     * any other failure, or the last, becomes {@code refused} (given the engine's message).
     */
    private <T> T withRetry(String what, java.util.function.Supplier<T> call,
                            java.util.function.Function<String, GuliException> refused) {
        for (int attempt = 1; ; attempt++) {
            String error;
            try {
                return call.get();
            } catch (GuliException e) {
                throw e;
            } catch (RuntimeException e) {
                error = rootMessage(e);
            }
            if (!TRANSIENT.matcher(error).find()) {
                throw refused.apply(error);
            }
            if (attempt >= retry.attempts()) {
                throw new GuliException(what + " kept failing after " + attempt + " attempts (last: " + error
                        + "): try again later, or check the registry's status and that this agent can reach it");
            }
            Duration wait = retry.delayBefore(attempt + 1);
            log.info(what + ": " + error + ", retrying in " + wait.toMillis() + " ms");
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GuliException("interrupted while " + what, e);
            }
        }
    }

    private static AuthConfigurations authConfigurations(AuthConfig auth) {
        AuthConfigurations all = new AuthConfigurations();
        all.addConfig(auth);
        return all;
    }

    private static String rootMessage(Throwable e) {
        String m = e.getMessage();
        Throwable c = e;
        while ((m == null || m.isBlank()) && c.getCause() != null) {
            c = c.getCause();
            m = c.getMessage();
        }
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        // docker-java wraps the engine's JSON answer: {"message":"..."}
        Matcher j = Pattern.compile("\\{\"message\":\"(.*)\"\\}").matcher(m.strip());
        return j.find() ? j.group(1) : m.strip();
    }
}
