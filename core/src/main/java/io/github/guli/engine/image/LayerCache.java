package io.github.guli.engine.image;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The generated image's compressed layers kept between builds, so that a layer whose files did not change (the
 * dependencies: tens of MB, the same for most commits) is not compressed again for every build. A layer is kept as
 * {@code <diff id>.tar.gz}, named by the SHA-256 of its uncompressed tar, which is computed from the jar for every
 * build; its compressed bytes are those the same files always give, so the image's digest is the one a build
 * without the cache makes. The folder can be written by other builds on the agent, so its names are not trusted:
 * {@link #record()} returns the SHA-256 of each kept file for the caller to keep where no build can write, and a
 * kept file is reused only when it still has that digest; anything else there is deleted and said so.
 */
public final class LayerCache {
    private static final String SUFFIX = ".tar.gz";
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    private final Path dir;
    private final Map<String, String> recorded;
    /** What this build used: diff id (hex) to the kept file's SHA-256 (hex). */
    private final Map<String, String> used = new TreeMap<>();

    /**
     * @param dir the folder the job keeps for it, outside the workspace
     * @param recorded what {@link #record()} returned after the previous build; null: none
     */
    public LayerCache(Path dir, Map<String, String> recorded) {
        this.dir = dir.toAbsolutePath().normalize();
        this.recorded = new TreeMap<>(recorded == null ? Map.of() : recorded);
    }

    /**
     * The folder of one image's kept layers in a workspace's sibling {@code <workspace>@tmp/guli-layers/<image>}, as
     * Jenkins names it: one per image, so that two images made at the same time do not delete each other's.
     */
    public static Path in(Path workspace, String image) {
        Path ws = workspace.toAbsolutePath().normalize();
        return ws.resolveSibling(ws.getFileName() + "@tmp/guli-layers/" + folderName(image));
    }

    /** An image name as one folder name: anything but letters, digits, dot, dash and underscore becomes {@code _}. */
    public static String folderName(String image) {
        String name = String.valueOf(image).replaceAll("[^A-Za-z0-9._-]", "_");
        return name.startsWith(".") ? "_" + name : name; // never . or ..
    }

    public Path dir() {
        return dir;
    }

    /** The kept blob of a layer whose uncompressed tar has {@code diffId}; null when there is none as recorded. */
    LayerBlob find(String layer, String diffId, Log log) throws IOException {
        String id = hex(diffId);
        Path file = dir.resolve(id + SUFFIX);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        String sha = recorded.get(id);
        String problem = null;
        if (sha == null) {
            problem = "was not kept by an earlier build (something else wrote it)";
        } else if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            problem = "is not a file";
        } else if (!sha.equals(sha256(file))) {
            problem = "changed since it was kept";
        }
        if (problem != null) {
            log.info("the kept " + layer + " layer " + file + " " + problem + ": discarded, compressed again");
            Files.delete(file);
            return null;
        }
        used.put(id, sha);
        log.info(
                "the kept " + layer + " layer " + file.getFileName() + " is as recorded: reused, not compressed again");
        return new LayerBlob(layer, file, "sha256:" + sha, diffId, Files.size(file));
    }

    /** Writes a layer into the folder and keeps it for the next builds. */
    LayerBlob keep(SpringBootJar.Contents jar, String layer, List<String> names, String diffId) throws IOException {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".layer", ".tmp");
        try {
            LayerBlob written = LayerBlob.write(jar, layer, names, tmp);
            if (!written.diffId().equals(diffId)) {
                throw new GuliException("the " + layer + " layer read from the jar twice gave two contents ("
                        + diffId + ", then " + written.diffId() + "): the jar changed while the image was made; "
                        + "build it again");
            }
            Path file = dir.resolve(hex(diffId) + SUFFIX);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            used.put(hex(diffId), hex(written.digest()));
            return new LayerBlob(layer, file, written.digest(), diffId, written.size());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Deletes everything in the folder this build did not use and returns the SHA-256 of what is kept, for the
     * caller to record where no build can write.
     */
    public Map<String, String> record() {
        try {
            if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                    for (Path f : files) {
                        String name = f.getFileName().toString();
                        String id = name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) : "";
                        if (Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) {
                            SpringBootJar.deleteRecursively(f);
                        } else if (!used.containsKey(id) || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                            Files.delete(f);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new GuliException("cannot clean the kept layers in " + dir + ": " + e.getMessage(), e);
        }
        return Map.copyOf(used);
    }

    private static String hex(String digest) {
        String h = digest.startsWith("sha256:") ? digest.substring("sha256:".length()) : digest;
        if (!HEX.matcher(h).matches()) {
            throw new IllegalArgumentException("not a SHA-256 digest: " + digest);
        }
        return h;
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest d = LayerBlob.sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), d)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(d.digest());
    }
}
