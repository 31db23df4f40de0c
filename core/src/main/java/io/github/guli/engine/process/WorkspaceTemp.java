package io.github.guli.engine.process;

import io.github.guli.engine.GuliException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
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
    private static final boolean POSIX =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private WorkspaceTemp() {}

    /** A new folder for one command's files, mode 700. */
    public static Path newDir(Path workspace, String prefix) {
        try {
            return Files.createTempDirectory(root(workspace), prefix, mode("rwx------"));
        } catch (IOException e) {
            throw cannot(workspace, e);
        }
    }

    /** A new file holding {@code content}, mode 600. */
    public static Path newFile(Path workspace, String prefix, String suffix, byte[] content) {
        try {
            return Files.write(Files.createTempFile(root(workspace), prefix, suffix, mode("rw-------")), content);
        } catch (IOException e) {
            throw cannot(workspace, e);
        }
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
            Files.createDirectory(root, mode("rwx------"));
        } catch (FileAlreadyExistsException exists) {
            // Jenkins made it, or an earlier step
        }
        return root;
    }

    private static FileAttribute<?>[] mode(String permissions) {
        return POSIX
                ? new FileAttribute<?>[] {
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))
                }
                : new FileAttribute<?>[0];
    }

    private static GuliException cannot(Path workspace, IOException e) {
        return new GuliException(
                "cannot write a temporary file beside the workspace " + workspace + " (in its @tmp " + "folder): "
                        + e.getMessage(),
                e);
    }
}
