package io.github.guli.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of the guli command line, as the tests make it: as its own process (what a user runs, and what the
 * process-argument checks need), or in-process (fast, for output checks). Secrets reach it only through {@code env}.
 */
record GuliRun(int exit, String out, String err) {
    String all() {
        return out + err;
    }

    /** {@code java -cp <test classpath> Main args} in {@code dir} (null: the current directory), bounded by {@code limit}. */
    static GuliRun process(Path dir, Map<String, String> env, Duration limit, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        // only what the test gives: none of the developer's own GULI_* or SONAR_* settings
        pb.environment()
                .keySet()
                .removeIf(k -> k.startsWith("SONAR_")
                        || k.startsWith("GULI_") && !k.startsWith("GULI_TEST") && !k.equals("GULI_SERVICES_DIR"));
        pb.environment().putAll(env);
        File out = File.createTempFile("guli-out", ".txt");
        File err = File.createTempFile("guli-err", ".txt");
        try {
            Process p = pb.redirectOutput(out).redirectError(err).start();
            assertThat(p.waitFor(limit.toSeconds(), TimeUnit.SECONDS))
                    .as("guli finished")
                    .isTrue();
            return new GuliRun(
                    p.exitValue(),
                    Files.readString(out.toPath(), StandardCharsets.UTF_8),
                    Files.readString(err.toPath(), StandardCharsets.UTF_8));
        } finally {
            out.delete();
            err.delete();
        }
    }

    /** {@code Main.run} in this JVM with {@code env} as the whole environment. */
    static GuliRun inProcess(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(
                List.of(args),
                env,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new GuliRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
