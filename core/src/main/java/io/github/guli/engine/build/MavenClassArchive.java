package io.github.guli.engine.build;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.KeptFile;
import io.github.guli.engine.Log;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A class-data sharing archive of Maven's JVM kept between builds (HotSpot's dynamic archive): the classes Maven, its
 * plugins and the scanner's engine load, parsed and verified by one build ({@code -XX:ArchiveClassesAtExit}) and
 * mapped by the later ones ({@code -XX:SharedArchiveFile}, {@code -Xshare:auto}: an archive the JVM rejects only
 * costs the time). The JVM maps the file as code without checking it, and a build's code can write where it is
 * kept, so it is checked as the other kept files are: its {@link KeptFile} record is kept where no build can write,
 * and before each use the file must match it; otherwise it is deleted, said so, and this build makes it again. Its
 * name is a SHA-256 of what it is made for (the JDK, Maven, Maven's JVM options): another JDK is another archive.
 *
 * <p>Only where the JDK Maven runs on can be read here (its {@code release} file) and is 17 or later (older JVMs do
 * not know the options and would not start), and where the folder's path has no blank (MAVEN_OPTS is split on
 * blanks).
 */
public final class MavenClassArchive {
    private static final int MIN_JDK = 17;
    static final String QUIET = "-Xlog:cds=off";
    private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(?:1\\.)?(\\d+)");

    private final Path dir;
    private final Map<String, String> recorded;
    private Path file;
    private String value;
    private boolean making;
    private boolean given;
    private boolean prepared;

    /**
     * @param dir the folder the job keeps for it, outside the workspace
     * @param recorded what {@link #record} returned after the previous build; null: none
     */
    public MavenClassArchive(Path dir, Map<String, String> recorded) {
        this.dir = dir.toAbsolutePath().normalize();
        this.recorded = new TreeMap<>(recorded == null ? Map.of() : recorded);
    }

    /** The folder in a workspace's sibling {@code <workspace>@tmp/guli-cds}, as Jenkins names it. */
    public static Path in(Path workspace) {
        Path ws = workspace.toAbsolutePath().normalize();
        return ws.resolveSibling(ws.getFileName() + "@tmp/guli-cds");
    }

