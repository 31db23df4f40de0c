package io.github.guli.jenkins;

import hudson.FilePath;
import hudson.Launcher;
import hudson.Proc;
import hudson.remoting.VirtualChannel;
import io.github.guli.engine.Log;
import io.github.guli.engine.process.CommandLine;
import io.github.guli.engine.process.Commands;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts the engine's commands with the Launcher that Pipeline gives the step, as {@code sh} does, so that
 * {@code container('maven')} (the Kubernetes plugin's decorator), {@code docker.image().inside} and {@code withEnv}
 * apply to them.
 *
 * <p>Why it is built this way. The engine runs in the agent's JVM (it reads the workspace there), but the Launcher
 * lives on the controller, and a decorated one does its work there: the Kubernetes plugin's {@code container()} opens
 * an exec session to the API server from the controller. So this object stays on the controller and is exported
 * through the workspace's channel ({@link VirtualChannel#export}); the engine on the agent gets {@link #commands()},
 * a serializable {@link Commands} that calls it. The agent asks for what to do and pulls the output, the controller
 * never calls the agent back: a call back from the thread that receives the process' output could wait on that
 * same thread (remoting delivers a call's I/O before its answer). Only JDK types cross the channel.
 *
 * <p>Output: the process' output is split into lines on the controller and handed to the engine as they come (the
 * engine prints them and reads Maven's failure from them); nothing else prints it, so it appears once. Secrets are
 * only in the environment ({@code ProcStarter.envs}), never in the arguments. Abort: the step's {@code stop} calls
 * {@link #killAll}, which kills each running process with {@link Proc#kill()} on the controller, where the Launcher
 * started it, without waiting for an interrupt to travel to the agent and back.
 */
final class StepLauncher implements LaunchService {
    private final Launcher launcher;
    private final FilePath workspace;
    private final Map<Integer, Running> running = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile boolean stopped;

    StepLauncher(Launcher launcher, FilePath workspace) {
        this.launcher = launcher;
        this.workspace = workspace;
    }

    /** The engine's side, to send to the workspace's agent. */
    Commands commands() {
        return new AgentCommands(workspace.getChannel().export(LaunchService.class, this));
    }

    /** Kills every command still running. */
    void killAll() throws IOException, InterruptedException {
        stopped = true;
        for (Running r : running.values()) {
            r.proc.kill();
        }
    }

    @Override
    public int start(List<String> argv, Map<String, String> env, String dir) throws IOException {
        if (stopped) {
            throw new IOException("the step was stopped");
        }
        Lines out = new Lines();
        Proc proc = launcher.launch()
                .cmds(argv)
                .envs(env)
                .pwd(workspace.child(dir))
                .stdout(out)
                .quiet(true)
                .start();
        int id = ids.incrementAndGet();
        Running r = new Running(proc, out);
        running.put(id, r);
        Thread waiter = new Thread(r::waitFor, "guli: waiting for " + argv.get(0));
        waiter.setDaemon(true);
        waiter.start();
        return id;
    }

    @Override
    public List<String> next(int id) throws InterruptedException {
        return get(id).out.next();
    }

    @Override
    public int exitStatus(int id) throws IOException, InterruptedException {
        Running r = get(id);
        try {
            return r.exit();
        } finally {
            running.remove(id);
        }
    }

    @Override
    public void kill(int id) throws IOException, InterruptedException {
        Running r = running.remove(id);
        if (r != null) {
            r.proc.kill();
        }
    }

    private Running get(int id) {
        Running r = running.get(id);
        if (r == null) {
            throw new IllegalStateException("no command " + id + " is running");
        }
        return r;
    }

    /** A started process and its output. */
    private final class Running {
        final Proc proc;
        final Lines out;
        private int exit;
        private IOException failed;

        Running(Proc proc, Lines out) {
            this.proc = proc;
            this.out = out;
        }

        void waitFor() {
            try {
                exit = proc.join();
                VirtualChannel channel = launcher.getChannel();
                if (channel != null) {
                    channel.syncLocalIO(); // the output the agent sent before the process ended is all in
                }
            } catch (IOException e) {
                failed = e;
            } catch (InterruptedException e) {
                failed = new IOException("interrupted while waiting for the command", e);
            } finally {
                out.end();
            }
        }

        /** Valid once the output ended: {@link Lines#end()} comes after these are set. */
        int exit() throws IOException {
            if (failed != null) {
                throw failed;
            }
            return exit;
        }
    }

    /** The process' output as lines, queued by whichever thread writes it, taken by the agent's calls. */
    static final class Lines extends OutputStream {
        private static final String END = new String("end of output");
        private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private volatile boolean ended;

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                flushLine();
            } else {
                line.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        private void flushLine() {
            String s = line.toString(StandardCharsets.UTF_8);
            line.reset();
            queue.add(s.endsWith("\r") ? s.substring(0, s.length() - 1) : s);
        }

        synchronized void end() {
            if (line.size() > 0) {
                flushLine();
            }
            queue.add(END);
        }

        /** Lines written since the last call, waiting up to a second for the first; null at the end. */
        List<String> next() throws InterruptedException {
            if (ended) {
                return null;
            }
            String first = queue.poll(1, TimeUnit.SECONDS);
            List<String> lines = new ArrayList<>();
            if (first == null) {
                return lines;
            }
            for (String l = first; l != null; l = queue.poll()) {
                if (l == END) {
                    ended = true;
                    return lines.isEmpty() ? null : lines;
                }
                lines.add(l);
            }
            return lines;
        }
    }

    /** The engine's {@link Commands} on the agent: each command is started by the controller's Launcher. */
    static final class AgentCommands implements Commands, Serializable {
        private static final long serialVersionUID = 1L;
        private final LaunchService controller;

        AgentCommands(LaunchService controller) {
            this.controller = controller;
        }

        @Override
        public int run(CommandLine c, Log output) throws IOException, InterruptedException {
            int id = controller.start(new ArrayList<>(c.argv()), new HashMap<>(c.env()), c.dir());
            try {
                for (List<String> lines; (lines = controller.next(id)) != null; ) {
                    lines.forEach(output::info);
                }
                return controller.exitStatus(id);
            } catch (InterruptedException e) {
                controller.kill(id);
                throw e;
            }
        }
    }
}
