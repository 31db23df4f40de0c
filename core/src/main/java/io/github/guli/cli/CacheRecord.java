package io.github.guli.cli;

import io.github.guli.engine.GuliException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** The CLI's record of kept files' digests (the upstream jars, the scanner's cache): a properties file outside the project. */
final class CacheRecord {
    private CacheRecord() {}

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
                p.store(w, "SHA-256 of the files guli build kept");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new GuliException("cannot write the cache record " + file + ": " + e.getMessage(), e);
        }
    }
}
