package io.github.guli.engine.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Maven's class-data archive, made and mapped by the real JVM of this JDK: reused only as recorded, a changed byte
 * found and the archive made again rather than mapped, and another JDK given an archive of its own.
 */
class MavenClassArchiveTest {
    @TempDir
    Path tmp;

    private final List<String> log = new ArrayList<>();
    private final Map<String, String> env = Map.of("JAVA_HOME", System.getProperty("java.home"), "PATH", "/usr/bin");

    private MavenClassArchive prepared(Path dir, Map<String, String> recorded, Map<String, String> env) {
        MavenClassArchive a = new MavenClassArchive(dir, recorded);
        a.prepare(env, "mvn", null, tmp.toFile(), log::add);
        return a;
    }

    /**
     * The JVM of this JDK run with the options, as Maven's script runs it (a jar on the class path, which is what the
     * JVM archives), its class loading logged.
     */
    private String java(String mavenOpts) throws Exception {
        Path jar = tmp.resolve("hello.jar");
        String entry = Hello.class.getName().replace('.', '/') + ".class";
        if (Files.exists(jar)) {
            return run(mavenOpts, jar); // the same jar: the JVM refuses an archive whose class path changed
        }
        try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(jar));
                InputStream c = Hello.class.getClassLoader().getResourceAsStream(entry)) {
            j.putNextEntry(new JarEntry(entry));
            c.transferTo(j);
        }
        return run(mavenOpts, jar);
    }

    private static String run(String mavenOpts, Path jar) throws Exception {
        List<String> cmd = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(mavenOpts.split(" ")));
        cmd.addAll(List.of("-Xlog:class+load", "-cp", jar.toString(), Hello.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    /** What the archived JVM runs: a class of the application class path, which the archive holds. */
    public static final class Hello {
        public static void main(String[] args) {
            System.out.println("hello");
        }
    }

    @Test
    void madeOnceThenMappedAsRecordedAndAChangedByteIsFoundAndMadeAgainNotMapped() throws Exception {
        Path dir = tmp.resolve("ws@tmp/guli-cds");
        MavenClassArchive first = prepared(dir, null, env);
        assertThat(log).singleElement().asString().contains("Maven's JVM writes a class-data archive of the classes");
        log.clear();
        String making = first.mavenOpts("-Xmx256m");
        assertThat(making).startsWith("-Xmx256m -XX:ArchiveClassesAtExit=" + dir + File.separator);
        assertThat(first.mavenOpts("-Xmx256m"))
                .as("only the first run makes it")
                .isEqualTo("-Xmx256m");
        java(making.substring("-Xmx256m ".length()));
        Map<String, String> record = first.record(true);
        assertThat(record).hasSize(1);
        String name = record.keySet().iterator().next();
        assertThat(name).matches("[0-9a-f]{64}\\.jsa");
        Path archive = dir.resolve(name);
        assertThat(record.get(name)).startsWith(sha256(archive) + " " + Files.size(archive) + ":");

        MavenClassArchive second = prepared(dir, record, env);
        String mapping = second.mavenOpts(null);
        assertThat(mapping).isEqualTo("-XX:SharedArchiveFile=" + archive + " -Xshare:auto");
        assertThat(log).containsExactly("the class-data archive of Maven's JVM " + archive + " is as recorded: mapped");
        assertThat(java(mapping))
                .containsPattern("MavenClassArchiveTest\\$Hello source: shared objects file \\(top\\)");
        assertThat(second.record(true)).isEqualTo(record);

        // one byte changed, the size kept: what the JVM would map as code
        byte[] b = Files.readAllBytes(archive);
        b[b.length / 2] ^= 1;
        Files.write(archive, b);
        log.clear();
        MavenClassArchive third = prepared(dir, record, env);
        assertThat(log)
                .first()
                .asString()
                .contains(archive + " does not match the SHA-256 recorded when it was made")
                .endsWith("; discarded, Maven's JVM makes it again");
        assertThat(archive).doesNotExist();
        assertThat(third.mavenOpts(null)).isEqualTo("-XX:ArchiveClassesAtExit=" + archive + " -Xlog:cds=off");
        assertThat(third.record(false)).as("a failed build keeps none it made").isEmpty();
        assertThat(new MavenClassArchive(dir, record).record(false))
                .as("a build that ended before Maven ran keeps the record")
                .isEqualTo(record);
    }

    @Test
    void anArchiveWithNoRecordIsNotMapped() throws Exception {
        Path dir = tmp.resolve("cds");
        MavenClassArchive first = prepared(dir, null, env);
        String making = first.mavenOpts(null);
        Path archive = Path.of(making.split(" ")[0].substring("-XX:ArchiveClassesAtExit=".length()));
        Files.createDirectories(dir);
        Files.writeString(archive, "an archive a build wrote");
        Files.writeString(dir.resolve("other.jsa"), "a leftover");
        log.clear();

        MavenClassArchive second = prepared(dir, Map.of(), env);
        assertThat(second.mavenOpts(null)).isEqualTo(making);
        assertThat(log).first().asString().contains(" was not made by an earlier build");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void anotherJdkHasAnotherArchiveAndAnOldOrUnreadableOneNone() throws Exception {
        Path jdk17 = jdk("17.0.15");
        Path jdk17u = jdk("17.0.16");
        Path dir = tmp.resolve("cds");
        MavenClassArchive a = prepared(dir, null, Map.of("JAVA_HOME", jdk17.toString()));
        String one = a.mavenOpts(null);
        Files.writeString(Path.of(one.split(" ")[0].substring(one.indexOf('=') + 1)), "made by 17.0.15");
        Map<String, String> record = a.record(true);

        MavenClassArchive b = prepared(dir, record, Map.of("JAVA_HOME", jdk17u.toString()));
        String other = b.mavenOpts(null);
        assertThat(other).startsWith("-XX:ArchiveClassesAtExit=").isNotEqualTo(one);
        assertThat(dir).as("the other JDK's archive deleted").isEmptyDirectory();

        assertThat(prepared(dir, null, Map.of("JAVA_HOME", jdk("11.0.2").toString()))
                        .mavenOpts("-Xmx1g"))
                .as("a JDK that does not know the options")
                .isEqualTo("-Xmx1g");
        assertThat(prepared(dir, null, Map.of("PATH", tmp.resolve("nowhere").toString()))
                        .mavenOpts(null))
                .as("no JDK found here")
                .isNull();
    }

    /** A JDK's home as the archive reads it: its release file and its java executable. */
    private Path jdk(String version) throws Exception {
        Path home = Files.createDirectories(tmp.resolve("jdk-" + version));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    private static String sha256(Path f) throws Exception {
        return java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }
}
