package io.github.guli.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The record of a file kept between builds: its SHA-256, then its size, device, inode and change time (ctime). The
 * system sets the change time on every write, rename or chmod and no process can set it back, so a file that still
 * has them has not been written since and is not read again: the check of a large kept file costs a {@code stat}.
 */
public final class KeptFile {
    private KeptFile() {}

    /** The record value of a file as it is now. */
    public static String value(Path f) throws IOException {
        String stamp = stamp(f);
        return hex(digest(f, "SHA-256")) + (stamp == null ? "" : " " + stamp);
    }

    /** Whether a file is as {@code value} recorded it: its stamp unchanged, else its content's SHA-256 the same. */
    public static boolean matches(Path f, String value) throws IOException {
        return value != null
                && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)
                && sha256(current(f, value)).equals(sha256(value));
    }

    /** {@code value} when the file still has the stamp it records; else the file's SHA-256, read now. */
    public static String current(Path f, String value) throws IOException {
        return stampMatches(f, value) ? value : hex(digest(f, "SHA-256"));
    }

    /** Whether the file has the stamp {@code value} records (it was not written since). */
    public static boolean stampMatches(Path f, String value) {
        String stamp = stamp(f);
        return stamp != null && value != null && value.equals(sha256(value) + " " + stamp);
    }

    /** A record value's SHA-256 (its first word). */
    public static String sha256(String value) {
        int space = value.indexOf(' ');
        return space < 0 ? value : value.substring(0, space);
    }

    /** The file's size, device, inode and change time; null where the system does not tell them. */
    public static String stamp(Path f) {
        try {
            Map<String, Object> a = Files.readAttributes(f, "unix:size,ino,dev,ctime", LinkOption.NOFOLLOW_LINKS);
            FileTime ctime = (FileTime) a.get("ctime");
            return a.get("size") + ":" + a.get("dev") + ":" + a.get("ino") + ":" + ctime.to(TimeUnit.NANOSECONDS);
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
            return null;
        }
    }

    /** The digests of a file's content, read once. */
    public static void read(Path f, MessageDigest... digests) throws IOException {
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                for (MessageDigest d : digests) {
                    d.update(buf, 0, n);
                }
            }
        }
    }

    public static MessageDigest algorithm(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static byte[] digest(Path f, String algorithm) throws IOException {
        MessageDigest d = algorithm(algorithm);
        read(f, d);
        return d.digest();
    }
}
