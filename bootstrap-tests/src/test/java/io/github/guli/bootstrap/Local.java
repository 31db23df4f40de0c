package io.github.guli.bootstrap;

import io.github.guli.testsupport.ProcessArgsWatcher;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Local server processes on loopback and the bootstrap scripts run as processes, for the formation tests. */
final class Local {
    /** The shared library's resources, where the Kubernetes Jobs get the scripts from. */
    static final Path SCRIPTS = Path.of(System.getProperty("user.dir"))
            .resolveSibling("resources")
            .resolve("io/github/guli/bootstrap")
            .normalize();

    private Local() {}

    record Result(int exit, String output) {}

    /** A script's run, and the command lines of the processes that held one of the secrets while it ran. */
    record Watched(int exit, String output, List<String> leaks) {}

    /** Runs the bootstrap script {@code name} as {@link #run} does, watching every process's arguments for the secrets. */
    static Watched runWatched(String name, Map<String, String> env, Duration timeout, String... secrets)
            throws IOException, InterruptedException {
        try (ProcessArgsWatcher watcher = new ProcessArgsWatcher(List.of(secrets))) {
            Result r = run(script(name), env, timeout);
            return new Watched(r.exit(), r.output(), watcher.stop());
        }
    }

    static Path script(String name) {
        Path p = SCRIPTS.resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("no script " + p);
        }
        return p;
    }

    /** A free TCP port on loopback (another process may take it later; the window is short). */
    /**
     * A port for a server a test starts later. It lies below the kernel's ephemeral range, as does the port
     * 10000 above it (Redis's cluster bus): a port from the ephemeral range, free when asked, can be taken by any
     * outgoing connection (an earlier node's) before its server binds it. Each port is handed out once per JVM.
     */
    static int freePort() {
        int high = ephemeralLow() - BUS_OFFSET;
        int span = high - LOWEST_PORT;
        for (int tries = 0; tries < span; tries++) {
            int port = LOWEST_PORT + Math.floorMod(nextPort.getAndIncrement(), span);
            if (bindable(port) && bindable(port + BUS_OFFSET)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port between " + LOWEST_PORT + " and " + high);
    }

    private static final int LOWEST_PORT = 10240;
    private static final int BUS_OFFSET = 10000;
    private static final AtomicInteger nextPort = new AtomicInteger(new Random().nextInt(1 << 16));

    private static int ephemeralLow() {
        try {
            // read by lines: readString trusts the size /proc reports
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .get(0)
                    .trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs a script with bash (the Jobs run it the same way), stdout and stderr together. */
    static Result run(Path script, Map<String, String> env, Duration timeout) throws IOException, InterruptedException {
        return exec(List.of("bash", script.toString()), env, timeout);
    }

    static Result exec(List<String> command, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        return exec(command, env, "", timeout);
    }

    /** Runs a command with {@code input} on its stdin (how the tests hand SQL holding passwords to a client). */
    static Result exec(List<String> command, Map<String, String> env, String input, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Path out = Files.createTempFile("guli-run", ".log");
        try {
            pb.redirectOutput(out.toFile());
            Process p = pb.start();
            try (var in = p.getOutputStream()) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError(command + " did not end within " + timeout + ":\n" + Files.readString(out));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Like exec, but a non-zero exit is a test failure; returns the output. */
    static String ok(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        return ok(command, env, "");
    }

    static String ok(List<String> command, Map<String, String> env, String input)
            throws IOException, InterruptedException {
        Result r = exec(command, env, input, Duration.ofSeconds(120));
        if (r.exit() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + r.exit() + ":\n" + r.output());
        }
        return r.output();
    }

    /** A server started in the background, its output in a log file; stopped with its children. */
    static final class Server implements AutoCloseable {
        final String name;
        final Process process;
        final Path log;

        Server(String name, List<String> command, Map<String, String> env, Path log) throws IOException {
            this.name = name;
            this.log = log;
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().putAll(env);
            process = pb.start();
        }

        void awaitPort(int port, Duration timeout) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                    return;
                } catch (IOException notYet) {
                    if (!process.isAlive() && process.descendants().findAny().isEmpty()) {
                        throw new AssertionError(name + " exited " + process.exitValue() + " before listening on "
                                + port + ":\n" + tail());
                    }
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError(
                                name + " does not listen on " + port + " after " + timeout + ":\n" + tail());
                    }
                    Thread.sleep(200);
                }
            }
        }

        String tail() throws IOException {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }

        boolean alive() {
            return process.isAlive();
        }

        /** SIGTERM to the process and its children, SIGKILL after 30 s. */
        @Override
        public void close() throws InterruptedException {
            List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
            all.add(process.toHandle());
            all.forEach(ProcessHandle::destroy);
            for (ProcessHandle h : all) {
                try {
                    h.onExit().get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    h.destroyForcibly();
                }
            }
        }
    }
}
