package io.github.guli.engine.image;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.UsernamePassword;
import io.github.guli.engine.process.CommandLine;
import io.github.guli.engine.process.Commands;
import io.github.guli.engine.process.WorkspaceTemp;
import io.github.guli.engine.registry.ImageRef;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code docker} command with the build's environment: where the engine is (DOCKER_HOST, DOCKER_TLS_VERIFY,
 * DOCKER_CERT_PATH) and a config folder of this build only, deleted by {@link #close()}, that holds the login only
 * while base images are pulled and the image is pushed, never while a Dockerfile is built. It builds,
 * saves, checks the login and pushes, retrying what a registry hiccup causes. The legacy builder, as the engine API
 * did: it keeps the generated layers' fixed times and prints the instruction that failed. The command runs through
 * {@link Commands}: in Jenkins with the step's Launcher, so in the container that has the Docker socket.
 */
final class DockerCli implements AutoCloseable {
    /** Where the docker command looks for the engine when DOCKER_HOST is not set. */
    static final String DEFAULT_HOST = "unix:///var/run/docker.sock";
    /** The push errors that a later attempt can cure: 5xx, 429 and dropped connections. */
    private static final Pattern TRANSIENT = Pattern.compile("(?i)status:? 5\\d\\d|status:? 429|toomanyrequests"
            + "|5\\d\\d (internal server error|bad gateway|service unavailable|gateway timeout)"
            + "|connection reset|connection refused|broken pipe|unexpected eof|\\beof\\b|i/o timeout|tls handshake timeout"
            + "|server closed|no such host|timeout exceeded");

    private static final Pattern STEP = Pattern.compile("^Step \\d+/\\d+ : .*");
    private static final Pattern DIGEST = Pattern.compile("digest: (sha256:[0-9a-f]{64})");
    private static final String LOGIN_FAILED = "Login did not succeed, error: ";

    private final Log log;
    private final Commands commands;
    private final Retry retry;
    private final Map<String, String> env;
    private final Path workspace;
    private Path config;

    DockerCli(Log log, Commands commands, Retry retry, Map<String, String> buildEnv, Path workspace) {
        this.log = log;
        this.commands = commands;
        this.retry = retry;
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

    /**
     * The login, as the docker command keeps it, in a config.json only this build has: no {@code docker login} with
     * a password, no password in an argument or in the user's own ~/.docker.
     */
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

    /**
     * Takes the login away: the docker command's config of this build holds no credentials from here on (and the
     * user's own ~/.docker is not read either), so what a Dockerfile pulls is pulled anonymously.
     */
    void withoutLogin() {
        Path json = file("config.json");
        try {
            Files.writeString(json, "{\"auths\":{}}\n");
        } catch (IOException e) {
            throw new GuliException(
                    "cannot write the docker command's configuration " + json + ": " + e.getMessage(), e);
        }
        env.put("DOCKER_CONFIG", config.toString());
    }

    /** Pulls a base image with the {@link #login}, before the build, which then has no login. */
    void pull(BaseImage image) {
        withRetry(
                "pulling " + image,
                () -> run(List.of("pull", image.toString())),
                e -> new GuliException("cannot pull the base image " + image + " (" + e + "): check that it exists "
                        + "and that the registry login may read it"));
        log.info("pulled the base image " + image + " with the registry login");
    }

    /** The registry accepts the {@link #login} (asked before the build: a wrong password fails in seconds). */
    void checkLogin(String host, UsernamePassword auth) {
        // with the login in its config, "docker login HOST" checks it against the registry and asks for nothing
        withRetry(
                "logging in to " + host,
                () -> run(List.of("login", host)),
                e -> new GuliException("registry " + host + " refused the login of user '" + auth.username() + "' ("
                        + e + "): check the username and password (for Aliyun ACR, the registry password set in the "
                        + "console, not the Aliyun account password)"));
        log.info("logged in to " + host + " as " + auth.username() + " (for this build only: nothing is stored)");
    }

    /** Builds {@code source} with every tag of {@code refs} and the {@code labels}; returns the image ID. */
    String build(ImageSource.DockerContext source, List<ImageRef> refs, Map<String, String> labels) {
        log.info("building " + refs.get(0) + " from " + source.dir());
        List<String> args = new ArrayList<>(List.of(
                "build",
                "--rm",
                "--force-rm",
                "-f",
                source.dockerfile().toString(),
                "--iidfile",
                file("image-id").toString()));
        for (ImageRef ref : refs) {
            args.addAll(List.of("-t", ref.toString()));
        }
        // after the Dockerfile's own LABEL lines, which they override
        labels.forEach((k, v) -> args.addAll(List.of("--label", k + "=" + v)));
        args.add(source.dir().toString());
        String lastStep = null;
        Ran ran = run(args, new BuildOutput());
        for (String l : ran.lines) {
            if (STEP.matcher(l).matches()) {
                lastStep = "'" + l + "'";
            }
        }
        if (ran.exit != 0) {
            throw new GuliException("docker build of " + refs.get(0).repository() + " failed"
                    + (lastStep == null ? "" : " at " + lastStep) + ": " + ran.error()
                    + ". Fix "
                    + (source.generatedLayers() == null ? source.dockerfile() : "the base image (baseImage)")
                    + " or what it uses, then run the build again");
        }
        String imageId;
        try {
            imageId = Files.readString(file("image-id")).strip();
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

    /** {@code docker save} of {@code ref} to {@code file}, which appears only when complete. */
    void save(ImageRef ref, Path file) {
        try {
            Files.createDirectories(file.getParent());
            Path part = file.resolveSibling(file.getFileName() + ".part");
            Ran ran = run(List.of("save", "-o", part.toString(), ref.toString()), line -> {});
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

    /** Pushes {@code ref} with retries; returns the digest the registry stored. */
    String push(ImageRef ref, UsernamePassword auth) {
        return withRetry(
                        "pushing " + ref,
                        () -> {
                            Ran ran = run(List.of("push", ref.toString()));
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

    /** A file of this build's, for the docker command to write. */
    private Path file(String name) {
        if (config == null) {
            config = WorkspaceTemp.newDir(workspace, "guli-docker");
        }
        return config.resolve(name);
    }

    private Ran run(List<String> args) {
        return run(args, line -> {});
    }

    private Ran run(List<String> args, Log output) {
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

    /**
     * Runs {@code call} up to {@code retry.attempts()} times while it fails with a transient error, with backoff;
     * any other failure, or the last, becomes {@code refused} (given the command's error).
     */
    private Ran withRetry(String what, Supplier<Ran> call, Function<String, GuliException> refused) {
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

    /** Deletes the build's docker configuration (the login with it). */
    @Override
    public void close() {
        String left = config == null ? null : WorkspaceTemp.delete(config);
        if (left != null) {
            log.info("could not delete the build's docker configuration " + left);
        }
    }
}
