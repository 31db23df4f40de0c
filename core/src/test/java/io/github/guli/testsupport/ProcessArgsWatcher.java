package io.github.guli.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Watches the command lines of every process on the machine (/proc/PID/cmdline) while a test runs and records
 * any that contains a secret: the proof that a secret never became a process argument, ours or a child's.
 */
public final class ProcessArgsWatcher implements AutoCloseable {
    private final List<String> secrets;
    private final List<String> hits = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private int scans;

    public ProcessArgsWatcher(List<String> secrets) {
        this.secrets = secrets;
        thread = new Thread(this::loop, "process-args-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
                for (Path p : procs) {
                    String cmd;
                    try {
                        cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                                .replace('\0', ' ');
                    } catch (IOException gone) {
                        continue;
                    }
                    for (String s : secrets) {
                        if (cmd.contains(s)) {
                            synchronized (hits) {
                                hits.add(p.getFileName() + ": " + cmd.replace(s, "<SECRET>"));
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            synchronized (hits) {
                scans++;
            }
        }
    }

    /** Stops watching; returns the offending command lines (secret replaced), empty when none. */
    public List<String> stop() throws InterruptedException {
        running = false;
        thread.join();
        synchronized (hits) {
            if (scans == 0) {
                throw new IllegalStateException("the process list was never scanned");
            }
            return List.copyOf(hits);
        }
    }

    public int scans() {
        synchronized (hits) {
            return scans;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
