package io.github.guli.cli;

import io.github.guli.engine.GuliException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The CLI's record of kept files' digests (the upstream jars, the scanner's cache, the image's layers): a properties
 * file outside the project.
 */
final class CacheRecord {
    private CacheRecord() {}

    /**
     * A folder kept between builds: the given one, else {@code ~/.guli/<kind>/<folder name>-<hash of its path>} (one
     * per project folder, as the upstream jars); never inside the project, which the build writes.
     *
     * @param what how the error names it, e.g. {@code guli build: the scanner's cache}
     */
    static Path folder(String given, Path workspace, String kind, String what, String option) {
        Path ws = workspace.toAbsolutePath().normalize();
        String hash;
        try {
            hash = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(ws.toString().getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Path dir = (given != null
                        ? Path.of(given)
                        : Path.of(System.getProperty("user.home"), ".guli", kind, ws.getFileName() + "-" + hash))
                .toAbsolutePath()
                .normalize();
        if (dir.startsWith(ws)) {
            throw new UsageException(what + " " + dir + " is inside the project, which the build can write: give "
                    + option + " a folder outside it, or none");
        }
        return dir;
    }

    /** The record of a kept folder: {@code DIR.properties} beside it. */
    static Path of(Path folder) {
        return folder.resolveSibling(folder.getFileName() + ".properties");
    }

    static Map<String, String> read(Path file) {
        Map<String, String> digests = new TreeMap<>();
        if (!Files.isRegularFile(file)) {
            return digests;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new GuliException("cannot read the cache record " + file + ": " + e.getMessage()
                    + "; delete it (what it records is then made again)");
        }
        p.stringPropertyNames().forEach(k -> digests.put(k, p.getProperty(k)));
        return digests;
    }

    static void write(Path file, Map<String, String> digests) {
        Properties p = new Properties();
        p.putAll(digests);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".cache-record", ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "SHA-256 of the files guli kept");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new GuliException("cannot write the cache record " + file + ": " + e.getMessage(), e);
        }
    }
}
