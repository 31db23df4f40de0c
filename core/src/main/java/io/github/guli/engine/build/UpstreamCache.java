package io.github.guli.engine.build;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.maven.Reactor;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The jars of the modules a service is built from (gulimall-common), kept per workspace under a hash of everything
 * that makes them: their files, the poms they inherit, {@code .mvn/}, the Maven command. When the hash of a build's
 * upstream modules is one already kept, Maven builds the service alone ({@code -pl M}, no {@code -am}) and a core
 * extension ({@code io.github.guli.mavenext.UpstreamReader}) resolves those modules to the kept jars: an unchanged
 * gulimall-common is neither compiled, tested, packaged nor installed again. Any change to them is a new hash, so
 * they are built with {@code -am} (and kept afterwards). Nothing is written to the local Maven repository.
 *
 * <p>Any build on the agent can write the kept files, so the folder name is not trusted: the caller keeps, where no
 * build can write (the controller; the CLI's record outside the workspace), the SHA-256 of each entry's files as
 * {@link #digests()} returns them after the build, and gives them back to the next build. An entry is reused only
 * with a {@code clean} goal (nothing left in {@code target/} reaches a jar) and when its files still have the
 * recorded digest; otherwise it is discarded and built again. The entries of each job and branch are kept apart.
 */
final class UpstreamCache {
    /** Goals after which the service's build needs nothing of its upstream modules but their jars. */
    private static final Set<String> PLAIN_GOALS =
            Set.of("clean", "validate", "compile", "test-compile", "test", "package", "verify");

    private static final String EXTENSION = "io/github/guli/mavenext/UpstreamReader.class";
    /** Entries kept per workspace: the upstreams of a few services. */
    private static final int KEPT = 3;

    private static final String INDEX = "index.properties";

    /** The upstream modules of one build, and where their jars are (or will be) kept. */
    record Entry(List<Reactor.Module> modules, Path dir, String hash) {
        boolean present() {
            return Files.isRegularFile(dir.resolve(INDEX));
        }

        Path index() {
            return dir.resolve(INDEX);
        }
    }

    private final Path base;
    private final Path root;
    private final Map<String, String> digests;

    /**
     * @param base the workspace's own directory for it, e.g. {@code <workspace>@tmp/guli-upstream}
     * @param key the job and branch whose entries these are (null: one set of entries in {@code base})
     * @param trusted the digests recorded after earlier builds ({@link #digests()}); null: none
     */
    UpstreamCache(Path base, String key, Map<String, String> trusted) {
        this.base = base;
        this.root = key == null ? base : base.resolve(hex(sha256().digest(key.getBytes(StandardCharsets.UTF_8)), 16));
        this.digests = new TreeMap<>(trusted == null ? Map.of() : trusted);
    }

    /** The cache of a workspace: in its sibling {@code <workspace>@tmp/guli-upstream}, as Jenkins names it. */
    static UpstreamCache of(File workspace, String key, Map<String, String> trusted) {
        Path ws = workspace.toPath().toAbsolutePath();
        return new UpstreamCache(ws.resolveSibling(ws.getFileName() + "@tmp/guli-upstream"), key, trusted);
    }

    /** The digests to record for the next build: the ones given, updated with what was kept and discarded. */
    Map<String, String> digests() {
        return Map.copyOf(digests);
    }

    /**
     * Whether the kept jars of {@code e} may serve this build: the goals clean, and its files as they were when
     * kept (their digest recorded). Kept files that differ, or that have no record, are deleted (and logged).
     */
    boolean reusable(Entry e, List<String> goals, Log log) {
        if (!goals.contains("clean") || !e.present()) {
            return false;
        }
        String recorded = digests.get(id(e));
        String now = digest(e.dir());
        if (now.equals(recorded)) {
            return true;
        }
        log.info("the kept jars of "
                + e.modules().stream().map(Reactor.Module::path).collect(Collectors.joining(", ")) + " in " + e.dir()
                + (recorded == null
                        ? " have no recorded SHA-256 (not kept by an earlier build of this job and branch)"
                        : " do not match the SHA-256 recorded when they were kept (" + recorded.substring(0, 12)
                                + ", now " + now.substring(0, 12) + "): something else wrote them")
                + "; discarded, building them again");
        try {
            deleteTree(e.dir());
        } catch (IOException x) {
            throw new GuliException("cannot delete " + e.dir() + ": " + x.getMessage(), x);
        }
        digests.remove(id(e));
        return false;
    }

    /** The entry's name in the digests: its folder relative to the base, e.g. {@code <key>/<hash>}. */
    private String id(Entry e) {
        return base.relativize(e.dir()).toString().replace(File.separatorChar, '/');
    }

    /** The SHA-256 of every file of an entry's folder: their names and contents, in a fixed order. */
    private static String digest(Path dir) {
        MessageDigest d = sha256();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(f -> !f.equals(dir)).sorted().toList()) {
                update(d, dir.relativize(f).toString());
                if (Files.isSymbolicLink(f) || !Files.isRegularFile(f)) {
                    update(d, Files.isSymbolicLink(f) ? "link " + Files.readSymbolicLink(f) : "not a file");
                } else {
                    update(d, hex(sha256().digest(Files.readAllBytes(f)), 64));
                }
            }
        } catch (IOException x) {
            throw new GuliException("cannot read the kept jars in " + dir + ": " + x.getMessage(), x);
        }
        return hex(d.digest(), 64);
    }

    private static String hex(byte[] bytes, int length) {
        return HexFormat.of().formatHex(bytes).substring(0, length);
    }

    /**
     * The entry for building {@code module} with {@code command} (the Maven arguments that shape every module's
     * build), or null when it cannot be used: no upstream module, goals beyond {@code verify} (an install or deploy
     * must include them), or an upstream module that is not a jar.
     */
    Entry entry(Reactor reactor, Reactor.Module module, List<String> goals, List<String> command) {
        if (!PLAIN_GOALS.containsAll(goals)) {
            return null;
        }
        List<Reactor.Module> upstream = reactor.upstream(module);
        List<Reactor.Module> jars =
                upstream.stream().filter(m -> m.packaging().equals("jar")).toList();
        if (jars.isEmpty()
                || upstream.stream()
                        .anyMatch(m ->
                                !m.packaging().equals("jar") && !m.packaging().equals("pom"))) {
            return null;
        }
        MessageDigest d = sha256();
        update(d, String.join("\n", command));
        File base = reactor.root();
        hashFile(d, base, new File(base, "pom.xml"));
        hashTree(d, base, new File(base, ".mvn"));
        for (Reactor.Module m : upstream) {
            if (m.packaging().equals("pom")) {
                hashFile(d, base, new File(base, m.path() + "/pom.xml")); // a parent: its pom, not its children
            } else {
                hashTree(d, base, new File(base, m.path()));
            }
        }
        String hash = hex(d.digest(), 64);
        return new Entry(jars, root.resolve(hash.substring(0, 32)), hash);
    }

    /** Keeps the jars the build just made; an upstream module without its jar in target/ is not kept. */
    void keep(Entry e, Reactor reactor) {
        try {
            Path tmp = Files.createDirectories(root).resolve(e.dir().getFileName() + ".tmp");
            deleteTree(tmp);
            Files.createDirectories(tmp);
            Properties index = new Properties();
            for (Reactor.Module m : e.modules()) {
                Path target = reactor.root().toPath().resolve(m.path()).resolve("target");
                String version = version(m);
                Path jar = target.resolve(m.artifactId() + "-" + version + ".jar");
                if (version == null || !Files.isRegularFile(jar)) {
                    return; // a custom finalName or version: not kept, -am builds it as before
                }
                String prefix = m.artifactId() + "-" + version;
                try (Stream<Path> files = Files.list(target)) {
                    for (Path f : files.filter(f -> f.getFileName().toString().startsWith(prefix)
                                    && f.getFileName().toString().endsWith(".jar"))
                            .toList()) {
                        String name = f.getFileName().toString();
                        String classifier = name.equals(prefix + ".jar")
                                ? ""
                                : name.substring(prefix.length() + 1, name.length() - 4);
                        Path kept =
                                tmp.resolve(m.artifactId() + (classifier.isEmpty() ? "" : "-" + classifier) + ".jar");
                        Files.copy(f, kept);
                        index.setProperty(
                                m.groupId() + ":" + m.artifactId() + ":jar:" + classifier + ":" + version,
                                e.dir().resolve(kept.getFileName()).toString());
                    }
                }
            }
            // the poms of the reactor: how Maven reads the kept modules' dependencies and parents
            for (Reactor.Module m : withRoot(reactor)) {
                String version = version(m);
                if (version != null) {
                    index.setProperty(
                            m.groupId() + ":" + m.artifactId() + ":pom::" + version,
                            reactor.root()
                                    .toPath()
                                    .resolve(m.path())
                                    .resolve("pom.xml")
                                    .toAbsolutePath()
                                    .toString());
                }
            }
            try (OutputStream out = Files.newOutputStream(tmp.resolve(INDEX))) {
                index.store(out, "upstream jars of " + e.hash());
            }
            deleteTree(e.dir());
            Files.move(tmp, e.dir(), StandardCopyOption.ATOMIC_MOVE);
            digests.put(id(e), digest(e.dir()));
            prune(e.dir());
        } catch (IOException x) {
            throw new GuliException("cannot keep the upstream modules' jars in " + root + ": " + x.getMessage(), x);
        }
    }

    /** The Maven properties that resolve the upstream modules from {@code e}: the extension and its index. */
    Map<String, String> properties(Entry e) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("maven.ext.class.path", extensionJar().toString());
        p.put("guli.upstream", e.index().toString());
        return p;
    }

    /**
     * The extension as a jar of its own (Maven loads it into its core: nothing else of the engine goes there), written
     * anew for each build: a jar left there by another build is not loaded.
     */
    private Path extensionJar() {
        try (InputStream in = UpstreamCache.class.getClassLoader().getResourceAsStream(EXTENSION)) {
            if (in == null) {
                throw new GuliException("the engine lacks " + EXTENSION + ": it was built without src/maven-ext");
            }
            byte[] bytes = in.readAllBytes();
            Path jar = Files.createDirectories(root)
                    .resolve("guli-maven-extension-" + hex(sha256().digest(bytes), 16) + ".jar");
            Path tmp = Files.createTempFile(root, "extension", ".jar");
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(tmp))) {
                out.putNextEntry(new JarEntry(EXTENSION));
                out.write(bytes);
                // Maven's container (Sisu) finds @Named components through this index
                out.putNextEntry(new JarEntry("META-INF/sisu/javax.inject.Named"));
                out.write("io.github.guli.mavenext.UpstreamReader\n".getBytes(StandardCharsets.UTF_8));
            }
            Files.move(tmp, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return jar;
        } catch (IOException x) {
            throw new GuliException("cannot write Maven's extension to " + root + ": " + x.getMessage(), x);
        }
    }

    private static List<Reactor.Module> withRoot(Reactor reactor) {
        List<Reactor.Module> all = new ArrayList<>(reactor.modules());
        all.add(reactor.rootProject());
        return all;
    }

    /** The module's version as its pom or its parent's gives it; null when it is an expression. */
    private static String version(Reactor.Module m) {
        String v = m.version();
        return v == null || v.contains("${") ? null : v;
    }

    private void prune(Path keep) throws IOException {
        try (Stream<Path> dirs = Files.list(root)) {
            List<Path> old = dirs.filter(Files::isDirectory)
                    .filter(p -> !p.equals(keep))
                    .sorted(Comparator.comparing(UpstreamCache::modified).reversed())
                    .toList();
            for (int i = KEPT - 1; i < old.size(); i++) {
                deleteTree(old.get(i));
                digests.remove(base.relativize(old.get(i)).toString().replace(File.separatorChar, '/'));
            }
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> files = Files.walk(p)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }

    /**
     * Every file below {@code dir} but its own build output ({@code dir/target/}, which a {@code clean} goal empties
     * before anything reaches a jar), in a fixed order. Dot-named files and folders are hashed too (the compiler and
     * the resources take {@code src/main/java/.x/A.java}), and symbolic links are followed, as Maven follows them.
     */
    private static void hashTree(MessageDigest d, File base, File dir) {
        if (!dir.isDirectory()) {
            return;
        }
        Path output = dir.toPath().resolve("target");
        try (Stream<Path> files = Files.walk(dir.toPath(), FileVisitOption.FOLLOW_LINKS)) {
            files.filter(f -> !f.startsWith(output))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .forEach(f -> hashFile(d, base, f.toFile()));
        } catch (IOException | UncheckedIOException e) {
            throw new GuliException("cannot read the files of " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void hashFile(MessageDigest d, File base, File f) {
        if (!f.isFile()) {
            return;
        }
        update(d, base.toPath().relativize(f.toPath()).toString());
        try {
            d.update(Files.readAllBytes(f.toPath()));
        } catch (IOException e) {
            throw new GuliException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    private static void update(MessageDigest d, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        d.update((b.length + ":").getBytes(StandardCharsets.UTF_8));
        d.update(b);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
