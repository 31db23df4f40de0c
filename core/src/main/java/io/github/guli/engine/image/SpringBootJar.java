package io.github.guli.engine.image;

import io.github.guli.engine.GuliException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/**
 * A Spring Boot fat jar split into its layers the way {@code java -Djarmode=tools extract --layers --launcher}
 * does it, in plain Java so that the agent needs no JVM option nor the jar's own tools: each layer becomes a
 * folder holding the jar's entries at their paths, ready for one {@code COPY} each and for running the exploded
 * application with the jar's launcher ({@code Main-Class}).
 *
 * <p>The layers come from {@code BOOT-INF/layers.idx} (Spring Boot 2.3 and later); a jar without it (Spring Boot
 * 2.2 and older, such as the course's 2.1.8 services) is split by Spring Boot's default rules. Every file and
 * folder gets the same fixed time and permissions, so an unchanged layer has the same bytes in every build, on
 * every agent, and the registry already has it.
 */
public final class SpringBootJar {
    /** The layers, least likely to change first, as Spring Boot's default layering orders them. */
    static final List<String> DEFAULT_LAYERS =
            List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application");
    /**
     * The folder in the image that holds the exploded application. Each layer's folder holds it, with the
     * layer's entries below, and is copied to the image's root: so the layer brings {@code /app} with a fixed time
     * too. Copied into an existing {@code /app} instead, the engine would give that folder the time of the build
     * and no layer would have the same bytes twice.
     */
    public static final String APP_DIR = "app";
    /** 1980-01-01T00:00:00Z, the earliest time a zip entry can hold: what reproducible builds use too. */
    static final FileTime FIXED_TIME = FileTime.from(Instant.parse("1980-01-01T00:00:00Z"));

    private static final Pattern LAYER_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");
    private static final int MAX_LAYERS = 32;
    private static final Pattern CLASS_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");

    private final Path jar;
    private final String mainClass;

    private SpringBootJar(Path jar, String mainClass) {
        this.jar = jar;
        this.mainClass = mainClass;
    }

    /** The jar as a Spring Boot fat jar, or null when it is not one. */
    public static SpringBootJar open(Path jar) {
        try (JarFile j = new JarFile(jar.toFile())) {
            Manifest m = j.getManifest();
            Attributes a = m == null ? null : m.getMainAttributes();
            if (a == null
                    || a.getValue("Start-Class") == null
                    || j.stream().noneMatch(e -> e.getName().startsWith("BOOT-INF/"))) {
                return null;
            }
            String main = a.getValue("Main-Class");
            if (main == null) {
                return null;
            }
            if (!CLASS_NAME.matcher(main).matches()) {
                // it becomes the image's entry point
                throw new GuliException("the jar " + jar + " names Main-Class '" + main + "', which is not a Java "
                        + "class name: rebuild it with spring-boot-maven-plugin");
            }
            return new SpringBootJar(jar, main);
        } catch (IOException e) {
            return null; // not a readable jar, so not a Spring Boot one
        }
    }

    /** The launcher the exploded layers run with, e.g. org.springframework.boot.loader.launch.JarLauncher. */
    public String mainClass() {
        return mainClass;
    }

    public Path path() {
        return jar;
    }

    /**
     * Writes each non-empty layer to {@code dir/<layer>/app/} (the folder is emptied first) and returns the layers
     * written, in image order.
     */
    public List<String> extractLayers(Path dir) {
        return extractLayers(dir, Limits.DEFAULT);
    }

