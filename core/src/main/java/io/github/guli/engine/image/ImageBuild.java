package io.github.guli.engine.image;

import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.UsernamePassword;
import io.github.guli.engine.process.CommandLine;
import io.github.guli.engine.process.Commands;
import io.github.guli.engine.process.WorkspaceTemp;
import io.github.guli.engine.registry.ImageRef;
import io.github.guli.engine.registry.RegistryEndpoint;
import io.github.guli.engine.registry.Retry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The course's "构建镜像 & 推送快照镜像" stage, done right: builds the module's image (its Dockerfile, or a layered
 * one generated from its Spring Boot jar) with the {@code docker} command, tags it, and pushes it with the registry
 * login given to the engine with each call, retrying what a registry hiccup causes. The {@code docker} command runs
 * through {@link Commands}: in Jenkins with the step's Launcher, so in the container that has the Docker socket.
 * The login is a config.json of this build only, in a folder only this user can read, deleted after the build: no
 * {@code docker login} with a password, no password in an argument or in the user's own ~/.docker. Everything that
 * can be checked is checked before the build starts.
 */
public class ImageBuild {
    /** Where the generated build context goes, inside the module's build output. */
    static final String GENERATED_CONTEXT = "target/guli-image";
    /** The push errors that a later attempt can cure: 5xx, 429 and dropped connections. */
    private static final Pattern TRANSIENT = Pattern.compile("(?i)status:? 5\\d\\d|status:? 429|toomanyrequests"
            + "|5\\d\\d (internal server error|bad gateway|service unavailable|gateway timeout)"
            + "|connection reset|connection refused|broken pipe|unexpected eof|\\beof\\b|i/o timeout|tls handshake timeout"
            + "|server closed|no such host|timeout exceeded");

    private static final Pattern STEP = Pattern.compile("^Step \\d+/\\d+ : .*");
    private static final Pattern DIGEST = Pattern.compile("digest: (sha256:[0-9a-f]{64})");
    private static final String LOGIN_FAILED = "Login did not succeed, error: ";
    /** Where the docker command looks for the engine when DOCKER_HOST is not set. */
    static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

    private final Log log;
    private final Commands commands;
    private final Retry retry;

    public ImageBuild(Log log, Commands commands) {
        this(log, commands, Retry.DEFAULT);
    }

