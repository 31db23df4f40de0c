package io.github.guli.engine.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.SecretFile;
import io.github.guli.engine.process.LocalCommands;
import io.github.guli.testsupport.GuliMall;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** guliBuild's Maven part on the GuliMall fixture, with the real Maven of this machine. */
class MavenBuildTest {
    private static final String PRODUCT_SERVICE =
            "gulimall-product/src/main/java/com/atguigu/gulimall/product/service/CategoryService.java";
    private static final String ORDER_TEST =
            "gulimall-order/src/test/java/com/atguigu/gulimall/order/service/OrderServiceTest.java";

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private final MavenBuild build = new MavenBuild(log::add, output::add, new LocalCommands());

    @Test
    void buildsOneModuleWithTheModulesItDependsOnAndNoOther(@TempDir Path ws) {
        GuliMall.copy(ws);
        BuildResult r = build.run(
                ws.toFile(), new BuildRequest().module("gulimall-product").settings("mvn-settings.xml"));

        assertThat(ws.resolve("gulimall-product/target/gulimall-product-0.0.1-SNAPSHOT.jar"))
                .isRegularFile();
        assertThat(ws.resolve("gulimall-common/target/gulimall-common-0.0.1-SNAPSHOT.jar"))
                .as("built with -am")
                .isRegularFile();
        assertThat(ws.resolve("gulimall-order/target")).as("not in the reactor").doesNotExist();
        assertThat(ws.resolve("gulimall-gateway/target")).doesNotExist();
        assertThat(
                        ws.resolve(
                                "gulimall-product/target/surefire-reports/TEST-com.atguigu.gulimall.product.service.CategoryServiceTest.xml"))
                .as("Surefire reports stay for Jenkins' junit step")
                .isRegularFile();

        assertThat(r.only().module()).isEqualTo("gulimall-product");
        assertThat(r.only().artifactId()).isEqualTo("gulimall-product");
        assertThat(r.only().analysis()).isNull();
        assertThat(r.only().testReports()).isEqualTo("gulimall-product/target/surefire-reports/*.xml");
        assertThat(r.command())
                .endsWith(" -B -pl gulimall-product -am clean package -s " + ws.resolve("mvn-settings.xml"));
        assertThat(String.join("\n", output))
                .contains("Tests run: 3, Failures: 0")
                .contains("BUILD SUCCESS");
        assertThat(log).anyMatch(l -> l.contains("-pl gulimall-product -am clean package"));
    }

    @Test
    void aCompileErrorIsReportedWithItsModuleGoalAndLine(@TempDir Path ws) {
        GuliMall.copy(ws);
        GuliMall.edit(ws, PRODUCT_SERVICE, "return roots;", "return rootz;");

        assertThatThrownBy(() -> build.run(ws.toFile(), new BuildRequest().module("gulimall-product")))
                .isInstanceOf(GuliException.class)
                .hasMessageStartingWith("Maven failed (exit status 1) in module gulimall-product, goal "
                        + "org.apache.maven.plugins:maven-compiler-plugin:3.13.0:compile: Compilation failure")
                .hasMessageContaining("\n  " + PRODUCT_SERVICE + ":[23,16] cannot find symbol; symbol: variable rootz");
    }

    @Test
    void aCompileErrorInTheCommonModuleNamesTheCommonModule(@TempDir Path ws) {
        GuliMall.copy(ws);
        GuliMall.edit(
                ws,
                "gulimall-common/src/main/java/com/atguigu/common/utils/R.java",
                "return code == 0;",
                "return code = 0;");

        assertThatThrownBy(() -> build.run(ws.toFile(), new BuildRequest().module("gulimall-order")))
                .hasMessageStartingWith("Maven failed (exit status 1) in module gulimall-common, goal "
                        + "org.apache.maven.plugins:maven-compiler-plugin:3.13.0:compile")
                .hasMessageContaining("R.java:[");
    }

    @Test
    void aFailingUnitTestIsReportedWithTheTestAndItsAssertion(@TempDir Path ws) {
        GuliMall.copy(ws);
        GuliMall.edit(ws, ORDER_TEST, "new BigDecimal(\"19.00\")", "new BigDecimal(\"19.50\")");

        assertThatThrownBy(() -> build.run(ws.toFile(), new BuildRequest().module("gulimall-order")))
                .hasMessageStartingWith("Maven failed (exit status 1) in module gulimall-order, goal "
                        + "org.apache.maven.plugins:maven-surefire-plugin:3.5.3:test: There are test failures.")
                .hasMessageContaining(
                        "\n  OrderServiceTest.sumsTheItemsLessTheCoupon:18 expected: <19.50> but was: <19.00>");
        assertThat(
                        ws.resolve(
                                "gulimall-order/target/surefire-reports/TEST-com.atguigu.gulimall.order.service.OrderServiceTest.xml"))
                .as("the failure's report stays for Jenkins' junit step")
                .isRegularFile();
    }

