package io.github.guli.engine.sonar;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.KeptFile;
import io.github.guli.engine.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The scanner's user home ({@code sonar.userHome}) kept between builds, so that its engine and the server's plugins
 * are not downloaded again for every analysis. The scanner loads what it finds there without checking it, and a
 * build's own code (its tests) runs before the scanner and can write there, so what is kept is checked twice:
 *
 * <ul>
 *   <li>after the build ({@link #record()}), only the scanner's downloads are kept, each in
 *       {@code cache/<md5>/<file>} with its content's MD5 equal to its folder's name (the hash the server asks for:
 *       a file of any other content is never asked for under that name); everything else (the plugins' unzipped
 *       copies, temporary files, links) is deleted, and the SHA-256 of each kept file is returned for the caller to
 *       record where no build can write;
 *   <li>before the next analysis ({@link #check(Log)}), the folder must hold exactly the recorded files with their
 *       recorded SHA-256; otherwise it is emptied, said so, and the analysis starts cold.
 * </ul>
 *
 * <p>Each file's record is a {@link KeptFile} value (its SHA-256, size, inode and change time): a file not written
 * since is not read again, so the check costs a {@code stat} per file, not a read of the 170 MB the scanner keeps.
 */
public final class ScannerCache {
    private static final String CACHE = "cache";

    private final Path home;
    private final Map<String, String> recorded;
    /** The files {@link #check} found as recorded: name to record value. */
    private final Map<String, String> verified = new TreeMap<>();

    /**
     * @param home the folder the job keeps for it, outside the workspace
     * @param recorded the SHA-256 {@link #record()} returned after the previous build; null: none
     */
    public ScannerCache(Path home, Map<String, String> recorded) {
        this.home = home.toAbsolutePath().normalize();
        this.recorded = new TreeMap<>(recorded == null ? Map.of() : recorded);
    }

    /**
     * The scanner's kept folder of a job's workspace, its sibling {@code <workspace>@tmp/guli-sonar}, as Jenkins names
     * it (one per workspace, so concurrent builds of a job, in {@code <workspace>@2}, keep their own).
     */
    public static Path in(Path workspace) {
        Path ws = workspace.toAbsolutePath().normalize();
        return ws.resolveSibling(ws.getFileName() + "@tmp/guli-sonar");
    }

    /** The cache of an analysis with a {@link SonarAnalysis#cacheHome}; null: none. */
    public static ScannerCache of(SonarAnalysis a) {
        return a == null || a.cacheHome() == null ? null : new ScannerCache(Path.of(a.cacheHome()), a.cacheDigests());
    }

    public Path home() {
        return home;
    }

    /**
     * Whether the kept files are as recorded (the analysis starts warm). Otherwise the folder is emptied and the
     * reason logged; an empty or new folder is not a finding.
     */
    public boolean check(Log log) {
        String problem;
        try {
            if (!Files.exists(home, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(home);
                return false;
            }
            problem = mismatch();
        } catch (IOException e) {
            problem = "cannot be read (" + e.getMessage() + ")";
        }
        if (problem == null) {
            if (!recorded.isEmpty()) {
                log.info("the SonarQube scanner's kept cache " + home + " is as recorded: reused");
            }
            return !recorded.isEmpty();
        }
        log.info("the SonarQube scanner's kept cache " + home + ": " + problem
                + "; discarded, the analysis downloads the scanner and its plugins again");
        empty();
        return false;
    }

    /** Why the folder differs from the record, or null when it does not. */
    private String mismatch() throws IOException {
        if (!Files.isDirectory(home, LinkOption.NOFOLLOW_LINKS)) {
            return "is not a folder";
        }
        Map<String, String> now = new TreeMap<>();
        try (Stream<Path> all = Files.walk(home)) {
            for (Path f : all.filter(f -> !f.equals(home)).sorted().toList()) {
                String name = name(f);
                if (Files.isSymbolicLink(f)) {
                    return name + " is a link";
                }
                if (Files.isRegularFile(f)) {
                    String value = recorded.get(name);
                    if (value == null) {
                        return name + " was not kept by an earlier build (something else wrote it)";
                    }
                    now.put(name, KeptFile.current(f, value));
                }
            }
        }
        for (Map.Entry<String, String> e : recorded.entrySet()) {
            String found = now.get(e.getKey());
            if (found == null) {
                return e.getKey() + " is missing";
            }
            String sha = KeptFile.sha256(e.getValue());
            if (!KeptFile.sha256(found).equals(sha)) {
                return e.getKey() + " does not match the SHA-256 recorded when it was kept (" + sha.substring(0, 12)
                        + ", now " + found.substring(0, 12) + "): something else wrote it";
            }
        }
        verified.putAll(recorded);
        return null;
    }

    /**
     * After the analysis: deletes all but the scanner's content-addressed downloads and returns their SHA-256, the
     * record for the next build's {@link #check(Log)}.
     */
    public Map<String, String> record() {
        Map<String, String> kept = new TreeMap<>();
        if (!Files.isDirectory(home, LinkOption.NOFOLLOW_LINKS)) {
            empty();
            return kept;
        }
        try (Stream<Path> all = Files.walk(home)) {
            List<Path> files = all.filter(f -> !f.equals(home))
                    .sorted(Comparator.reverseOrder())
                    .toList();
            for (Path f : files) {
                String value = keptValue(f);
                if (value != null) {
                    kept.put(name(f), value);
                } else if (!isFolderOfKept(f, kept)) {
                    deleteTree(f);
                }
            }
        } catch (IOException e) {
            throw new GuliException("cannot keep the SonarQube scanner's cache " + home + ": " + e.getMessage(), e);
        }
        return kept;
    }

    /**
     * The record of {@code cache/<md5>/<file>} (its SHA-256 and stamp) when its content's MD5 is its folder's name;
     * else null. A file checked before the build and not written since is not read again.
     */
    private String keptValue(Path f) throws IOException {
        Path rel = home.relativize(f);
        if (rel.getNameCount() != 3
                || !rel.getName(0).toString().equals(CACHE)
                || !Files.isRegularFile(f)
                || Files.isSymbolicLink(f)
                || Files.isSymbolicLink(f.getParent())) {
            return null;
        }
        String checked = verified.get(name(f));
        if (KeptFile.stampMatches(f, checked)) {
            return checked;
        }
        String stamp = KeptFile.stamp(f);
        MessageDigest md5 = KeptFile.algorithm("MD5");
        MessageDigest sha256 = KeptFile.algorithm("SHA-256");
        KeptFile.read(f, md5, sha256);
        if (!KeptFile.hex(md5.digest()).equals(rel.getName(1).toString())) {
            return null;
        }
        return KeptFile.hex(sha256.digest()) + (stamp == null ? "" : " " + stamp);
    }

    /** {@code cache} and {@code cache/<md5>} while they hold a kept file (visited after their files). */
    private boolean isFolderOfKept(Path f, Map<String, String> kept) {
        if (Files.isSymbolicLink(f) || !Files.isDirectory(f)) {
            return false;
        }
        String prefix = name(f) + "/";
        return kept.keySet().stream().anyMatch(k -> k.startsWith(prefix));
    }

    private void empty() {
        try {
            deleteTree(home);
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new GuliException(
                    "cannot empty the SonarQube scanner's cache " + home + ": " + e.getMessage()
                            + "; delete it by hand",
                    e);
        }
    }

    private String name(Path f) {
        return home.relativize(f).toString().replace('\\', '/');
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isSymbolicLink(p) || !Files.isDirectory(p)) {
            Files.delete(p);
            return;
        }
        try (Stream<Path> files = Files.walk(p)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
