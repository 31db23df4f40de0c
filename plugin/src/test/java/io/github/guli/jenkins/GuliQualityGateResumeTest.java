package io.github.guli.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.ListenableFuture;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.github.guli.engine.build.BuildRequest;
import io.github.guli.engine.build.MavenBuild;
import io.github.guli.engine.process.LocalCommands;
import io.github.guli.engine.sonar.QualityGate;
import io.github.guli.engine.sonar.QualityGateRequest;
import io.github.guli.engine.sonar.ReportTask;
import io.github.guli.engine.sonar.SonarAnalysis;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jenkinsci.plugins.workflow.steps.BodyInvoker;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * guliQualityGate's wait survives a controller restart: the execution, as Pipeline saves it with the build's
 * program (Java serialization), is read back into a new object whose {@code onResume} takes the wait up again and
 * finishes it, against the real SonarQube and a real analysis.
 */
class GuliQualityGateResumeTest {
    /** Where the contexts report; keyed by context id, since a context is itself saved and read back. */
    static final Map<String, CompletableFuture<Object>> OUTCOMES = new ConcurrentHashMap<>();

    static final List<String> CONSOLE = Collections.synchronizedList(new ArrayList<>());
    /** Jenkins' timer in a real controller; a plain scheduler here. */
    static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor();

    @AfterAll
    static void stopTimer() {
        TIMER.shutdownNow();
    }

    /** A step context as CpsStepContext is to an execution: serializable, giving the run and its console. */
    static final class TestContext extends StepContext {
        private static final long serialVersionUID = 1L;
        final String id;
        private final transient FilePath workspace;
        private final transient EnvVars env;

        TestContext(String id) {
            this(id, null, null);
        }

        /** A context as a step's start sees it, with the workspace and the build's environment too. */
        TestContext(String id, FilePath workspace, EnvVars env) {
            this.id = id;
            this.workspace = workspace;
            this.env = env;
        }

        @Override
        public <T> T get(Class<T> key) throws IOException {
            if (key == TaskListener.class) {
                return key.cast((TaskListener) () -> new PrintStream(
                        new OutputStream() {
                            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

                            @Override
                            public void write(int b) {
                                if (b == '\n') {
                                    CONSOLE.add(line.toString(StandardCharsets.UTF_8));
                                    line.reset();
                                } else {
                                    line.write(b);
                                }
                            }
                        },
                        true,
                        StandardCharsets.UTF_8));
            }
            if (key == Run.class) {
                return key.cast(new TestRun());
            }
            if (key == FilePath.class) {
                return key.cast(workspace);
            }
            return key == EnvVars.class ? key.cast(env) : null;
        }

        @Override
        public void onSuccess(Object result) {
            OUTCOMES.get(id).complete(result);
        }

        @Override
        public void onFailure(Throwable t) {
            OUTCOMES.get(id).completeExceptionally(t);
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public ListenableFuture<Void> saveState() {
            return null;
        }

        @Override
        public void setResult(Result r) {
            throw new AssertionError("not used");
        }

        @Override
        public BodyInvoker newBodyInvoker() {
            throw new AssertionError("no body");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TestContext c && c.id.equals(id);
        }

        @Override
        public int hashCode() {
            return id.hashCode();
        }
    }

    /** The execution with the two things only a running Jenkins has: its timer and its credentials store. */
    static final class OnTestController extends GuliQualityGateExecution {
        private static final long serialVersionUID = 1L;

        OnTestController(StepContext context, QualityGate.Pending pending) {
            super(context, "sonar-token", pending);
        }

        @Override
        String token(Run<?, ?> run) {
            return sonarToken();
        }

