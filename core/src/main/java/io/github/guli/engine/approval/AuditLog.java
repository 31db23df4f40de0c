package io.github.guli.engine.approval;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The admin's collection of decisions: {@code <dir>/<yyyy-MM>.jsonl} (the month of the decision, UTC), one line per
 * decision, appended under a file lock so that builds deciding at once never interleave their lines. A JVM may hold
 * only one lock on a file, so the builds of one controller (each with its own AuditLog) take turns first.
 */
public final class AuditLog {
    private static final Object IN_THIS_JVM = new Object();
    private static final DateTimeFormatter MONTH =
            DateTimeFormatter.ofPattern("yyyy-MM").withZone(ZoneOffset.UTC);
    private final Path dir;

    public AuditLog(Path dir) {
        this.dir = dir;
    }

    /** The file an entry goes to. */
    public Path file(AuditEntry entry) {
        return dir.resolve(MONTH.format(entry.at()) + ".jsonl");
    }

    public Path append(AuditEntry entry) throws IOException {
        Path file = file(entry);
        ByteBuffer line = ByteBuffer.wrap((entry.toJsonLine() + "\n").getBytes(StandardCharsets.UTF_8));
        synchronized (IN_THIS_JVM) {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(
                            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                    FileLock lock = ch.lock()) {
                while (line.hasRemaining()) {
                    ch.write(line);
                }
            }
        }
        return file;
    }
}
