package io.github.guli.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Spring Boot 3.5 service of test/fixtures/springboot-service, packaged once per test run with Maven (its
 * fat jar, about 50 MB, with the dependencies of a GuliMall service).
 */
public final class SpringBootFixture {
    private static Path jar;

    private SpringBootFixture() {}

    public static Path project() {
        Path dir = Path.of(System.getProperty("user.dir"));
        while (dir != null && !Files.isDirectory(dir.resolve("test/fixtures/springboot-service"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException(
                    "test/fixtures/springboot-service not found above " + System.getProperty("user.dir"));
        }
        return dir.resolve("test/fixtures/springboot-service");
    }

    /** The packaged jar; built on first use. */
    public static synchronized Path jar() throws Exception {
        if (jar == null) {
            jar = packageProject(project());
        }
        return jar;
    }

    /**
     * The jar of the fixture with one line of its code changed (the greeting ends with {@code suffix}), packaged in
     * a copy of the project under {@code dir}: what a developer's one-line commit gives the next build.
     */
    public static Path jarWithOneLineChanged(Path dir, String suffix) throws Exception {
        Path copy = dir.resolve("springboot-service");
        Path source = project();
        try (Stream<Path> files = Files.walk(source)) {
            for (Path f : files.filter(f -> !source.relativize(f).startsWith("target"))
                    .toList()) {
                Path to = copy.resolve(source.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        Path greeting = copy.resolve("src/main/java/io/github/guli/fixture/Greeting.java");
        String text = Files.readString(greeting);
        String changed = text.replace("\"hello from gulimall-demo\"", "\"hello from gulimall-demo" + suffix + "\"");
        if (changed.equals(text)) {
            throw new IllegalStateException("the greeting line of " + greeting + " is not where the fixture keeps it");
        }
        Files.writeString(greeting, changed);
        return packageProject(copy);
    }

    private static Path packageProject(Path project) throws Exception {
        File log = File.createTempFile("fixture-mvn", ".log");
        Process p = new ProcessBuilder(
                        "mvn", "-B", "-q", "-f", project.resolve("pom.xml").toString(), "package", "-DskipTests")
                .redirectErrorStream(true)
                .redirectOutput(log)
                .start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(
                    "packaging the Spring Boot fixture failed:\n" + Files.readString(log.toPath()));
        }
        log.delete();
        return project.resolve("target/gulimall-demo.jar");
    }
}
