package io.github.guli.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import hudson.FilePath;
import hudson.Launcher;
import hudson.Proc;
import hudson.remoting.VirtualChannel;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.build.BuildRequest;
import io.github.guli.engine.build.MavenBuild;
import io.github.guli.engine.process.Commands;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;

/**
 * The engine's commands go through the step's Launcher (what {@code container()} decorates), as Jenkins would run
 * them: the Launcher, its ProcStarter and Proc are test doubles that record what they are given and play a process'
 * output; the channel exports as the built-in node's does (the object itself).
 */
class StepLauncherTest {
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private final Launcher launcher = mock(Launcher.class);
    private final Launcher.ProcStarter starter = mock(Launcher.ProcStarter.class);
    private final Proc proc = mock(Proc.class);
    private final FilePath workspace = mock(FilePath.class);
    private final AtomicReference<OutputStream> stdout = new AtomicReference<>();
    private final CountDownLatch killed = new CountDownLatch(1);
    private String remote = "/ws";

    /** A process that prints {@code lines}, then ends with {@code exit}, or runs until it is killed (exit null). */
    private void process(List<String> lines, Integer exit) throws Exception {
        VirtualChannel channel = mock(VirtualChannel.class);
        when(channel.export(eq(LaunchService.class), any())).thenAnswer(a -> a.getArgument(1));
        when(workspace.getChannel()).thenReturn(channel);
        when(workspace.getRemote()).thenAnswer(a -> remote);
        when(workspace.child(anyString())).thenReturn(workspace);
        when(launcher.launch()).thenReturn(starter);
        when(starter.cmds(anyList())).thenReturn(starter);
        when(starter.envs(anyMap())).thenReturn(starter);
        when(starter.pwd(any(FilePath.class))).thenReturn(starter);
        when(starter.quiet(anyBoolean())).thenReturn(starter);
        when(starter.stdout(any(OutputStream.class))).thenAnswer(a -> {
            stdout.set(a.getArgument(0));
            return starter;
        });
        when(starter.start()).thenAnswer(a -> {
            for (String l : lines) {
                stdout.get().write((l + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return proc;
        });
        when(proc.join()).thenAnswer(a -> {
            if (exit != null) {
                return exit;
            }
            killed.await();
            return 143;
        });
        org.mockito.Mockito.doAnswer(a -> {
                    killed.countDown();
                    return null;
                })
                .when(proc)
                .kill();
    }

    private StepLauncher step(Collection<String> secrets) {
        return new StepLauncher(
                launcher, workspace, new LaunchRules("guliTest", remote, Set.of("mvn", "docker")), secrets);
    }

    private Commands commands() {
        return step(List.of()).commands();
    }

    @Test
    void mavenRunsThroughTheLauncherWithTheSecretOnlyInTheEnvironmentAndItsFailureIsReported(@TempDir Path ws)
            throws Exception {
        Files.writeString(
                ws.resolve("pom.xml"),
                "<project><modelVersion>4.0.0</modelVersion><groupId>g</groupId>"
                        + "<artifactId>demo</artifactId><version>1</version></project>");
        process(
                List.of(
                        "[INFO] Building demo 1",
                        "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.11.0:compile "
                                + "(default-compile) on project demo: Compilation failure",
                        "[ERROR] " + ws + "/src/main/java/A.java:[3,5] cannot find symbol"),
                1);
        remote = ws.toString();
        BuildRequest r = new BuildRequest()
                .env(Map.of("PATH", "/usr/bin", "MAVEN_SECRET", "s3cr3t-value"))
                .mavenOptions(List.of("-Dx=1"));

        assertThatThrownBy(() -> new MavenBuild(l -> {}, output::add, commands()).run(ws.toFile(), r))
                .isInstanceOf(GuliException.class)
                .hasMessageStartingWith("Maven failed (exit status 1) in module demo, goal ")
                .hasMessageContaining("\n  src/main/java/A.java:[3,5] cannot find symbol");

        Launched launched = launched();
        verify(workspace).child(ws.toFile().getAbsolutePath());
        verify(starter).quiet(true);
        assertThat(launched.cmds()).containsExactly("mvn", "-B", "clean", "package", "-Dx=1");
        assertThat(String.join(" ", launched.cmds())).doesNotContain("s3cr3t-value");
        assertThat(launched.envs()).containsEntry("MAVEN_SECRET", "s3cr3t-value");
        assertThat(output).as("the output reached the engine line by line").contains("[INFO] Building demo 1");
    }

    @Test
    void theDockerCommandRunsThroughTheLauncherWithTheEnginesAddressInItsEnvironment(@TempDir Path ws)
            throws Exception {
        Files.writeString(ws.resolve("Dockerfile"), "FROM scratch\n");
        process(
                List.of(
                        "Cannot connect to the Docker daemon at tcp://docker.example:2376. Is the docker daemon running?"),
                1);
        io.github.guli.engine.image.ImageRequest request = new io.github.guli.engine.image.ImageRequest()
                .workspace(ws.toString())
                .module(".")
                .name("gulimall-admin-vue")
                .registry("http://registry.example:5000")
                .namespace("guli")
                .tags(List.of("latest"))
                .push(false)
                .env(Map.of("PATH", "/usr/bin", "DOCKER_HOST", "tcp://docker.example:2376"));
        remote = ws.toString();

        assertThatThrownBy(() -> new io.github.guli.engine.image.ImageBuild(output::add, commands()).run(request))
                .isInstanceOf(GuliException.class)
                .hasMessageStartingWith(
                        "cannot reach the Docker engine at tcp://docker.example:2376 (Cannot connect to "
                                + "the Docker daemon");

        Launched launched = launched();
        assertThat(launched.cmds()).containsExactly("docker", "version", "--format", "{{.Server.Version}}");
        assertThat(launched.envs())
                .containsEntry("DOCKER_HOST", "tcp://docker.example:2376")
                .containsEntry("DOCKER_BUILDKIT", "0");
    }

    @Test
    void aLongLineReachesTheEngineInPartsWithASecretAcrossACutMasked() throws Exception {
        String secret = "s3cr3t-value";
        String line = "a".repeat(16 * 1024 - 5) + secret + "b".repeat(40_000);
        process(List.of(line, "done"), 0);
        Commands commands = step(List.of(secret)).commands();

        int exit = commands.run(
                new io.github.guli.engine.process.CommandLine(List.of("mvn", "verify"), Map.of(), "/ws"), output::add);

        assertThat(exit).isZero();
        assertThat(output).allMatch(l -> l.length() <= 16 * 1024, "at most 16 KiB a line");
        assertThat(output).noneMatch(l -> l.contains("s3cr3t") || l.contains("value"));
        assertThat(String.join("", output)).isEqualTo("a".repeat(16 * 1024 - 5) + "****" + "b".repeat(40_000) + "done");
    }

    /** The command line and the environment the Launcher started the engine's one command with. */
    private record Launched(List<String> cmds, Map<String, String> envs) {}

    @SuppressWarnings("unchecked")
    private Launched launched() throws Exception {
        ArgumentCaptor<List<String>> cmds = ArgumentCaptor.forClass(List.class);
        ArgumentCaptor<Map<String, String>> envs = ArgumentCaptor.forClass(Map.class);
        verify(starter).cmds(cmds.capture());
        verify(starter).envs(envs.capture());
        return new Launched(cmds.getValue(), envs.getValue());
    }

    /** Runs {@code command} on a thread of its own, as the engine does; returns once it printed {@code started} (30 s at most). */
    private Thread started(Commands commands, List<String> command, String started, AtomicReference<Integer> exit) {
        Thread engine = new Thread(() -> {
            try {
                exit.set(commands.run(
                        new io.github.guli.engine.process.CommandLine(command, Map.of(), "/ws"), output::add));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        engine.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!output.contains(started) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        return engine;
    }

    @Test
    void stoppingTheStepKillsWhatItLaunched() throws Exception {
        process(List.of("SLOW TEST STARTED"), null);
        StepLauncher step = step(List.of());
        Commands commands = step.commands();
        AtomicReference<Integer> exit = new AtomicReference<>();
        Thread engine = started(commands, List.of("mvn", "verify"), "SLOW TEST STARTED", exit);
        assertThat(output).contains("SLOW TEST STARTED");
        assertThat(engine.isAlive()).as("the command runs until it is killed").isTrue();

        step.killAll(); // what WorkspaceStepExecution.stop does first
        engine.join(30_000);
        verify(proc).kill();
        assertThat(engine.isAlive()).isFalse();
        assertThat(exit.get()).isEqualTo(143);
    }

    @Test
    void anAbortedStepKillsBeforeItsThreadIsInterrupted() throws Exception {
        process(List.of("BUILD STARTED"), null);
        GuliBuildStep.Execution execution = new GuliBuildStep.Execution(new GuliBuildStep(), null);
        org.jenkinsci.plugins.workflow.steps.StepContext context =
                mock(org.jenkinsci.plugins.workflow.steps.StepContext.class);
        when(context.get(Launcher.class)).thenReturn(launcher);
        java.lang.reflect.Field f = WorkspaceStepExecution.class.getDeclaredField("context");
        f.setAccessible(true);
        f.set(execution, context);
        Commands commands = execution.commands(workspace, LaunchRules.DOCKER, List.of());
        Thread engine = started(commands, List.of("docker", "build", "."), "BUILD STARTED", new AtomicReference<>());
        // the stand-in's SynchronousNonBlockingStepExecution.stop (which interrupts the thread in Jenkins) throws here
        assertThatThrownBy(() -> execution.stop(new InterruptedException("aborted")))
                .isInstanceOf(UnsupportedOperationException.class);
        engine.join(30_000);
        assertThat(engine.isAlive())
                .as("the process was killed, no interrupt needed")
                .isFalse();
        verify(proc).kill();
        verify(context).get(Launcher.class);
    }

    private static io.github.guli.engine.process.CommandLine command(String dir, String... argv) {
        return new io.github.guli.engine.process.CommandLine(List.of(argv), Map.of(), dir);
    }

    @Test
    void onceTheStepEndedEveryCallIsRefusedNamingWhyAndWhatRanIsKilled() throws Exception {
        process(List.of("RUNNING"), null);
        StepLauncher step = step(List.of());
        LaunchService service = step; // what an agent holding the proxy calls
        int id = service.start(List.of("mvn", "verify"), Map.of(), "/ws");

        step.close();

        verify(proc).kill();
        for (org.assertj.core.api.ThrowableAssert.ThrowingCallable call :
                List.<org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
                        () -> service.start(List.of("mvn", "verify"), Map.of(), "/ws"),
                        () -> service.next(id),
                        () -> service.exitStatus(id),
                        () -> service.kill(id))) {
            assertThatThrownBy(call).hasMessageContaining("the step that exported this launcher has ended");
        }
    }

    /** A step whose work starts one command, then ends as {@code end} says. */
    private WorkspaceStepExecution<Commands> stepThatEnds(Runnable end) {
        return new WorkspaceStepExecution<>(null, "[guliTest] ") {
            @Override
            Commands run(
                    hudson.model.Run<?, ?> run, hudson.model.TaskListener listener, FilePath ws, hudson.EnvVars env)
                    throws Exception {
                Commands c = commands(workspace, Set.of("mvn"), List.of());
                assertThat(c.run(command("/ws", "mvn", "-v"), output::add)).isZero();
                end.run();
                return c;
            }
        };
    }

    @Test
    void theStepClosesItsLauncherWhenItSucceedsAndWhenItFails() throws Exception {
        process(List.of("Apache Maven 3.9.9"), 0);
        org.jenkinsci.plugins.workflow.steps.StepContext context =
                mock(org.jenkinsci.plugins.workflow.steps.StepContext.class);
        when(context.get(Launcher.class)).thenReturn(launcher);

        Commands afterSuccess = stepThatEnds(() -> {}).run(context);
        assertThatThrownBy(() -> afterSuccess.run(command("/ws", "mvn", "-v"), output::add))
                .hasMessageContaining("has ended");

        AtomicReference<Commands> kept = new AtomicReference<>();
        WorkspaceStepExecution<Commands> failing = stepThatEnds(() -> {
            throw new GuliException("the build failed");
        });
        assertThatThrownBy(() -> failing.run(context)).hasMessage("[guliTest] the build failed");
        java.lang.reflect.Field f = WorkspaceStepExecution.class.getDeclaredField("launcher");
        f.setAccessible(true);
        kept.set(((StepLauncher) f.get(failing)).commands());
        assertThatThrownBy(() -> kept.get().run(command("/ws", "mvn", "-v"), output::add))
                .hasMessageContaining("has ended");
    }

    @Test
    void aProgramTheStepDoesNotRunIsRefused() throws Exception {
        process(List.of(), 0);
        for (String program : List.of("sh", "/bin/sh", "kubectl", "mvnw", "/ws/docker")) {
            assertThatThrownBy(() -> commands().run(command("/ws", program, "-c", "id"), output::add))
                    .isInstanceOf(java.io.IOException.class)
                    .hasMessage("guliTest runs only docker, mvn: refused to start '" + program + "'");
        }
        verify(launcher, org.mockito.Mockito.never()).launch();
    }

    @Test
    void aFolderOutsideTheWorkspaceIsRefused() throws Exception {
        process(List.of(), 0);
        for (String dir : List.of("/", "/etc", "/ws/../etc", "/ws2", "..", "../ws2", "/ws/a/../../x", "C:\\x")) {
            assertThatThrownBy(() -> commands().run(command(dir, "mvn", "-v"), output::add))
                    .isInstanceOf(java.io.IOException.class)
                    .hasMessage("guliTest runs commands only inside its workspace /ws: refused the folder " + dir);
        }
        verify(launcher, org.mockito.Mockito.never()).launch();
        assertThat(commands().run(command("/ws/a/../b/./c", "mvn", "-v"), output::add))
                .isZero();
        assertThat(commands().run(command("sub", "mvn", "-v"), output::add)).isZero();
    }

    @Test
    void guliBuildRunsTheMavenItResolves() {
        assertThat(LaunchRules.maven(null, "/ws", null)).containsExactlyInAnyOrder("mvn", "mvn.cmd");
        LaunchRules tool = new LaunchRules("guliBuild", "/ws", LaunchRules.maven("/opt/maven-3.9", "/ws", null));
        assertThat(tool.check("/opt/maven-3.9/bin/mvn", "/ws")).isNull();
        assertThat(tool.check("mvn", "/ws")).startsWith("guliBuild runs only ");
        LaunchRules wrapper = new LaunchRules("guliBuild", "/ws", LaunchRules.maven("./mvnw", "/ws", "svc"));
        assertThat(wrapper.check(new java.io.File("/ws/svc", "./mvnw").getPath(), "/ws/svc"))
                .isNull();
        assertThat(wrapper.check("/ws/mvnw", "/ws")).isNotNull();
        assertThat(LaunchRules.normalize("C:\\ws\\a\\..\\b")).isEqualTo("C:/ws/b");
    }
}