    @Test
    void skipTestsBuildsDespiteAFailingTestAsTheCourseDid(@TempDir Path ws) {
        GuliMall.copy(ws);
        GuliMall.edit(ws, ORDER_TEST, "new BigDecimal(\"19.00\")", "new BigDecimal(\"19.50\")");

        BuildResult r = build.run(
                ws.toFile(),
                new BuildRequest().module("gulimall-order").skipTests(true).goals(List.of("package")));
        assertThat(r.command()).endsWith("-pl gulimall-order -am package -DskipTests");
        assertThat(String.join("\n", output)).contains("Tests are skipped.");
        assertThat(ws.resolve("gulimall-order/target/gulimall-order-0.0.1-SNAPSHOT.jar"))
                .isRegularFile();
    }

    @Test
    void anUnknownModuleIsRefusedWithTheListOfModulesBeforeMavenRuns(@TempDir Path ws) {
        GuliMall.copy(ws);
        assertThatThrownBy(() -> build.run(ws.toFile(), new BuildRequest().module("gulimall-produkt")))
                .isInstanceOf(GuliException.class)
                .hasMessage("no module 'gulimall-produkt' in " + ws.resolve("pom.xml") + "; its modules are: "
                        + "gulimall-common, gulimall-product, gulimall-order, gulimall-gateway");
        assertThat(output).as("Maven did not run").isEmpty();
    }

    @Test
    void aMissingSettingsFileIsNamedBeforeMavenRuns(@TempDir Path ws) {
        GuliMall.copy(ws);
        assertThatThrownBy(() -> build.run(
                        ws.toFile(), new BuildRequest().module("gulimall-order").settings("settings/mvn.xml")))
                .hasMessage("the Maven settings file settings/mvn.xml is not in the workspace ("
                        + ws.resolve("settings/mvn.xml")
                        + "); the workspace has mvn-settings.xml: commit it (the course keeps mvn-settings.xml at the "
                        + "repository root), fix the path, or give a secret file credentials ID instead");
        assertThat(output).isEmpty();
    }

    @Test
    void settingsFromASecretFileAreUsedFromAPrivateTemporaryFileThenDeleted(@TempDir Path ws) throws Exception {
        GuliMall.copy(ws);
        byte[] settings = Files.readAllBytes(ws.resolve("mvn-settings.xml"));
        Files.delete(ws.resolve("mvn-settings.xml"));
        // the fixture's own test sees the settings file Maven was given, while the build runs
        GuliMall.write(ws, "gulimall-gateway/src/test/java/com/atguigu/gulimall/gateway/SettingsFileTest.java", """
                package com.atguigu.gulimall.gateway;

                import java.nio.file.Files;
                import java.nio.file.Path;
                import java.nio.file.attribute.PosixFilePermissions;
                import org.junit.jupiter.api.Test;

                class SettingsFileTest {
                    @Test
                    void report() throws Exception {
                        // the Maven JVM that forked this test (through a shell) was started with -s FILE
                        for (var p = ProcessHandle.current().parent(); p.isPresent(); p = p.get().parent()) {
                            String[] args = p.get().info().arguments().orElse(new String[0]);
                            for (int i = 0; i + 1 < args.length; i++) {
                                if (args[i].equals("-s")) {
                                    Path f = Path.of(args[i + 1]);
                                    System.out.println("SETTINGS " + f + " "
                                            + PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
                                    return;
                                }
                            }
                        }
                    }
                }
                """);
        Path beside = ws.resolveSibling(ws.getFileName() + "@tmp");
        BuildResult r = build.run(
                ws.toFile(),
                new BuildRequest()
                        .module("gulimall-gateway")
                        .settingsFile(new SecretFile("credentials 'maven-settings'", settings)));

        String file = r.command().replaceFirst(".* -s (\\S+).*", "$1");
        assertThat(file).contains("guli-settings");
        assertThat(Path.of(file).getParent())
                .as("beside the workspace, where a command in another container sees it")
                .isEqualTo(beside);
        assertThat(String.join("\n", output)).contains("SETTINGS " + file + " rw-------");
        assertThat(new File(file)).as("deleted after the build").doesNotExist();
        try (Stream<Path> left = Files.list(beside)) {
            assertThat(left).isEmpty();
        }
        Files.delete(beside);
    }

