package io.github.guli.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The Spring Boot 3.5 service of test/fixtures/springboot-service, packaged once per test run with Maven (its
 * fat jar, about 50 MB, with the dependencies of a GuliMall service).
 */
public final class SpringBootFixture {
    private static Path jar;

    private SpringBootFixture() {
    }

    public static Path project() {
        Path dir = Path.of(System.getProperty("user.dir"));
        while (dir != null && !Files.isDirectory(dir.resolve("test/fixtures/springboot-service"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("test/fixtures/springboot-service not found above " + System.getProperty("user.dir"));
        }
        return dir.resolve("test/fixtures/springboot-service");
    }

    /** The packaged jar; built on first use. */
    public static synchronized Path jar() throws Exception {
        if (jar == null) {
            Path project = project();
            File log = File.createTempFile("fixture-mvn", ".log");
            Process p = new ProcessBuilder("mvn", "-B", "-q", "-f", project.resolve("pom.xml").toString(), "package",
                    "-DskipTests").redirectErrorStream(true).redirectOutput(log).start();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("packaging the Spring Boot fixture failed:\n" + Files.readString(log.toPath()));
            }
            log.delete();
            jar = project.resolve("target/gulimall-demo.jar");
        }
        return jar;
    }
}
