package io.github.guli.engine.process;

import io.github.guli.engine.GuliException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files a command reads that must not be in the workspace (secrets), kept in {@code <workspace>@tmp}, the folder
 * Jenkins keeps beside every workspace. Not the system's temporary folder: a command run in another container of
 * the pod sees the workspace's volume, not this process' /tmp. Only this user may read what is in it; the caller
 * deletes what it made.
 */
public final class WorkspaceTemp {
    private WorkspaceTemp() {
    }

    /** A new folder for one command's files, mode 700. */
    public static Path newDir(Path workspace, String prefix) {
        try {
            return Files.createTempDirectory(root(workspace), prefix, posix("rwx------"));
        } catch (UnsupportedOperationException notPosix) {
            return unchecked(() -> Files.createTempDirectory(root(workspace), prefix));
        } catch (IOException e) {
            throw cannot(workspace, e);
        }
    }

    /** A new file holding {@code content}, mode 600. */
    public static Path newFile(Path workspace, String prefix, String suffix, byte[] content) {
        Path f;
        try {
            f = Files.createTempFile(root(workspace), prefix, suffix, posix("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            f = unchecked(() -> Files.createTempFile(root(workspace), prefix, suffix));
        } catch (IOException e) {
            throw cannot(workspace, e);
        }
        Path file = f;
        return unchecked(() -> Files.write(file, content));
    }

    /** Deletes a file or a folder of files made here; returns what could not be deleted, or null. */
    public static String delete(Path p) {
        try {
            if (Files.isDirectory(p)) {
                try (var files = Files.list(p)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                }
            }
            Files.deleteIfExists(p);
            return null;
        } catch (IOException e) {
            return p + ": " + e.getMessage();
        }
    }

    private static Path root(Path workspace) throws IOException {
        Path ws = workspace.toAbsolutePath().normalize();
        Path root = ws.resolveSibling(ws.getFileName() + "@tmp");
        try {
            Files.createDirectory(root, posix("rwx------"));
        } catch (FileAlreadyExistsException exists) {
            // Jenkins made it, or an earlier step
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectories(root);
        }
        return root;
    }

    private static FileAttribute<?> posix(String mode) {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode));
    }

    private interface Io<T> {
        T get() throws IOException;
    }

    private static <T> T unchecked(Io<T> io) {
        try {
            return io.get();
        } catch (IOException e) {
            throw new GuliException("cannot write a temporary file beside the workspace: " + e.getMessage(), e);
        }
    }

    private static GuliException cannot(Path workspace, IOException e) {
        return new GuliException("cannot write a temporary file beside the workspace " + workspace + " (in its @tmp "
                + "folder): " + e.getMessage(), e);
    }
}