    public ImageBuild(Log log, Commands commands, Retry retry) {
        this.log = log;
        this.commands = commands;
        this.retry = retry;
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
        String repository = endpoint.host() + "/" + refs.get(0).repository();
        Path workspace = Path.of(r.workspace() == null ? "." : r.workspace())
                .toAbsolutePath()
                .normalize();
        Path module = moduleDir(workspace, r.module(), r.name());
        if (DaemonlessImage.applies(module, r)) {
            return new DaemonlessImage(log, retry).run(r, endpoint, refs, module, springBootJar(module, r.jar()));
        }
        Source source = source(module, r);
        Path saveTo = r.saveTo() == null ? null : workspace.resolve(r.saveTo()).normalize();

        Docker docker = new Docker(r.env() == null ? System.getenv() : r.env(), workspace);
        try {
            docker.checkEngine();
            if (r.credentials() != null) {
                docker.login(endpoint.host(), r.credentials()); // also a FROM in the same registry
            }
            if (r.push() && r.credentials() != null) {
                checkLogin(docker, endpoint.host(), r.credentials());
            }
            String imageId = build(docker, source, refs, r.credentials() != null);
            if (saveTo != null) {
                save(docker, refs.get(0), saveTo);
            }
            String digest = null;
            if (r.push()) {
                for (ImageRef ref : refs) {
                    String d = push(docker, ref, r.credentials());
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
                    source.generatedLayers == null ? source.dockerfile.toString() : "generated",
                    source.generatedLayers == null ? List.of() : source.generatedLayers,
                    saveTo == null ? null : saveTo.toString());
        } finally {
            docker.close();
        }
    }

    static Path moduleDir(Path workspace, String module, String name) {
        Path dir;
        if (!Blank.isBlank(module)) {
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
    private record Source(Path dockerfile, Path context, List<String> generatedLayers) {}

    private Source source(Path module, ImageRequest r) {
        if (!Blank.isBlank(r.dockerfile())) {
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
        log.info("no Dockerfile in " + module + ": generated a layered one from "
                + jar.path().getFileName() + " (layers " + String.join(", ", layers) + "), FROM "
                + r.generated().baseImage());
        return new Source(dockerfile, context, layers);
    }

    static SpringBootJar springBootJar(Path module, String given) {
        if (!Blank.isBlank(given)) {
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
                s.filter(p -> p.getFileName().toString().endsWith(".jar"))
                        .sorted()
                        .map(SpringBootJar::open)
                        .filter(j -> j != null)
                        .forEach(found::add);
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
                    + String.join(
                            ", ",
                            found.stream()
                                    .map(j -> j.path().getFileName().toString())
                                    .toList())
                    + "): give jar, e.g. target/" + found.get(0).path().getFileName());
        }
        return found.get(0);
    }

    private void checkLogin(Docker docker, String host, UsernamePassword auth) {
        // with the login in its config, "docker login HOST" checks it against the registry and asks for nothing
        withRetry(
                "logging in to " + host,
                () -> docker.run(List.of("login", host)),
                e -> new GuliException("registry " + host + " refused the login of user '" + auth.username() + "' ("
                        + e + "): check the username and password (for Aliyun ACR, the registry password set in the "
                        + "console, not the Aliyun account password)"));
        log.info("logged in to " + host + " as " + auth.username() + " (for this build only: nothing is stored)");
    }

    private String build(Docker docker, Source source, List<ImageRef> refs, boolean auth) {
        log.info("building " + refs.get(0) + " from " + source.context);
        List<String> args = new ArrayList<>(List.of(
                "build",
                "--rm",
                "--force-rm",
                "-f",
                source.dockerfile.toString(),
                "--iidfile",
                docker.file("image-id").toString()));
        for (ImageRef ref : refs) {
            args.addAll(List.of("-t", ref.toString()));
        }
        args.add(source.context.toString());
        String lastStep = null;
        Ran ran = docker.run(args, new BuildOutput());
        for (String l : ran.lines) {
            if (STEP.matcher(l).matches()) {
                lastStep = "'" + l + "'";
            }
        }
        if (ran.exit != 0) {
            throw new GuliException("docker build of " + refs.get(0).repository() + " failed"
                    + (lastStep == null ? "" : " at " + lastStep) + ": " + ran.error()
                    + ". Fix " + (source.generatedLayers == null ? source.dockerfile : "the base image (baseImage)")
                    + " or what it uses, then run the build again");
        }
        String imageId;
        try {
            imageId = Files.readString(docker.file("image-id")).strip();
        } catch (IOException e) {
            throw new GuliException("docker build of " + refs.get(0).repository() + " ended without an image ID");
        }
        log.info("built " + imageId);
        return imageId;
    }

    /**
     * The build's output for the log, without blank lines and the docker command's notice that the legacy builder,
     * which this build asks for, is deprecated.
     */
    private final class BuildOutput implements Log {
        private boolean notice;

        @Override
        public void info(String line) {
            if (line.startsWith("DEPRECATED: The legacy builder")) {
                notice = true;
            } else if (notice && !line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
                notice = false;
            }
            if (!notice && !line.isBlank()) {
                log.info("  " + line.stripTrailing());
            }
        }
    }

    private void save(Docker docker, ImageRef ref, Path file) {
        try {
            Files.createDirectories(file.getParent());
            Path part = file.resolveSibling(file.getFileName() + ".part");
            Ran ran = docker.run(List.of("save", "-o", part.toString(), ref.toString()), line -> {});
            if (ran.exit != 0) {
                throw new GuliException("cannot save " + ref + " to " + file + ": " + ran.error());
            }
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING);
            log.info("saved " + ref + " to " + file + " (" + Files.size(file) / 1024
                    + " KiB; load it with docker load -i)");
        } catch (IOException e) {
            throw new GuliException("cannot save " + ref + " to " + file + ": " + e.getMessage(), e);
        }
    }

    private String push(Docker docker, ImageRef ref, UsernamePassword auth) {
        return withRetry(
                        "pushing " + ref,
                        () -> {
                            Ran ran = docker.run(List.of("push", ref.toString()));
                            int pushed = 0;
                            int existing = 0;
                            String digest = null;
                            for (String l : ran.lines) {
                                if (l.endsWith(": Pushed")) {
                                    pushed++;
                                } else if (l.endsWith(": Layer already exists") || l.contains(": Mounted from ")) {
                                    existing++;
                                }
                                Matcher m = DIGEST.matcher(l);
                                if (m.find()) {
                                    digest = m.group(1);
                                }
                            }
                            if (ran.exit != 0) {
                                return ran;
                            }
                            if (digest == null) {
                                return new Ran(1, List.of("docker push reported no digest"));
                            }
                            log.info("pushed " + ref + " (" + pushed + " layer(s) sent, " + existing
                                    + " already in the registry) -> " + digest);
                            return new Ran(0, List.of(digest));
                        },
                        e -> pushRefused(ref, auth, e))
                .lines
                .get(0);
    }

    private static GuliException pushRefused(ImageRef ref, UsernamePassword auth, String error) {
        String e = error.toLowerCase(Locale.ROOT);
        if (e.contains("unauthorized") || e.contains("authentication required") || e.contains("no basic auth")) {
            return new GuliException("registry " + ref.registry() + " refused the push of " + ref + " (" + error
                    + "): "
                    + (auth == null
                            ? "give registry credentials (a username/password credentials ID)"
                            : "check the username and password of user '" + auth.username() + "'"));
        }
        if (e.contains("denied")
                || e.contains("name invalid")
                || e.contains("name unknown")
                || e.contains("forbidden")) {
            return new GuliException("registry " + ref.registry() + " refused the image name " + ref.repository()
                    + " (" + error
                    + "): check the namespace (it must exist in the registry, e.g. created in the Aliyun "
                    + "ACR console) and that user " + (auth == null ? "(none given)" : "'" + auth.username() + "'")
                    + " may push to it");
        }
        return new GuliException("pushing " + ref + " failed: " + error);
    }

    /** A docker command's exit status and output. */
    private record Ran(int exit, List<String> lines) {
        /** Its error: the last line of its output that says something (the docker command ends with it). */
        String error() {
            for (String l : lines) {
                if (l.startsWith(LOGIN_FAILED)) { // what follows it is about a terminal, not the login
                    return l.substring(LOGIN_FAILED.length()).replaceFirst("^Error response from daemon: ", "");
                }
            }
            for (int i = lines.size() - 1; i >= 0; i--) {
                String l = lines.get(i).strip();
                if (!l.isEmpty()) {
                    return l.replaceFirst("^(Error response from daemon|Error|ERROR): ", "");
                }
            }
            return "exit status " + exit + ", no output";
        }
    }

    /**
     * The {@code docker} command with the build's environment: where the engine is (DOCKER_HOST, DOCKER_TLS_VERIFY,
     * DOCKER_CERT_PATH) and, with a login, a config folder of this build only. The legacy builder, as the engine API
     * did: it keeps the generated layers' fixed times and prints the instruction that failed.
     */
    private final class Docker {
        private final Map<String, String> env;
        private final Path workspace;
        private Path config;

        Docker(Map<String, String> buildEnv, Path workspace) {
            this.env = new HashMap<>(buildEnv);
            this.env.put("DOCKER_BUILDKIT", "0");
            this.workspace = workspace;
        }

        /** The engine answers, or a clear error says where it was looked for. */
        void checkEngine() {
            Ran ran = run(List.of("version", "--format", "{{.Server.Version}}"));
            if (ran.exit != 0) {
                String host = env.getOrDefault("DOCKER_HOST", "");
                throw new GuliException("cannot reach the Docker engine at " + (host.isBlank() ? DEFAULT_HOST : host)
                        + " (" + ran.error()
                        + "): start the Docker engine (dockerd), let the build's user use its socket "
                        + "(the docker group), set DOCKER_HOST to where it listens, or run the step in the container "
                        + "that has the socket (container: 'maven')");
            }
        }

        /** The login, as the docker command keeps it, in a config.json only this build has. */
        void login(String host, UsernamePassword auth) {
            String basic = Base64.getEncoder()
                    .encodeToString((auth.username() + ":" + auth.password()).getBytes(StandardCharsets.UTF_8));
            Path json = file("config.json");
            try {
                Files.writeString(json, "{\"auths\":{\"" + host + "\":{\"auth\":\"" + basic + "\"}}}\n");
            } catch (IOException e) {
                throw new GuliException(
                        "cannot write the registry login for the docker command to " + json + ": " + e.getMessage(), e);
            }
            env.put("DOCKER_CONFIG", config.toString());
        }

        /** A file of this build's, for the docker command to write. */
        Path file(String name) {
            if (config == null) {
                config = WorkspaceTemp.newDir(workspace, "guli-docker");
            }
            return config.resolve(name);
        }

        Ran run(List<String> args) {
            return run(args, line -> {});
        }

        Ran run(List<String> args, Log output) {
            List<String> argv = new ArrayList<>();
            argv.add("docker");
            argv.addAll(args);
            List<String> lines = new ArrayList<>();
            try {
                int exit = commands.run(new CommandLine(argv, env, workspace.toString()), line -> {
                    lines.add(line);
                    output.info(line);
                });
                return new Ran(exit, lines);
            } catch (IOException e) {
                throw new GuliException(
                        "cannot run the docker command (" + e.getMessage() + "): install the Docker "
                                + "command line where the step runs its commands (the agent, or the container given with "
                                + "container: 'maven')",
                        e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GuliException("interrupted: docker " + args.get(0) + " was stopped", e);
            }
        }

        void close() {
            String left = config == null ? null : WorkspaceTemp.delete(config);
            if (left != null) {
                log.info("could not delete the build's docker configuration " + left);
            }
        }
    }

    /**
     * Runs {@code call} up to {@code retry.attempts()} times while it fails with a transient error, with backoff;
     * any other failure, or the last, becomes {@code refused} (given the command's error).
     */
    private Ran withRetry(
            String what,
            java.util.function.Supplier<Ran> call,
            java.util.function.Function<String, GuliException> refused) {
        for (int attempt = 1; ; attempt++) {
            Ran ran = call.get();
            if (ran.exit == 0) {
                return ran;
            }
            String error = ran.error();
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
}
