package io.github.guli.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The GuliMall-like fixture (test/fixtures/gulimall: a parent, gulimall-common and services depending on it),
 * copied to a test's own directory so the test can break it as it needs.
 */
public final class GuliMall {
    private GuliMall() {}

    /** test/fixtures/gulimall of this checkout. */
    public static Path source() {
        String p = System.getProperty("guli.fixtures");
        Path fixtures = p != null ? Path.of(p) : Path.of("..", "test", "fixtures");
        Path gulimall = fixtures.resolve("gulimall").toAbsolutePath().normalize();
        if (!Files.isRegularFile(gulimall.resolve("pom.xml"))) {
            throw new IllegalStateException("the GuliMall fixture is not at " + gulimall);
        }
        return gulimall;
    }

    /** A fresh copy in {@code dest} (created), without build output. */
    public static Path copy(Path dest) {
        Path src = source();
        try (Stream<Path> files = Files.walk(src)) {
            files.filter(f -> !src.relativize(f).toString().matches("(.*/)?target(/.*)?"))
                    .forEach(f -> {
                        try {
                            Path to = dest.resolve(src.relativize(f).toString());
                            if (Files.isDirectory(f)) {
                                Files.createDirectories(to);
                            } else {
                                Files.copy(f, to);
                            }
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dest;
    }

    /** Replaces text in a file of a copy; fails when the text is not there (the fixture changed). */
    public static void edit(Path copy, String file, String from, String to) {
        Path f = copy.resolve(file);
        try {
            String s = Files.readString(f, StandardCharsets.UTF_8);
            if (!s.contains(from)) {
                throw new IllegalStateException(file + " does not contain " + from);
            }
            Files.writeString(f, s.replace(from, to), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(Path copy, String file, String content) {
        try {
            Path f = copy.resolve(file);
            Files.createDirectories(f.getParent());
            Files.writeString(f, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
