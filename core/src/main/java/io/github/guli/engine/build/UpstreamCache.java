package io.github.guli.engine.build;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.maven.Reactor;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The jars of the modules a service is built from (gulimall-common), kept per workspace under a hash of everything
 * that makes them: their files, the poms they inherit, {@code .mvn/}, the Maven command. When the hash of a build's
 * upstream modules is one already kept, Maven builds the service alone ({@code -pl M}, no {@code -am}) and a core
 * extension ({@code io.github.guli.mavenext.UpstreamReader}) resolves those modules to the kept jars: an unchanged
 * gulimall-common is neither compiled, tested, packaged nor installed again. Any change to them is a new hash, so
 * they are built with {@code -am} (and kept afterwards). Nothing is written to the local Maven repository.
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

    private final Path root;

    /** @param root the workspace's own directory for it, e.g. {@code <workspace>@tmp/guli-upstream} */
    UpstreamCache(Path root) {
        this.root = root;
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
        String hash = HexFormat.of().formatHex(d.digest());
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

    /** The extension as a jar of its own (Maven loads it into its core: nothing else of the engine goes there). */
    private Path extensionJar() {
        try (InputStream in = UpstreamCache.class.getClassLoader().getResourceAsStream(EXTENSION)) {
            if (in == null) {
                throw new GuliException("the engine lacks " + EXTENSION + ": it was built without src/maven-ext");
            }
            byte[] bytes = in.readAllBytes();
            Path jar = Files.createDirectories(root)
                    .resolve("guli-maven-extension-"
                            + HexFormat.of().formatHex(sha256().digest(bytes)).substring(0, 16) + ".jar");
            if (!Files.isRegularFile(jar)) {
                Path tmp = Files.createTempFile(root, "extension", ".jar");
                try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(tmp))) {
                    out.putNextEntry(new JarEntry(EXTENSION));
                    out.write(bytes);
                    // Maven's container (Sisu) finds @Named components through this index
                    out.putNextEntry(new JarEntry("META-INF/sisu/javax.inject.Named"));
                    out.write("io.github.guli.mavenext.UpstreamReader\n".getBytes(StandardCharsets.UTF_8));
                }
                Files.move(tmp, jar, StandardCopyOption.ATOMIC_MOVE);
            }
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

    /** Every file below {@code dir} but build output ({@code target/}) and hidden ones, in a fixed order. */
    private static void hashTree(MessageDigest d, File base, File dir) {
        if (!dir.isDirectory()) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir.toPath())) {
            files.filter(Files::isRegularFile)
                    .filter(f -> isSource(dir.toPath().relativize(f)))
                    .sorted()
                    .forEach(f -> hashFile(d, base, f.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Not build output (a {@code target/} of the module or below) and not hidden (.git, .idea, .classpath). */
    private static boolean isSource(Path relative) {
        for (Path part : relative) {
            String name = part.toString();
            if (name.equals("target") || name.startsWith(".")) {
                return false;
            }
        }
        return true;
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