        @Override
        ScheduledFuture<?> later(Runnable task, Duration delay) {
            return TIMER.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void aWaitSavedWithTheBuildIsTakenUpAfterARestartAndFinishes(@TempDir Path ws) throws Exception {
        String key = "guli-resume-" + UUID.randomUUID().toString().substring(0, 8);
        QualityGate.Pending pending = analyse(ws, key);
        String id = UUID.randomUUID().toString();
        OUTCOMES.put(id, new CompletableFuture<>());

        byte[] saved = serialize(new OnTestController(new TestContext(id), pending)); // the program, saved
        GuliQualityGateExecution resumed = deserialize(saved); // read back after the restart
        resumed.onResume();

        @SuppressWarnings("unchecked")
        Map<String, String> out = (Map<String, String>) OUTCOMES.get(id).get(5, TimeUnit.MINUTES);
        assertThat(out).containsEntry("status", "OK").containsEntry("projectKey", key);
        assertThat(CONSOLE)
                .anyMatch(l -> l.startsWith(
                        "[guliQualityGate] Jenkins restarted while waiting: looking at " + "the analysis of " + key
                                + " (task " + pending.task().ceTaskId() + ") on " + sonarUrl() + " again"));
        assertThat(new String(saved, StandardCharsets.ISO_8859_1))
                .as("no token is saved with the build")
                .doesNotContain(sonarToken())
                .as("nor the requests, which may hold one: the wait is saved as a QualityGate.Pending")
                .doesNotContain(QualityGateRequest.class.getName(), SonarAnalysis.class.getName())
                .contains(QualityGate.Pending.class.getName());
    }

    /**
     * The build had the token in its environment, and a report-task.txt is the build's file: one naming the token
     * as its task has it printed by the controller's own lines, after a restart too, and in the failure SonarQube's
     * answer brings. Each is masked.
     */
    @Test
    void theTokenInTheControllersLinesAndFailureIsMaskedAfterARestart() throws Exception {
        String key = "guli-mask-" + UUID.randomUUID().toString().substring(0, 8);
        String token = sonarToken();
        QualityGate.Pending pending = new QualityGate.Pending(
                sonarUrl(),
                new ReportTask(key, sonarUrl(), sonarUrl() + "/dashboard?id=" + key, token),
                key,
                System.currentTimeMillis() + 60_000,
                Duration.ofMinutes(1),
                null,
                null);
        String id = UUID.randomUUID().toString();
        OUTCOMES.put(id, new CompletableFuture<>());

        GuliQualityGateExecution resumed = deserialize(serialize(new OnTestController(new TestContext(id), pending)));
        resumed.onResume();

        assertThatThrownBy(() -> OUTCOMES.get(id).get(1, TimeUnit.MINUTES))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(AbortException.class)
                .hasMessageContaining("api/ce/task?id=****")
                .message()
                .doesNotContain(token);
        assertThat(CONSOLE)
                .contains("[guliQualityGate] Jenkins restarted while waiting: looking at the analysis of " + key
                        + " (task ****) on " + sonarUrl() + " again")
                .noneMatch(l -> l.contains(token));
    }

    /**
     * The execution's class name is in every saved build waiting for a gate: read back under that name, it is the
     * same execution (a rename would leave such builds unable to resume; see docs/releases.md).
     */
    @Test
    void aSavedWaitIsReadBackAsAGuliQualityGateExecution() throws Exception {
        String key = "guli-name-" + UUID.randomUUID().toString().substring(0, 8);
        QualityGate.Pending pending = new QualityGate.Pending(
                sonarUrl(),
                new ReportTask(key, sonarUrl(), sonarUrl() + "/dashboard?id=" + key, "AZ-task-1"),
                key,
                System.currentTimeMillis() + 60_000,
                Duration.ofMinutes(1),
                null,
                null);
        byte[] saved = serialize(new GuliQualityGateExecution(new TestContext("name"), "sonar-token", pending));

        assertThat(new String(saved, StandardCharsets.ISO_8859_1))
                .contains("io.github.guli.jenkins.GuliQualityGateExecution")
                .doesNotContain("GuliQualityGateStep$Execution");
        Object resumed = deserialize(saved);
        assertThat(resumed).isExactlyInstanceOf(GuliQualityGateExecution.class);
        assertThat(((GuliQualityGateExecution) resumed).getStatus())
                .isEqualTo("waiting for the quality gate of " + pending.what() + " on " + sonarUrl());
    }

    /** A real analysis of a one-class project: what guliBuild leaves in the workspace. */
    private static QualityGate.Pending analyse(Path ws, String key) throws Exception {
        Files.writeString(ws.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>com.atguigu.gulimall</groupId>
                  <artifactId>%s</artifactId>
                  <version>1.0</version>
                  <properties>
                    <maven.compiler.release>17</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                  <build>
                    <plugins>
                      <plugin>
                        <artifactId>maven-compiler-plugin</artifactId>
                        <version>3.13.0</version>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(key));
        Path src = Files.createDirectories(ws.resolve("src/main/java/com/atguigu/gulimall"));
        Files.writeString(src.resolve("Greeting.java"), """
                package com.atguigu.gulimall;

                public final class Greeting {
                    public String hello(String name) {
                        return "hello " + name;
                    }
                }
                """);
        List<String> build = Collections.synchronizedList(new ArrayList<>());
        new MavenBuild(build::add, build::add, new LocalCommands())
                .run(
                        ws.toFile(),
                        new BuildRequest()
                                .skipTests(true)
                                .sonar(new SonarAnalysis()
                                        .serverUrl(sonarUrl())
                                        .token(sonarToken())
                                        .projectKey(key)));
        return new QualityGate(line -> {})
                .pending(
                        ws.toFile(),
                        new QualityGateRequest()
                                .projectKey(key)
                                .serverUrl(sonarUrl())
                                .timeout(Duration.ofMinutes(10)));
    }

    /** The object as Pipeline saves a build's program. */
    static byte[] serialize(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    /** The saved object read back, as after a restart. */
    @SuppressWarnings("unchecked")
    static <T> T deserialize(byte[] bytes) throws Exception {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return (T) in.readObject();
        }
    }

    static String sonarUrl() {
        return env("GULI_TEST_SONAR_URL");
    }

    static String sonarToken() {
        try {
            return Files.readString(Path.of(env("GULI_TEST_SONAR_TOKEN_FILE"))).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read GULI_TEST_SONAR_TOKEN_FILE: run . test/services/env", e);
        }
    }

    private static String env(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(name + " is not set: run . test/services/env (after test/services/start)");
        }
        return v;
    }
}