    @Test
    void theMavenOfAToolInstallationIsUsedAndMavenOptsReachIt(@TempDir Path ws) throws Exception {
        GuliMall.copy(ws);
        // a wrong mvn first on the PATH: only the given Maven home can build
        Path fakeBin = Files.createDirectories(ws.resolve("fake-bin"));
        Files.writeString(fakeBin.resolve("mvn"), "#!/bin/sh\necho 'the mvn on the PATH ran'; exit 3\n");
        fakeBin.resolve("mvn").toFile().setExecutable(true);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PATH", fakeBin + ":" + env.get("PATH"));
        BuildResult r = build.run(
                ws.toFile(),
                new BuildRequest()
                        .module("gulimall-common")
                        .maven(mavenHome().toString())
                        .env(env)
                        .mavenOpts("-Dguli.marker=from-maven-opts -Xmx256m")
                        .mavenOptions(List.of("-Dexpression=guli.marker", "-q", "-DforceStdout"))
                        .goals(List.of("help:evaluate")));
        assertThat(r.command())
                .startsWith(mavenHome().resolve("bin/mvn") + " -B -pl gulimall-common -am help:evaluate");
        assertThat(output).contains("from-maven-opts");

        output.clear();
        assertThatThrownBy(() -> build.run(
                        ws.toFile(),
                        new BuildRequest().module("gulimall-common").env(env)))
                .hasMessage("Maven failed (exit status 3) building gulimall-common: see the Maven output above");
        assertThat(output)
                .as("without a Maven home, mvn on the build's PATH")
                .containsExactly("the mvn on the PATH ran");
    }

    @Test
    void noMavenOnThePathIsACleanError(@TempDir Path ws) {
        GuliMall.copy(ws);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PATH", "/nonexistent");
        assertThatThrownBy(() -> build.run(
                        ws.toFile(),
                        new BuildRequest().module("gulimall-common").env(env)))
                .hasMessage(
                        "cannot start Maven (mvn): 'mvn' is not on the PATH (/nonexistent); install Maven where the "
                                + "step runs its commands (the agent, or the container given with container: 'maven'), or give "
                                + "the step a Maven installation: maven: tool('maven-3.9')");
        assertThatThrownBy(() -> build.run(
                        ws.toFile(),
                        new BuildRequest().module("gulimall-common").maven("/opt/no-maven")))
                .hasMessageStartingWith("no Maven at /opt/no-maven: ");
    }

    @Test
    void aRepositoryInASubdirectoryAndAModuleByArtifactKey(@TempDir Path ws) throws Exception {
        GuliMall.copy(ws.resolve("src"));
        BuildResult r = build.run(
                ws.toFile(),
                new BuildRequest()
                        .dir("src")
                        .module("com.atguigu.gulimall:gulimall-gateway")
                        .goals(List.of("compile")));
        assertThat(r.only().module()).isEqualTo("gulimall-gateway");
        assertThat(r.only().testReports()).isEqualTo("src/gulimall-gateway/target/surefire-reports/*.xml");
        assertThat(ws.resolve("src/gulimall-gateway/target/classes/com/atguigu/gulimall/gateway/RouteTable.class"))
                .isRegularFile();
    }

    @Test
    void anAbortStopsMavenAndTheTestsItForked(@TempDir Path ws) throws Exception {
        GuliMall.copy(ws);
        GuliMall.write(ws, "gulimall-gateway/src/test/java/com/atguigu/gulimall/gateway/SlowTest.java", """
                package com.atguigu.gulimall.gateway;

                class SlowTest {
                    @org.junit.jupiter.api.Test
                    void takesLong() throws Exception {
                        System.out.println("SLOW TEST STARTED");
                        Thread.sleep(300_000);
                    }
                }
                """);
        List<Throwable> thrown = Collections.synchronizedList(new ArrayList<>());
        Thread t = new Thread(() -> {
            try {
                build.run(ws.toFile(), new BuildRequest().module("gulimall-gateway"));
            } catch (Throwable e) {
                thrown.add(e);
            }
        });
        t.start();
        long deadline = System.currentTimeMillis() + 180_000;
        while (!output.contains("SLOW TEST STARTED") && System.currentTimeMillis() < deadline && t.isAlive()) {
            Thread.sleep(100);
        }
        assertThat(output).as("the forked test runs").contains("SLOW TEST STARTED");
        t.interrupt(); // what Jenkins does to the step's thread when the build is aborted
        t.join(30_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(thrown)
                .singleElement()
                .isInstanceOf(GuliException.class)
                .extracting(Throwable::getMessage)
                .isEqualTo("interrupted: Maven was stopped");
        Thread.sleep(1000);
        assertThat(ProcessHandle.current()
                        .descendants()
                        .filter(ProcessHandle::isAlive)
                        .map(p -> p.info().commandLine().orElse("?"))
                        .toList())
                .as("Maven and its forked test JVM are gone")
                .isEmpty();
    }

    @Test
    void noPomIsACleanError(@TempDir Path ws) {
        assertThatThrownBy(() -> build.run(ws.toFile(), new BuildRequest().module("gulimall-product")))
                .hasMessageStartingWith("no pom.xml in " + ws + ": check out the repository first");
    }

    private static Path mavenHome() throws Exception {
        Process p = new ProcessBuilder("mvn", "-v").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return Path.of(out.lines()
                .filter(l -> l.startsWith("Maven home: "))
                .findFirst()
                .orElseThrow()
                .substring("Maven home: ".length())
                .trim());
    }
}
