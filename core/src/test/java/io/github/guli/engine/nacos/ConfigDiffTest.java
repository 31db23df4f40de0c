package io.github.guli.engine.nacos;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.guli.testsupport.NacosStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigDiffTest {
    static final String GROUP = NacosNames.DEFAULT_GROUP;

    @TempDir
    Path ws;

    ConfigSet release(String dataId, String content) throws Exception {
        Path dir = Files.createDirectories(ws.resolve("gulimall-product/config/prod"));
        Files.writeString(dir.resolve(dataId), content);
        return ConfigSet.read(ws, "gulimall-product", "prod", null);
    }

    ConfigDiff diff(NacosStandIn nacos, ConfigSet set) {
        return ConfigDiff.of(ConfigSnapshot.take(new NacosClient(nacos.url(), null, "prod"), set), set);
    }

    @Test
    void showsWhatNacosHoldsAgainstWhatTheReleasePublishesAsAUnifiedDiff() throws Exception {
        try (NacosStandIn nacos = NacosStandIn.open()) {
            nacos.put("prod", GROUP, "app.properties", "a=1\nb=2\nc=3\n", "properties");
            ConfigSet set = release("app.properties", "a=1\nb=20\nc=3\nd=4\n");

            ConfigDiff diff = diff(nacos, set);

            assertThat(diff.changesAnything()).isTrue();
            assertThat(diff.text())
                    .isEqualTo("configuration for " + nacos.url() + "/nacos namespace 'prod' group DEFAULT_GROUP:\n"
                            + "  app.properties: changed\n"
                            + "--- nacos/app.properties\n"
                            + "+++ gulimall-product/config/prod/app.properties\n"
                            + "@@ -1,3 +1,4 @@\n"
                            + " a=1\n"
                            + "-b=2\n"
                            + "+b=20\n"
                            + " c=3\n"
                            + "+d=4\n");
        }
    }

    @Test
    void aNewDataIdIsDiffedAgainstNothingAndAnEqualOneIsUnchanged() throws Exception {
        try (NacosStandIn nacos = NacosStandIn.open()) {
            ConfigSet set = release("app.yaml", "a: 1\n");
            assertThat(diff(nacos, set).changes())
                    .containsExactly(new ConfigDiff.Change(
                            "app.yaml",
                            ConfigDiff.Kind.ADDED,
                            "--- /dev/null\n+++ gulimall-product/config/prod/app.yaml\n@@ -0,0 +1 @@\n+a: 1\n"));

            nacos.put("prod", GROUP, "app.yaml", "a: 1\n", "yaml");
            ConfigDiff same = diff(nacos, set);
            assertThat(same.changesAnything()).isFalse();
            assertThat(same.text()).endsWith("  app.yaml: unchanged\n");

            nacos.put("prod", GROUP, "app.yaml", "a: 1\n", "text");
            assertThat(diff(nacos, set).changes())
                    .containsExactly(new ConfigDiff.Change("app.yaml", ConfigDiff.Kind.CHANGED, "type text -> yaml\n"));

            nacos.put("prod", GROUP, "app.yaml", "a: 1", "yaml");
            assertThat(diff(nacos, set).changes().get(0).diff())
                    .isEqualTo("(only the line break at the end of the file changes)\n");
        }
    }

    @Test
    void secretsAreMaskedOnBothSidesAndAChangedOneSaysSoWithoutItsValue() throws Exception {
        try (NacosStandIn nacos = NacosStandIn.open()) {
            nacos.put(
                    "prod",
                    GROUP,
                    "app.properties",
                    "spring.datasource.password=OldDbPass1\nspring.redis.password=SameRedis9\n"
                            + "spring.datasource.url=jdbc:mysql://root:OldDbPass1@mysql/gulimall\nport=1\n",
                    "properties");
            ConfigSet set = release(
                    "app.properties",
                    "spring.datasource.password=NewDbPass2\nspring.redis.password=SameRedis9\n"
                            + "spring.datasource.url=jdbc:mysql://root:NewDbPass2@mysql/gulimall\nport=2\n"
                            + "alipay.merchant_private_key=MIIEvQIBADANBg\noss.url=https://oss?accessToken=tok123456&x=1\n");

            String text = diff(nacos, set).text();

            assertThat(text)
                    .doesNotContain("OldDbPass1", "NewDbPass2", "SameRedis9", "MIIEvQIBADANBg", "tok123456")
                    .contains("-spring.datasource.password=****\n")
                    .contains("+spring.datasource.password=**** (changed)\n")
                    .contains(" spring.redis.password=****\n")
                    .as("a line whose hidden part changed still shows as changed")
                    .contains("-spring.datasource.url=jdbc:mysql://root:****@mysql/gulimall\n")
                    .contains("+spring.datasource.url=jdbc:mysql://root:****@mysql/gulimall\n")
                    .contains("+alipay.merchant_private_key=****\n")
                    .contains("+oss.url=https://oss?accessToken=****&x=1\n")
                    .contains("-port=1\n", "+port=2\n");
        }
    }

    @Test
    void yamlSecretsAreMaskedByTheirKeyAlsoInBlocksAndLists() throws Exception {
        try (NacosStandIn nacos = NacosStandIn.open()) {
            nacos.put(
                    "prod",
                    GROUP,
                    "app.yaml",
                    "spring:\n  datasource:\n    username: root\n    password: \"OldPass11\"\n",
                    "yaml");
            ConfigSet set = release(
                    "app.yaml",
                    "spring:\n  datasource:\n    username: root\n    password: \"NewPass22\"\n"
                            + "  cloud:\n    alicloud:\n      access-key: LTAIabcdef\n      secret-key: s3cr3tKeyV\n"
                            + "tls:\n  private-key: |\n    -----BEGIN KEY-----\n    QUJDREVGR0g=\n    -----END KEY-----\n"
                            + "users:\n  - name: a\n    token: tkn-98765\nplain: OldPass11\n");

            String text = diff(nacos, set).text();

            assertThat(text)
                    .doesNotContain("OldPass11", "NewPass22", "LTAIabcdef", "s3cr3tKeyV", "QUJDREVGR0g", "tkn-98765")
                    .contains("-    password: ****\n")
                    .contains("+    password: **** (changed)\n")
                    .contains("+      access-key: ****\n")
                    .contains("+  private-key: ****\n")
                    .contains("+    token: ****\n")
                    .contains("+plain: ****\n")
                    .contains("     username: root\n");
        }
    }
}
