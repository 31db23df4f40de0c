package io.github.guli.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.GuliException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Splitting a fat jar: by its layers.idx, or by Spring Boot's default rules for jars from before 2.3. */
class SpringBootJarTest {
    @TempDir
    Path dir;

    private Path jar(String name, boolean withIndex, String... entries) throws Exception {
        return jar(name, withIndex ? INDEX : null, entries);
    }

    private static final String INDEX =
            "- \"dependencies\":\n  - \"BOOT-INF/lib/a.jar\"\n- \"spring-boot-loader\":\n  - \"org/\"\n"
                    + "- \"snapshot-dependencies\":\n  - \"BOOT-INF/lib/b-1.0-SNAPSHOT.jar\"\n- \"application\":\n"
                    + "  - \"BOOT-INF/classes/\"\n  - \"BOOT-INF/layers.idx\"\n  - \"META-INF/\"\n";

    private Path jar(String name, String index, String... entries) throws Exception {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "org.springframework.boot.loader.JarLauncher");
        m.getMainAttributes().putValue("Start-Class", "com.atguigu.gulimall.Demo");
        Path p = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(p);
                JarOutputStream j = new JarOutputStream(out, m)) {
            for (String e : entries) {
                j.putNextEntry(new JarEntry(e));
                j.write(e.getBytes());
            }
            if (index != null) {
                j.putNextEntry(new JarEntry("BOOT-INF/layers.idx"));
                j.write(index.getBytes());
            }
        }
        return p;
    }

    private static List<String> files(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString())
                    .sorted()
                    .toList();
        }
    }

    @Test
    void followsTheLayersIndexAndFixesTimesAndModes() throws Exception {
        SpringBootJar j = SpringBootJar.open(jar(
                "app.jar",
                true,
                "BOOT-INF/lib/a.jar",
                "BOOT-INF/lib/b-1.0-SNAPSHOT.jar",
                "org/springframework/boot/loader/Launcher.class",
                "BOOT-INF/classes/com/atguigu/App.class"));
        assertThat(j.mainClass()).isEqualTo("org.springframework.boot.loader.JarLauncher");
        Path out = dir.resolve("ctx");
        assertThat(j.extractLayers(out))
                .containsExactly("dependencies", "spring-boot-loader", "snapshot-dependencies", "application");
        assertThat(files(out.resolve("dependencies"))).containsExactly("app/BOOT-INF/lib/a.jar");
        assertThat(files(out.resolve("snapshot-dependencies"))).containsExactly("app/BOOT-INF/lib/b-1.0-SNAPSHOT.jar");
        assertThat(files(out.resolve("application")))
                .containsExactly(
                        "app/BOOT-INF/classes/com/atguigu/App.class",
                        "app/BOOT-INF/layers.idx",
                        "app/META-INF/MANIFEST.MF");
        try (Stream<Path> s = Files.walk(out.resolve("dependencies"))) {
            for (Path p : s.toList()) {
                assertThat(Files.getLastModifiedTime(p)).as(p.toString()).isEqualTo(SpringBootJar.FIXED_TIME);
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
                        .isEqualTo(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--");
            }
        }
    }

    @Test
    void aJarWithoutIndexIsSplitByTheDefaultRules() throws Exception {
        SpringBootJar j = SpringBootJar.open(jar(
                "old.jar",
                false,
                "BOOT-INF/lib/a.jar",
                "BOOT-INF/lib/b-1.0-SNAPSHOT.jar",
                "org/springframework/boot/loader/JarLauncher.class",
                "BOOT-INF/classes/application.yml"));
        Path out = dir.resolve("ctx");
        assertThat(j.extractLayers(out))
                .containsExactly("dependencies", "spring-boot-loader", "snapshot-dependencies", "application");
        assertThat(files(out.resolve("application")))
                .containsExactly("app/BOOT-INF/classes/application.yml", "app/META-INF/MANIFEST.MF");
    }

    @Test
    void aPlainJarIsNotASpringBootJar() throws Exception {
        Path plain = dir.resolve("plain.jar");
        try (OutputStream out = Files.newOutputStream(plain);
                JarOutputStream j = new JarOutputStream(out)) {
            j.putNextEntry(new JarEntry("a/B.class"));
        }
        assertThat(SpringBootJar.open(plain)).isNull();
        Files.writeString(dir.resolve("notajar.jar"), "text");
        assertThat(SpringBootJar.open(dir.resolve("notajar.jar"))).isNull();
    }

    @Test
    void aLayerNameThatIsNotASimpleNameIsRefusedAndNothingIsWrittenOutside() throws Exception {
        for (String evil : List.of("../escaped", "/abs", "a/b", "x y", "..")) {
            Path j = jar("evil.jar", "- \"" + evil + "\":\n  - \"BOOT-INF/\"\n", "BOOT-INF/classes/App.class");
            Path out = dir.resolve("build").resolve("ctx");
            assertThatThrownBy(() -> SpringBootJar.open(j).extractLayers(out))
                    .as(evil)
                    .isInstanceOf(GuliException.class)
                    .hasMessageContaining("names a layer '" + evil + "'")
                    .hasMessageContaining("a layer name is letters, digits");
            assertThat(dir.resolve("build/escaped")).doesNotExist();
            assertThat(dir.resolve("abs")).doesNotExist();
            Files.delete(j);
        }
    }

    @Test
    void aZipBombFailsClearlyWhileUnpacking() throws Exception {
        // 64 MiB of zeros deflate to 64 KiB; the jar says their size, the limit is 16 MiB
        Path bomb = jar("bomb.jar", INDEX, "BOOT-INF/classes/App.class");
        try (java.nio.file.FileSystem zip = java.nio.file.FileSystems.newFileSystem(bomb)) {
            Files.createDirectories(zip.getPath("BOOT-INF/lib"));
            try (OutputStream out = Files.newOutputStream(zip.getPath("BOOT-INF/lib/a.jar"))) {
                byte[] zeros = new byte[1 << 20];
                for (int i = 0; i < 64; i++) {
                    out.write(zeros);
                }
            }
        }
        assertThat(Files.size(bomb)).isLessThan(1 << 20);
        SpringBootJar j = SpringBootJar.open(bomb);
        assertThatThrownBy(() -> j.extractLayers(dir.resolve("ctx"), new SpringBootJar.Limits(1000, 16 << 20)))
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("unpacks to more than 16 MiB")
                .hasMessageContaining("zip bomb");
        assertThatThrownBy(() -> j.extractLayers(dir.resolve("ctx"), new SpringBootJar.Limits(2, 1L << 30)))
                .hasMessageContaining("unpacks to more than 2 entries");
        assertThat(SpringBootJar.Limits.DEFAULT.bytes())
                .as("the default byte limit")
                .isEqualTo(2L << 30);
    }

    @Test
    void aMainClassThatIsNotAClassNameIsRefused() throws Exception {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "x\", \"--evil");
        m.getMainAttributes().putValue("Start-Class", "a.B");
        Path p = dir.resolve("main.jar");
        try (OutputStream out = Files.newOutputStream(p);
                JarOutputStream j = new JarOutputStream(out, m)) {
            j.putNextEntry(new JarEntry("BOOT-INF/classes/a/B.class"));
        }
        assertThatThrownBy(() -> SpringBootJar.open(p))
                .hasMessageContaining("names Main-Class 'x\", \"--evil', which is " + "not a Java class name");
    }
}
