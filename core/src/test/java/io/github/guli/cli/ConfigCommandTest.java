package io.github.guli.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.guli.testsupport.NacosStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCommandTest {
    static final String GROUP = "DEFAULT_GROUP";
    static final String PASSWORD = "cli-Nacos-pw-77";

    @TempDir
    Path ws;

    void files() throws Exception {
        Path dir = Files.createDirectories(ws.resolve("gulimall-product/config/prod"));
        Files.writeString(dir.resolve("application-prod.properties"), "spring.datasource.password=NewPw123\nport=2\n");
    }

    @Test
    void diffShowsTheMaskedDiffAndChangesNothing() throws Exception {
        files();
        try (NacosStandIn nacos = NacosStandIn.open()) {
            nacos.put(
                    "prod",
                    GROUP,
                    "application-prod.properties",
                    "spring.datasource.password=OldPw123\nport=1\n",
                    "properties");

            GuliRun r = GuliRun.inProcess(
                    Map.of("PROJECT_NAME", "gulimall-product"),
                    "config",
                    "diff",
                    "--nacos-url",
                    nacos.url(),
                    "--namespace",
                    "prod",
                    "--environment",
                    "prod",
                    "--dir",
                    ws.toString());

            assertThat(r.exit()).as(r.all()).isZero();
            assertThat(r.out())
                    .contains("application-prod.properties: changed")
                    .contains("+spring.datasource.password=**** (changed)")
                    .contains("+port=2")
                    .doesNotContain("NewPw123", "OldPw123");
            assertThat(nacos.operations("prod", GROUP, "application-prod.properties"))
                    .containsExactly("I");
        }
    }

    @Test
    void publishTakesTheCredentialsFromTheEnvironmentAndPublishes() throws Exception {
        files();
        Path pw = Files.writeString(ws.resolve("nacos-pw"), PASSWORD + "\n");
        try (NacosStandIn nacos = NacosStandIn.withAuth("deployer", PASSWORD)) {
            GuliRun r = GuliRun.process(
                    ws,
                    Map.of("GULI_NACOS_USERNAME", "deployer", "GULI_NACOS_PASSWORD_FILE", pw.toString()),
                    Duration.ofSeconds(60),
                    "config",
                    "publish",
                    "--nacos-url",
                    nacos.url(),
                    "--namespace",
                    "prod",
                    "--environment",
                    "prod",
                    "--module",
                    "gulimall-product");

            assertThat(r.exit()).as(r.all()).isZero();
            assertThat(r.out())
                    .contains("[guli config] application-prod.properties: published (sha256 ")
                    .contains("[guli config] published namespace 'prod', group DEFAULT_GROUP: "
                            + "application-prod.properties sha256:")
                    .doesNotContain("NewPw123", PASSWORD);
            assertThat(nacos.content("prod", GROUP, "application-prod.properties"))
                    .contains("spring.datasource.password=NewPw123\nport=2\n");
            assertThat(nacos.requests()).allSatisfy(q -> assertThat(q.url()).doesNotContain(PASSWORD, "password"));
        }
    }

    @Test
    void refusedCredentialsExitOneNamingTheFixAndChangeNothing() throws Exception {
        files();
        try (NacosStandIn nacos = NacosStandIn.withAuth("deployer", PASSWORD)) {
            GuliRun r = publishProductToProd(
                    nacos, Map.of("GULI_NACOS_USERNAME", "deployer", "GULI_NACOS_PASSWORD", "not-it"));

            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err())
                    .startsWith("guli config: error: Nacos at " + nacos.url() + "/nacos refused the login of user "
                            + "'deployer'")
                    .doesNotContain("not-it");
            assertThat(nacos.content("", GROUP, "application-prod.properties")).isEmpty();
        }
    }

    @Test
    void aRefusedFileFailsBeforeNacosIsAsked() throws Exception {
        files();
        Path secret = Files.writeString(ws.resolve("elsewhere.properties"), "password=x\n");
        Files.createSymbolicLink(ws.resolve("gulimall-product/config/prod/link.properties"), secret);
        try (NacosStandIn nacos = NacosStandIn.open()) {
            GuliRun r = publishProductToProd(nacos, Map.of());

            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).contains("link.properties is a symbolic link");
            assertThat(nacos.requests()).isEmpty();
        }
    }

    @Test
    void withoutAnActionOrAnEnvironmentItIsAUsageError() {
        GuliRun none = GuliRun.inProcess(Map.of(), "config", "--nacos-url", "http://x");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("guli config: give what to do first, one of: diff, publish");

        GuliRun noEnv = GuliRun.inProcess(Map.of(), "config", "diff", "--nacos-url", "http://x");
        assertThat(noEnv.exit()).isEqualTo(2);
        assertThat(noEnv.err()).contains("--environment is required");

        GuliRun flag = GuliRun.inProcess(Map.of(), "config", "diff", "--nacos-password", "x");
        assertThat(flag.exit()).isEqualTo(2);
        assertThat(flag.err()).contains("unknown option --nacos-password");
    }

    /** guli config publish of gulimall-product's prod files, with the given environment variables. */
    private GuliRun publishProductToProd(NacosStandIn nacos, Map<String, String> env) {
        return GuliRun.inProcess(
                env,
                "config",
                "publish",
                "--nacos-url",
                nacos.url(),
                "--environment",
                "prod",
                "--module",
                "gulimall-product",
                "--dir",
                ws.toString());
    }
}
