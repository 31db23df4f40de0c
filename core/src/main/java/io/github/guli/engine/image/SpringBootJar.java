package io.github.guli.engine.image;

import io.github.guli.engine.GuliException;
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
    static final List<String> DEFAULT_LAYERS = List.of("dependencies", "spring-boot-loader", "snapshot-dependencies",
            "application");
    /**
     * The folder in the image that holds the exploded application. Each layer's folder holds it, with the
     * layer's entries below, and is copied to the image's root: so the layer brings {@code /app} with a fixed time
     * too. Copied into an existing {@code /app} instead, the engine would give that folder the time of the build
     * and no layer would have the same bytes twice.
     */
    public static final String APP_DIR = "app";
    /** 1980-01-01T00:00:00Z, the earliest time a zip entry can hold: what reproducible builds use too. */
    static final FileTime FIXED_TIME = FileTime.from(Instant.parse("1980-01-01T00:00:00Z"));

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
            if (a == null || a.getValue("Start-Class") == null
                    || j.stream().noneMatch(e -> e.getName().startsWith("BOOT-INF/"))) {
                return null;
            }
            String main = a.getValue("Main-Class");
            if (main == null) {
                return null;
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
        try (JarFile j = new JarFile(jar.toFile())) {
            Layers layers = Layers.of(j);
            deleteRecursively(dir);
            Files.createDirectories(dir);
            Map<String, Integer> written = new LinkedHashMap<>();
            layers.names().forEach(n -> written.put(n, 0));
            for (Enumeration<? extends ZipEntry> e = j.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                if (entry.isDirectory()) {
                    continue; // folders are made for the files they hold
                }
                String name = entry.getName();
                if (name.startsWith("/") || name.contains("..") || name.contains("\\")) {
                    throw new GuliException("the jar " + jar + " holds an entry with an unsafe path '" + name
                            + "': rebuild it with spring-boot-maven-plugin");
                }
                String layer = layers.layerOf(name);
                Path target = dir.resolve(layer).resolve(APP_DIR).resolve(name);
                Files.createDirectories(target.getParent());
                try (InputStream in = j.getInputStream(entry)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
                written.merge(layer, 1, Integer::sum);
            }
            List<String> result = new ArrayList<>();
            written.forEach((layer, count) -> {
                if (count > 0) {
                    result.add(layer);
                }
            });
            normalize(dir);
            return result;
        } catch (IOException e) {
            throw new GuliException("cannot split the jar " + jar + " into layers in " + dir + ": " + e.getMessage(), e);
        }
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
