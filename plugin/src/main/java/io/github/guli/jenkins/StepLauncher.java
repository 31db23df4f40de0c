package io.github.guli.jenkins;

import hudson.FilePath;
import hudson.Launcher;
import hudson.Proc;
import hudson.remoting.Channel;
import hudson.remoting.VirtualChannel;
import io.github.guli.engine.Log;
import io.github.guli.engine.process.CommandLine;
import io.github.guli.engine.process.Commands;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.NotSerializableException;
import java.io.ObjectStreamException;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
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
 * through the workspace's channel ({@link VirtualChannel#export}) for the engine's one call (see
 * {@link AgentCommands}), and closed when the step ends; it starts only what {@link LaunchRules} allows. The engine on the
 * agent gets {@link #commands()},
 * a serializable {@link Commands} that calls it. The agent asks for what to do and pulls the output, the controller
 * never calls the agent back: a call back from the thread that receives the process' output could wait on that
 * same thread (remoting delivers a call's I/O before its answer). Only JDK types cross the channel.
 *
 * <p>Output: the process' output is masked (the step's secrets), then split into lines on the controller and handed
 * to the engine as they come (the engine prints them and reads Maven's failure from them); nothing else prints it,
 * so it appears once. What the controller holds of it is bounded ({@link Lines}). Secrets are
 * only in the environment ({@code ProcStarter.envs}), never in the arguments. Abort: the step's {@code stop} calls
 * {@link #killAll}, which kills each running process with {@link Proc#kill()} on the controller, where the Launcher
 * started it, without waiting for an interrupt to travel to the agent and back.
 */
final class StepLauncher implements LaunchService, AutoCloseable {
    private final Launcher launcher;
    private final FilePath workspace;
    private final Collection<String> secrets;
    private final LaunchRules rules;
    private final Map<Integer, Running> running = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile boolean stopped;
    private volatile boolean closed;

    /**
     * @param rules the programs the step runs, in its workspace: nothing else is started
     * @param secrets masked in the output before it is cut into parts, so no part holds a piece of one
     */
    StepLauncher(Launcher launcher, FilePath workspace, LaunchRules rules, Collection<String> secrets) {
        this.launcher = launcher;
        this.workspace = workspace;
        this.rules = rules;
        this.secrets = new ArrayList<>(secrets);
    }

    /** The engine's side, to send to the workspace's agent. */
    Commands commands() {
        return new AgentCommands(this, false);
    }

    /** Kills every command still running. */
    void killAll() throws IOException, InterruptedException {
        stopped = true;
        for (Running r : running.values()) {
            r.out.drop();
            r.proc.kill();
        }
    }

    /** The step ended (whichever way): every call from now on is refused, and what still runs is killed. */
    @Override
    public void close() throws IOException, InterruptedException {
        closed = true;
        killAll();
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("the step that exported this launcher has ended: it starts no more "
                    + "commands and answers no more calls");
        }
    }

    @Override
    public int start(List<String> argv, Map<String, String> env, String dir) throws IOException {
        open();
        if (stopped) {
            throw new IOException("the step was stopped");
        }
        String refused = argv.isEmpty() ? "no command given" : rules.check(argv.get(0), dir);
        if (refused != null) {
            throw new IOException(refused);
        }
        Lines out = new Lines();
        MaskingOutputStream masked = new MaskingOutputStream(out, secrets);
        Proc proc = launcher.launch()
                .cmds(argv)
                .envs(env)
                .pwd(workspace.child(dir))
                .stdout(masked)
                .quiet(true)
                .start();
        int id = ids.incrementAndGet();
        Running r = new Running(proc, masked, out);
        running.put(id, r);
        Thread waiter = new Thread(r::waitFor, "guli: waiting for " + argv.get(0));
        waiter.setDaemon(true);
        waiter.start();
        return id;
    }

    @Override
    public List<String> next(int id) throws InterruptedException {
        open();
        return get(id).out.next();
    }

    @Override
    public int exitStatus(int id) throws IOException, InterruptedException {
        open();
        Running r = get(id);
        try {
            return r.exit();
        } finally {
            running.remove(id);
        }
    }

    @Override
    public void kill(int id) throws IOException, InterruptedException {
        open();
        Running r = running.remove(id);
        if (r != null) {
            r.out.drop();
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
        final MaskingOutputStream masked;
        final Lines out;
        private final CountDownLatch done = new CountDownLatch(1);
        private int exit;
        private IOException failed;

        Running(Proc proc, MaskingOutputStream masked, Lines out) {
            this.proc = proc;
            this.masked = masked;
            this.out = out;
        }

        void waitFor() {
            try {
                exit = proc.join();
                VirtualChannel channel = launcher.getChannel();
                if (channel != null) {
                    channel.syncLocalIO(); // the output the agent sent before the process ended is all in
                }
                masked.finish();
            } catch (IOException e) {
                failed = e;
            } catch (InterruptedException e) {
                failed = new IOException("interrupted while waiting for the command", e);
            } finally {
                try {
                    out.end();
                } catch (IOException e) {
                    out.drop(); // interrupted while the engine had not taken the rest: nobody will
                }
                done.countDown();
            }
        }

        /** Waits for the process to end (its output may have been dropped before). */
        int exit() throws IOException, InterruptedException {
            done.await();
            if (failed != null) {
                throw failed;
            }
            return exit;
        }
    }

    /**
     * The process' output as lines, held for the agent's calls to take. Bounded: a line longer than {@link #MAX_LINE}
     * bytes is passed on in parts, cut between whole UTF-8 characters, and at most {@link #MAX_QUEUED} bytes wait to
     * be taken; beyond that the writer waits. The writer is the process' output pump (locally, or the exec session of
     * a decorated Launcher) or, for a process on an agent, that agent's channel I/O thread: waiting holds up only the
     * process, or only that channel's I/O until the engine takes more (it takes from a thread that writes nothing to
     * the channel, see {@link AgentCommands}).
     */
    static final class Lines extends OutputStream {
        static final int MAX_LINE = 16 * 1024;
        static final int MAX_QUEUED = 1024 * 1024;
        /** What a queued line costs beyond its bytes (the String around them): empty lines count too. */
        static final int PER_LINE = 64;

        private final ArrayDeque<String> queue = new ArrayDeque<>();
        private final byte[] line = new byte[MAX_LINE + 1];
        private int length;
        private long queued;
        private long maxHeld;
        private boolean ended;
        private boolean closed;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            for (int i = off; i < off + len && !closed; i++) {
                if (b[i] == '\n') {
                    queue(length > 0 && line[length - 1] == '\r' ? length - 1 : length, length);
                } else {
                    line[length++] = b[i];
                    if (length > MAX_LINE) {
                        queue(cut(), 0);
                    }
                }
            }
        }

        /** Where to cut a full line: before the last character that began at or before the limit. */
        private int cut() {
            int at = MAX_LINE;
            while (at > MAX_LINE - 3 && (line[at] & 0xC0) == 0x80) {
                at--;
            }
            return (line[at] & 0xC0) == 0x80 ? MAX_LINE : at; // not UTF-8: cut at the limit
        }

        /** Queues the first {@code text} bytes of the line as one line, and drops the first {@code used} as well. */
        private void queue(int text, int used) throws IOException {
            int drop = Math.max(text, used);
            int cost = text + PER_LINE;
            String s = new String(line, 0, text, StandardCharsets.UTF_8);
            System.arraycopy(line, drop, line, 0, length - drop);
            length -= drop;
            try {
                while (!closed && queued > 0 && queued + cost > MAX_QUEUED) {
                    wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while the output waited to be taken");
            }
            if (!closed) {
                queue.add(s);
                queued += cost;
                maxHeld = Math.max(maxHeld, queued + length);
                notifyAll();
            }
        }

        /** The output ended: what is left of the last line is its last line. */
        synchronized void end() throws IOException {
            if (length > 0) {
                queue(length, length);
            }
            ended = true;
            notifyAll();
        }

        /** Nobody will take more: what is held is dropped, and so is what is written from now on. */
        synchronized void drop() {
            closed = true;
            queue.clear();
            queued = 0;
            notifyAll();
        }

        /** The most bytes held at once, queued or of the line being read. */
        synchronized long maxHeld() {
            return maxHeld;
        }

        /** Lines written since the last call, waiting up to a second for the first; null at the end. */
        synchronized List<String> next() throws InterruptedException {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            for (long left; queue.isEmpty() && !ended && !closed && (left = until - System.nanoTime()) > 0; ) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            if (queue.isEmpty() && (ended || closed)) {
                return null;
            }
            List<String> lines = new ArrayList<>(queue);
            queue.clear();
            queued = 0;
            notifyAll();
            return lines;
        }
    }

    /** The engine's {@link Commands} on the agent: each command is started by the controller's Launcher. */
    static final class AgentCommands implements Commands, Serializable {
        private static final long serialVersionUID = 1L;
        private final LaunchService controller;
        private final boolean exported;

        private AgentCommands(LaunchService controller, boolean exported) {
            this.controller = controller;
            this.exported = exported;
        }

        /**
         * Sent to the agent, the service goes as a proxy exported while the engine's call is sent: remoting records
         * such an export and unexports it when that call returns, so the proxy is dead after the step's engine call.
         */
        private Object writeReplace() throws ObjectStreamException {
            if (exported) {
                return this;
            }
            Channel channel = Channel.current();
            if (channel == null) {
                throw new NotSerializableException("a step's launcher goes to an agent only inside a remoting call");
            }
            return new AgentCommands(channel.export(LaunchService.class, controller), true);
        }

        /**
         * The output is taken by a thread of its own, which writes nothing to the channel: the controller runs a
         * call only after the I/O its calling thread sent before it, and this thread's printing to the console
         * could wait behind the output the controller holds until it is taken. For the same reason the queue between
         * the two threads is not bounded here; the controller's is.
         */
        @Override
        public int run(CommandLine c, Log output) throws IOException, InterruptedException {
            int id = controller.start(new ArrayList<>(c.argv()), new HashMap<>(c.env()), c.dir());
            Taker taker = new Taker(controller, id, c.program());
            taker.start();
            try {
                for (List<String> lines; (lines = taker.lines.take()) != Taker.END; ) {
                    lines.forEach(output::info);
                }
                taker.join();
                if (taker.failed != null) {
                    throw new IOException("lost the output of " + c.program() + ": " + taker.failed, taker.failed);
                }
                return controller.exitStatus(id);
            } catch (InterruptedException e) {
                taker.interrupt(); // it stops the command
                taker.join();
                throw e;
            }
        }
    }

    /** Takes a command's output from the controller until it ends; stops the command when interrupted. */
    private static final class Taker extends Thread {
        static final List<String> END = Collections.unmodifiableList(new ArrayList<>());
        final BlockingQueue<List<String>> lines = new LinkedBlockingQueue<>();
        private final LaunchService controller;
        private final int id;
        private volatile Exception failed;

        Taker(LaunchService controller, int id, String program) {
            super("guli: output of " + program);
            setDaemon(true);
            this.controller = controller;
            this.id = id;
        }

        @Override
        public void run() {
            try {
                for (List<String> l; (l = controller.next(id)) != null; ) {
                    if (!l.isEmpty()) {
                        lines.add(l);
                    }
                }
            } catch (InterruptedException e) {
                try {
                    controller.kill(id);
                } catch (IOException | InterruptedException | RuntimeException again) {
                    failed = again;
                }
            } catch (RuntimeException e) {
                failed = e;
            } finally {
                lines.add(END);
            }
        }
    }
}
