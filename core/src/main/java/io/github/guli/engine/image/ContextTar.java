package io.github.guli.engine.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A build context as a tar holding every file and folder with its own time and mode, owned by root, in a fixed
 * order: the same folder gives the same bytes, so the engine makes the same layers from it.
 */
final class ContextTar {
    private ContextTar() {
    }

    /** The tar, in a private temporary folder that is deleted when the stream is closed. */
    static InputStream of(Path dir) throws IOException {
        return of(dir, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * @param tmp where the private folder goes: only the build's user can list or read it (rwx------), since the
     *     context holds the application's code and configuration
     */
    static InputStream of(Path dir, Path tmp) throws IOException {
        Path folder = Files.createTempDirectory(tmp, "guli-context",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path tar = folder.resolve("context.tar");
        try (OutputStream out = Files.newOutputStream(tar); TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            t.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            List<Path> paths;
            try (Stream<Path> s = Files.walk(dir)) {
                paths = s.filter(p -> !p.equals(dir)).sorted().toList();
            }
            for (Path p : paths) {
                String name = dir.relativize(p).toString().replace('\\', '/') + (Files.isDirectory(p) ? "/" : "");
                TarArchiveEntry e = new TarArchiveEntry(p, name);
                e.setIds(0, 0);
                e.setNames("", "");
                t.putArchiveEntry(e);
                if (Files.isRegularFile(p)) {
                    Files.copy(p, t);
                }
                t.closeArchiveEntry();
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tar);
            Files.deleteIfExists(folder);
            throw e;
        }
        return new FilterInputStream(Files.newInputStream(tar)) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    Files.deleteIfExists(tar);
                    Files.deleteIfExists(folder);
                }
            }
        };
    }
}
