package io.github.guli.engine.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * One image layer made from one Spring Boot layer: a gzip-compressed tar of the layer's files under {@code /app},
 * what {@code COPY <layer>/ /} adds in the generated Dockerfile. Entries are sorted, owned by root, with the fixed
 * time and rw-r--r-- files, rwxr-xr-x folders: the same files give the same bytes, so the same digest.
 *
 * @param digest the blob's digest (compressed), which the manifest names
 * @param diffId the digest of the uncompressed tar, which the image config names
 */
record LayerBlob(String layer, Path file, String digest, String diffId, long size) {
    private static final int FILE_MODE = 0100644;
    private static final int DIR_MODE = 040755;

    static LayerBlob write(SpringBootJar.Contents jar, String layer, List<String> names, Path file) throws IOException {
        MessageDigest compressed = sha256();
        MessageDigest uncompressed = sha256();
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), compressed);
                GZIPOutputStream gzip = new GZIPOutputStream(out, 64 * 1024)) {
            tar(jar, names, new DigestOutputStream(gzip, uncompressed));
        }
        return new LayerBlob(layer, file, hex(compressed), hex(uncompressed), Files.size(file));
    }

    /** The digest of the layer's uncompressed tar (its diff id), with nothing written or compressed. */
    static String diffId(SpringBootJar.Contents jar, List<String> names) throws IOException {
        MessageDigest uncompressed = sha256();
        tar(jar, names, new DigestOutputStream(OutputStream.nullOutputStream(), uncompressed));
        return hex(uncompressed);
    }

    private static void tar(SpringBootJar.Contents jar, List<String> names, OutputStream out) throws IOException {
        TreeSet<String> paths = new TreeSet<>();
        paths.add(SpringBootJar.APP_DIR + "/");
        for (String name : names) {
            String p = SpringBootJar.APP_DIR + "/" + name;
            paths.add(p);
            for (int slash = p.indexOf('/'); slash > 0 && slash < p.length() - 1; slash = p.indexOf('/', slash + 1)) {
                paths.add(p.substring(0, slash + 1));
            }
        }
        // finish() ends the archive without closing what it writes to: the caller closes the gzip stream
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        for (String p : paths) {
            boolean dir = p.endsWith("/");
            TarArchiveEntry e = new TarArchiveEntry(p);
            e.setMode(dir ? DIR_MODE : FILE_MODE);
            e.setModTime(SpringBootJar.FIXED_TIME);
            e.setIds(0, 0);
            e.setNames("", "");
            if (dir) {
                tar.putArchiveEntry(e);
            } else {
                // the size the jar declares goes in the header; the tar refuses more or fewer bytes than that
                String name = p.substring(SpringBootJar.APP_DIR.length() + 1);
                e.setSize(jar.size(name));
                tar.putArchiveEntry(e);
                try (InputStream in = jar.read(name)) {
                    in.transferTo(tar);
                }
            }
            tar.closeArchiveEntry();
        }
        tar.finish();
        tar.flush();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(MessageDigest d) {
        return "sha256:" + HexFormat.of().formatHex(d.digest());
    }
}