    List<String> extractLayers(Path dir, Limits limits) {
        try (Contents c = contents(limits)) {
            deleteRecursively(dir);
            Files.createDirectories(dir);
            for (Map.Entry<String, List<String>> layer : c.layers().entrySet()) {
                Path root = dir.resolve(layer.getKey()).resolve(APP_DIR);
                for (String name : layer.getValue()) {
                    Path target = root.resolve(name).normalize();
                    if (!target.startsWith(root)) {
                        throw unsafeEntry(name); // names are checked already: this is the last line of defence
                    }
                    Files.createDirectories(target.getParent());
                    try (InputStream in = c.read(name)) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            normalize(dir);
            return List.copyOf(c.layers().keySet());
        } catch (IOException e) {
            throw new GuliException(
                    "cannot split the jar " + jar + " into layers in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The jar opened for reading by layer; its entry names, layer names and sizes are checked. */
    Contents contents(Limits limits) throws IOException {
        return new Contents(new JarFile(jar.toFile()), limits);
    }

    /**
     * How much a jar may unpack to: far more than any service's jar (the course's are under 100 MB), far less than
     * a zip bomb, whose few kilobytes inflate to gigabytes.
     */
    record Limits(int entries, long bytes) {
        static final Limits DEFAULT = new Limits(100_000, 2L << 30);
    }

    /** The jar's files grouped by layer: non-empty layers in image order, each one's names sorted. */
    final class Contents implements AutoCloseable {
        private final JarFile file;
        private final Limits limits;
        private final Map<String, List<String>> layers = new LinkedHashMap<>();
        private long bytesRead;

        private Contents(JarFile file, Limits limits) throws IOException {
            this.file = file;
            this.limits = limits;
            try {
                Layers index = Layers.of(file);
                Map<String, List<String>> all = new LinkedHashMap<>();
                index.names().forEach(n -> all.put(n, new ArrayList<>()));
                int count = 0;
                long declared = 0;
                for (Enumeration<? extends ZipEntry> e = file.entries(); e.hasMoreElements(); ) {
                    ZipEntry entry = e.nextElement();
                    if (++count > limits.entries()) {
                        throw tooBig(limits.entries() + " entries");
                    }
                    if (entry.isDirectory()) {
                        continue; // folders are made for the files they hold
                    }
                    declared += Math.max(entry.getSize(), 0);
                    if (declared > limits.bytes()) {
                        throw tooBig((limits.bytes() >> 20) + " MiB");
                    }
                    String name = entry.getName();
                    if (entry.getSize() < 0) {
                        throw new GuliException("the jar " + jar + " does not say the size of '" + name
                                + "': rebuild it with spring-boot-maven-plugin");
                    }
                    if (name.startsWith("/") || name.contains("..") || name.contains("\\") || name.isEmpty()) {
                        throw unsafeEntry(name);
                    }
                    all.get(index.layerOf(name)).add(name);
                }
                all.forEach((layer, names) -> {
                    if (!names.isEmpty()) {
                        names.sort(null);
                        layers.put(layer, names);
                    }
                });
            } catch (IOException | RuntimeException e) {
                file.close();
                throw e;
            }
        }

        Map<String, List<String>> layers() {
            return layers;
        }

        /** The size the jar declares for an entry. */
        long size(String name) {
            return file.getEntry(name).getSize();
        }

        /** An entry's bytes; reading past the jar's byte limit (counted over every entry read) fails. */
        InputStream read(String name) throws IOException {
            ZipEntry entry = file.getEntry(name);
            if (entry == null) {
                throw new IOException("no entry " + name);
            }
            return new FilterInputStream(file.getInputStream(entry)) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    count(b < 0 ? 0 : 1);
                    return b;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    int n = super.read(buf, off, len);
                    count(Math.max(n, 0));
                    return n;
                }
            };
        }

        private void count(int n) {
            bytesRead += n;
            if (bytesRead > limits.bytes()) {
                throw tooBig((limits.bytes() >> 20) + " MiB");
            }
        }

        private GuliException tooBig(String limit) {
            return new GuliException("the jar " + jar + " unpacks to more than " + limit + ": it is not a service's "
                    + "jar (a zip bomb?). Rebuild it with spring-boot-maven-plugin, or give a Dockerfile");
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }

    private GuliException unsafeEntry(String name) {
        return new GuliException("the jar " + jar + " holds an entry with an unsafe path '" + name
                + "': rebuild it with spring-boot-maven-plugin");
    }

    /** Same time and permissions everywhere: rw-r--r-- files, rwxr-xr-x folders. */
    private static void normalize(Path dir) throws IOException {
        var fileMode = PosixFilePermissions.fromString("rw-r--r--");
        var dirMode = PosixFilePermissions.fromString("rwxr-xr-x");
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.setPosixFilePermissions(file, fileMode);
                Files.setLastModifiedTime(file, FIXED_TIME);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                // after its content, whose writing changed the folder's time
                Files.setPosixFilePermissions(d, dirMode);
                Files.setLastModifiedTime(d, FIXED_TIME);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * A layer name becomes a folder of the build directory and a word of the generated Dockerfile: only a simple
     * name is taken.
     */
    static void checkLayerName(String name, String source) {
        if (!LAYER_NAME.matcher(name).matches()) {
            throw new GuliException(source + " names a layer '" + name + "': a layer name is letters, digits, '.', "
                    + "'_' and '-' (not starting with '.' or '-', no '/'), as spring-boot-maven-plugin writes them. "
                    + "Rebuild the jar, or fix the layers configuration");
        }
    }

    /** Which layer an entry belongs to: the jar's index, or Spring Boot's default rules. */
    record Layers(List<String> names, Map<String, List<String>> index) {
        static Layers of(JarFile j) throws IOException {
            String location = "BOOT-INF/layers.idx";
            String declared = j.getManifest().getMainAttributes().getValue("Spring-Boot-Layers-Index");
            if (declared != null) {
                location = declared;
            }
            ZipEntry idx = j.getEntry(location);
            if (idx == null) {
                return new Layers(DEFAULT_LAYERS, null);
            }
            Map<String, List<String>> index = new LinkedHashMap<>();
            List<String> current = null;
            try (InputStream in = j.getInputStream(idx)) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    String l = line.strip();
                    if (l.startsWith("- \"") && l.endsWith("\":")) {
                        current = new ArrayList<>();
                        index.put(l.substring(3, l.length() - 2), current);
                    } else if (l.startsWith("- \"") && l.endsWith("\"") && current != null) {
                        current.add(l.substring(3, l.length() - 1));
                    }
                }
            }
            if (index.isEmpty()) {
                throw new GuliException("the jar's " + location + " lists no layer: rebuild the jar with "
                        + "spring-boot-maven-plugin, or give a Dockerfile");
            }
            if (index.size() > MAX_LAYERS) {
                throw new GuliException("the jar's " + location + " lists " + index.size() + " layers, more than "
                        + MAX_LAYERS + ": merge layers in the layers configuration of spring-boot-maven-plugin");
            }
            for (String name : index.keySet()) {
                checkLayerName(name, "the jar's " + location);
            }
            return new Layers(List.copyOf(index.keySet()), index);
        }

        String layerOf(String entry) {
            if (index == null) {
                if (entry.startsWith("BOOT-INF/lib/")) {
                    return entry.contains("SNAPSHOT") ? "snapshot-dependencies" : "dependencies";
                }
                if (entry.startsWith("org/springframework/boot/loader/")) {
                    return "spring-boot-loader";
                }
                return "application";
            }
            for (Map.Entry<String, List<String>> layer : index.entrySet()) {
                for (String prefix : layer.getValue()) {
                    if (entry.equals(prefix) || prefix.endsWith("/") && entry.startsWith(prefix)) {
                        return layer.getKey();
                    }
                }
            }
            return names.get(names.size() - 1); // what the index does not name is the application's own
        }
    }
}
