package io.github.guli.engine.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.process.LocalCommands;
import io.github.guli.testsupport.DockerExecCommands;
import io.github.guli.testsupport.GuliMall;
import io.github.guli.testsupport.ProcessArgsWatcher;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * guliBuild's Maven in another container, as in a Kubernetes pod: the engine runs here, where the PATH has no Maven
 * and DOCKER_HOST points nowhere, and its commands run with {@code docker exec} in a container that holds the JDK and
 * Maven (test/services/maven-image), the workspace and ~/.m2 shared as volumes, as the pod's are. A Launcher
 * decorator that runs commands in a container is what {@code container('maven')} is: this stands in for it.
 */
class MavenInContainerTest {
    static final String IMAGE = "guli/maven-jdk:17";
    private static final String PRODUCT_SERVICE =
            "gulimall-product/src/main/java/com/atguigu/gulimall/product/service/CategoryService.java";
    private static final String ORDER_TEST =
            "gulimall-order/src/test/java/com/atguigu/gulimall/order/service/OrderServiceTest.java";
    private static final String SECRET_NAME = "GULI_EXEC_SECRET";

    private static String container;
    private static Path root;
    private static Map<String, String> agentEnv;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void startTheBuildContainer() throws Exception {
        if (docker("image", "inspect", IMAGE).exit != 0) {
            throw new IllegalStateException("the image " + IMAGE + " is not in the Docker engine: make it with "
                    + "test/services/maven-image (test/services/start runs it)");
        }
        root = Files.createTempDirectory("guli-pod");
        Path m2 = Path.of(System.getProperty("user.home"), ".m2");
        container = "guli-maven-" + UUID.randomUUID().toString().substring(0, 8);
        Ran run = docker(
                "run",
                "-d",
                "--rm",
                "--network",
                "host",
                "--name",
                container,
                "-v",
                root + ":" + root,
                "-v",
                m2 + ":/root/.m2",
                IMAGE,
                "sleep",
                "infinity");
        assertThat(run.exit).as("docker run: " + run.out).isZero();
        // the agent: no Maven on its PATH, no Docker engine where DOCKER_HOST says
        agentEnv = new HashMap<>(System.getenv());
        agentEnv.put(
                "PATH",
                Arrays.stream(System.getenv("PATH").split(File.pathSeparator))
                        .filter(d -> !new File(d, "mvn").exists())
                        .collect(Collectors.joining(File.pathSeparator)));
        agentEnv.put("DOCKER_HOST", "unix:///nonexistent/docker.sock");
    }

    @AfterAll
    static void removeTheBuildContainer() throws Exception {
        if (container != null) {
            // what Maven wrote in the container belongs to its user: give it back before the folder goes
            docker("exec", container, "chown", "-R", uid() + ":" + uid("-g"), root.toString());
            docker("rm", "-f", container);
            try (var files = Files.walk(root)) {
                files.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Path workspace() throws Exception {
        return GuliMall.copy(Files.createDirectory(
                root.resolve("ws-" + UUID.randomUUID().toString().substring(0, 8))));
    }

    private MavenBuild inContainer() {
        return new MavenBuild(l -> {}, output::add, new DockerExecCommands(container, agentEnv));
    }

    @Test
    void theModuleIsBuiltInTheContainerItsReportsComeBackAndTheSecretOnlyTravelsInTheEnvironment() throws Exception {
        Path ws = workspace();
        GuliMall.write(ws, "gulimall-product/src/test/java/com/atguigu/gulimall/product/SecretTest.java", """
                package com.atguigu.gulimall.product;

                class SecretTest {
                    @org.junit.jupiter.api.Test
                    void report() {
                        String s = System.getenv("%s");
                        System.out.println("SECRET " + (s == null ? "missing" : s.length() + " characters")
                                + " JAVA_HOME " + System.getProperty("java.home"));
                    }
                }
                """.formatted(
                        SECRET_NAME));
        String secret = "s3cr3t-" + UUID.randomUUID();
        Map<String, String> env = new HashMap<>(agentEnv);
        env.put(SECRET_NAME, secret);
        BuildRequest request = new BuildRequest()
                .module("gulimall-product")
                .settings("mvn-settings.xml")
                .env(env);

        assertThatThrownBy(() -> new MavenBuild(l -> {}, output::add, new LocalCommands()).run(ws.toFile(), request))
                .as("the agent itself has no Maven")
                .hasMessageStartingWith("cannot start Maven (mvn): 'mvn' is not on the PATH");

        ProcessArgsWatcher watcher = new ProcessArgsWatcher(List.of(secret));
        BuildResult r = inContainer().run(ws.toFile(), request);
        assertThat(watcher.stop())
                .as("process command lines holding the secret")
                .isEmpty();

        assertThat(String.join("\n", output))
                .contains("BUILD SUCCESS")
                .contains("SECRET " + secret.length() + " characters JAVA_HOME /opt/jdk");
        assertThat(ws.resolve("gulimall-product/target/gulimall-product-0.0.1-SNAPSHOT.jar"))
                .isRegularFile();
        assertThat(r.only().testReports()).isEqualTo("gulimall-product/target/surefire-reports/*.xml");
        assertThat(
                        ws.resolve(
                                "gulimall-product/target/surefire-reports/TEST-com.atguigu.gulimall.product.service.CategoryServiceTest.xml"))
                .as("the reports are in the shared workspace, for junit")
                .isRegularFile();
    }

    @Test
    void aCompileErrorInTheContainerIsReportedWithItsModuleGoalAndLine() throws Exception {
        Path ws = workspace();
        GuliMall.edit(ws, PRODUCT_SERVICE, "return roots;", "return rootz;");
        assertThatThrownBy(() -> inContainer()
                        .run(
                                ws.toFile(),
                                new BuildRequest().module("gulimall-product").env(agentEnv)))
                .isInstanceOf(GuliException.class)
                .hasMessageStartingWith("Maven failed (exit status 1) in module gulimall-product, goal "
                        + "org.apache.maven.plugins:maven-compiler-plugin:3.13.0:compile: Compilation failure")
                .hasMessageContaining("\n  " + PRODUCT_SERVICE + ":[23,16] cannot find symbol; symbol: variable rootz");
    }

    @Test
    void aFailingTestInTheContainerIsReportedWithTheTestAndItsAssertion() throws Exception {
        Path ws = workspace();
        GuliMall.edit(ws, ORDER_TEST, "new BigDecimal(\"19.00\")", "new BigDecimal(\"19.50\")");
        assertThatThrownBy(() -> inContainer()
                        .run(
                                ws.toFile(),
                                new BuildRequest().module("gulimall-order").env(agentEnv)))
                .hasMessageStartingWith("Maven failed (exit status 1) in module gulimall-order, goal "
                        + "org.apache.maven.plugins:maven-surefire-plugin:3.5.3:test: There are test failures.")
                .hasMessageContaining(
                        "\n  OrderServiceTest.sumsTheItemsLessTheCoupon:18 expected: <19.50> but was: <19.00>");
        assertThat(
                        ws.resolve(
                                "gulimall-order/target/surefire-reports/TEST-com.atguigu.gulimall.order.service.OrderServiceTest.xml"))
                .isRegularFile();
    }

    private record Ran(int exit, String out) {}

    private static Ran docker(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Ran(p.exitValue(), out);
    }

    private static String uid(String... flag) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("id"));
        cmd.addAll(flag.length == 0 ? List.of("-u") : List.of(flag));
        Process p = new ProcessBuilder(cmd).start();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }
}