    /**
     * Before Maven's first run: the archive for this JDK, Maven and options checked against the record (any other
     * file of the folder deleted), or made by this build.
     *
     * @param maven the Maven executable as the command names it
     * @param mavenOpts the MAVEN_OPTS given, before this archive's options
     */
    void prepare(Map<String, String> env, String maven, String mavenOpts, File root, Log log) {
        prepared = true;
        try {
            String key = key(env, maven, mavenOpts, root);
            if (key == null || dir.toString().matches(".*\\s.*")) {
                clear(null);
                return;
            }
            file = dir.resolve(key + ".jsa");
            String name = file.getFileName().toString();
            clear(name);
            String v = recorded.get(name);
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && KeptFile.matches(file, v)) {
                value = v;
                log.info("the class-data archive of Maven's JVM " + file + " is as recorded: mapped");
                return;
            }
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                log.info("the class-data archive of Maven's JVM " + file
                        + (v == null
                                ? " was not made by an earlier build (something else wrote it)"
                                : " does not match the SHA-256 recorded when it was made (" + v.substring(0, 12)
                                        + "): something else wrote it")
                        + "; discarded, Maven's JVM makes it again");
                Files.delete(file);
            }
            Files.createDirectories(dir);
            making = true;
            log.info("Maven's JVM writes a class-data archive of the classes it loads to " + file + " at its exit "
                    + "(once: the next builds map it)");
        } catch (IOException e) {
            throw new GuliException(
                    "cannot check the class-data archive of Maven's JVM in " + dir + ": " + e.getMessage()
                            + "; delete the folder",
                    e);
        }
    }

    /** MAVEN_OPTS for the next Maven run: the archive mapped, or made by the first run only; else as given. */
    String mavenOpts(String given) {
        String own = file == null
                ? null
                : value != null
                        ? "-XX:SharedArchiveFile=" + file + " -Xshare:auto"
                        // without its warnings, one per class it leaves out
                        : making && !this.given ? "-XX:ArchiveClassesAtExit=" + file + " " + QUIET : null;
        this.given |= own != null;
        return own == null ? given : given == null || given.isBlank() ? own : given + " " + own;
    }

    /**
     * After Maven's runs: the record of the archive in use or just made (a build that failed keeps none it made),
     * for the caller to keep where no build can write; empty when there is none; the record given when the build
     * ended before Maven's first run.
     */
    public Map<String, String> record(boolean succeeded) {
        if (!prepared) {
            return Map.copyOf(recorded);
        }
        try {
            if (file != null && making && succeeded && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                value = KeptFile.value(file);
            } else if (file != null && making) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new GuliException(
                    "cannot record the class-data archive of Maven's JVM " + file + ": " + e.getMessage(), e);
        }
        return value == null ? Map.of() : Map.of(file.getFileName().toString(), value);
    }

    /** Deletes everything in the folder but {@code keep}: archives of another JDK or Maven, leftovers. */
    private void clear(String keep) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (!f.getFileName().toString().equals(keep) || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    deleteTree(f);
                }
            }
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> all = Files.walk(p)) {
                for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        } else {
            Files.delete(p);
        }
    }

    /**
     * What the archive is made for: the JDK ({@code release}, its real path, its modules file's size and time),
     * Maven (its real path, its {@code boot/} and {@code lib/} jars), Maven's JVM options (MAVEN_OPTS and
     * {@code .mvn/jvm.config}). Null: the JDK cannot be read here, or is older than 17.
     */
    static String key(Map<String, String> env, String maven, String mavenOpts, File root) throws IOException {
        Path jdk = jdk(env);
        if (jdk == null || !Files.isRegularFile(jdk.resolve("release"))) {
            return null;
        }
        String release = Files.readString(jdk.resolve("release"), StandardCharsets.UTF_8);
        Matcher m = VERSION.matcher(release);
        if (!m.find() || Integer.parseInt(m.group(1)) < MIN_JDK) {
            return null;
        }
        List<String> parts = new ArrayList<>(List.of(jdk.toString(), release, stat(jdk.resolve("lib/modules"))));
        Path mvn = executable(maven, env);
        parts.add(String.valueOf(mvn));
        if (mvn != null) {
            Path home = mvn.getParent().getParent();
            for (String sub : List.of("boot", "lib")) {
                if (Files.isDirectory(home.resolve(sub))) {
                    try (Stream<Path> jars = Files.list(home.resolve(sub))) {
                        for (Path j : jars.sorted().toList()) {
                            parts.add(j.getFileName() + " " + stat(j));
                        }
                    }
                }
            }
        }
        parts.add("MAVEN_OPTS=" + mavenOpts);
        Path jvmConfig = root.toPath().resolve(".mvn/jvm.config");
        parts.add(Files.isRegularFile(jvmConfig) ? Files.readString(jvmConfig) : "");
        MessageDigest d = KeptFile.algorithm("SHA-256");
        d.update(String.join("\n", parts).getBytes(StandardCharsets.UTF_8));
        return KeptFile.hex(d.digest());
    }

    /** The JDK Maven's script runs: JAVA_HOME's, else that of {@code java} on the PATH. */
    private static Path jdk(Map<String, String> env) throws IOException {
        String home = env.get("JAVA_HOME");
        Path java = home != null && !home.isBlank() ? Path.of(home, "bin", "java") : executable("java", env);
        return java == null || !Files.isExecutable(java)
                ? null
                : java.toRealPath().getParent().getParent();
    }

    /** An executable's real path: as given when it has a folder, else found on the PATH; null: not found. */
    private static Path executable(String name, Map<String, String> env) throws IOException {
        if (name.contains(File.separator)) {
            Path p = Path.of(name);
            return Files.isExecutable(p) ? p.toRealPath() : null;
        }
        String path = env.get("PATH");
        for (String d : path == null ? new String[0] : path.split(File.pathSeparator)) {
            Path p = Path.of(d.isEmpty() ? "." : d, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p.toRealPath();
            }
        }
        return null;
    }

    private static String stat(Path f) {
        try {
            return Files.size(f) + ":" + Files.getLastModifiedTime(f).toMillis();
        } catch (IOException e) {
            return "none";
        }
    }
}
