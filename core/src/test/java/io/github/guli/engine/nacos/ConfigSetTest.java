package io.github.guli.engine.nacos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.GuliException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSetTest {
    @TempDir
    Path ws;

    Path folder() throws IOException {
        return Files.createDirectories(ws.resolve("gulimall-product/config/prod"));
    }

    @Test
    void readsEachFileAsTheDataIdOfItsNameWithItsType() throws IOException {
        Files.writeString(folder().resolve("application-prod.properties"), "a=1\n");
        Files.writeString(folder().resolve("redis.yml"), "r: 1\n");
        Files.writeString(folder().resolve("gulimall-product.yaml"), "g: 1\n");

        ConfigSet set = ConfigSet.read(ws, "gulimall-product", "prod", null);

        assertThat(set.folder()).isEqualTo("gulimall-product/config/prod");
        assertThat(set.group()).isEqualTo("DEFAULT_GROUP");
        assertThat(set.files())
                .containsExactly(
                        new ConfigSet.ConfigFile("application-prod.properties", new NacosConfig("a=1\n", "properties")),
                        new ConfigSet.ConfigFile("gulimall-product.yaml", new NacosConfig("g: 1\n", "yaml")),
                        new ConfigSet.ConfigFile("redis.yml", new NacosConfig("r: 1\n", "yaml")));
        assertThat(ConfigSet.read(ws, "gulimall-product", "prod", "GULIMALL").group())
                .isEqualTo("GULIMALL");
    }

    @Test
    void aModuleWithoutConfigurationForTheEnvironmentHasAnEmptySet() throws IOException {
        folder();
        assertThat(ConfigSet.read(ws, "gulimall-product", "staging", null).isEmpty())
                .isTrue();
        assertThat(ConfigSet.read(ws, "gulimall-order", "prod", null).isEmpty()).isTrue();
    }

    @Test
    void aSymbolicLinkIsRefusedAsAFileAndAsAFolder() throws IOException {
        Path secret = Files.writeString(ws.resolve("outside.properties"), "password=x\n");
        Files.createSymbolicLink(folder().resolve("app.properties"), secret);
        assertRefused("gulimall-product", "prod", "app.properties is a symbolic link");

        Files.createDirectories(ws.resolve("other/config"));
        Files.createSymbolicLink(ws.resolve("other/config/prod"), folder());
        assertRefused("other", "prod", "prod is a symbolic link");
    }

    @Test
    void aHardLinkToAFileFromElsewhereIsRefused() throws IOException {
        Path outside = Files.writeString(ws.resolve("outside.properties"), "password=x\n");
        Files.createLink(folder().resolve("app.properties"), outside);
        assertRefused("gulimall-product", "prod", "app.properties has other names (a hard link)");
    }

    @Test
    void namesThatEscapeTheFolderAreRefused() {
        assertThatThrownBy(() -> ConfigSet.read(ws, "../x", "prod", null))
                .hasMessageContaining("'..' is not a valid module name");
        assertThatThrownBy(() -> ConfigSet.read(ws, "gulimall-product", "../../etc", null))
                .hasMessageContaining("not a valid environment name");
        assertThatThrownBy(() -> ConfigSet.read(ws, "/abs", "prod", null))
                .hasMessageContaining("'' is not a valid module name");
        assertThatThrownBy(() -> ConfigSet.read(ws, "gulimall-product", "prod", "my group"))
                .hasMessageContaining("not a valid Nacos group");
    }

    @Test
    void aNameThatIsNoDataIdOrNoConfigurationIsRefused() throws IOException {
        Files.writeString(folder().resolve("app prod.properties"), "a=1\n");
        assertRefused("gulimall-product", "prod", "'app prod.properties' is not a valid Nacos dataId");
        Files.delete(folder().resolve("app prod.properties"));

        Files.writeString(folder().resolve("README.md"), "notes\n");
        assertRefused("gulimall-product", "prod", "README.md is neither .properties, .yaml nor .yml");
        Files.delete(folder().resolve("README.md"));

        Files.createDirectories(folder().resolve("more.yaml"));
        assertRefused("gulimall-product", "prod", "more.yaml is not a plain file");
    }

    @Test
    void anEmptyABinaryOrAnOversizedFileIsRefused() throws IOException {
        Files.writeString(folder().resolve("a.yaml"), " \n");
        assertRefused("gulimall-product", "prod", "a.yaml is empty (Nacos refuses empty content)");

        Files.write(folder().resolve("a.yaml"), new byte[] {'a', ':', ' ', (byte) 0xC3, (byte) 0x28});
        assertRefused("gulimall-product", "prod", "a.yaml is not UTF-8 text");

        Files.writeString(folder().resolve("a.yaml"), "a: " + "x".repeat(ConfigSet.MAX_FILE));
        assertRefused("gulimall-product", "prod", "a.yaml is 256 KiB, more than 256 KiB");
    }

    @Test
    void filesOverTheLimitInAllAreRefused() throws IOException {
        for (int i = 0; i < 9; i++) {
            Files.writeString(
                    folder().resolve("f" + i + ".properties"), "a=" + "x".repeat(ConfigSet.MAX_FILE - 10) + "\n");
        }
        assertRefused("gulimall-product", "prod", "its files hold more than 2048 KiB in all");
    }

    @Test
    void utf8TextIsReadAsItIs() throws IOException {
        Files.write(folder().resolve("a.properties"), "name=谷粒商城\n".getBytes(StandardCharsets.UTF_8));
        assertThat(ConfigSet.read(ws, "gulimall-product", "prod", null)
                        .files()
                        .get(0)
                        .config()
                        .content())
                .isEqualTo("name=谷粒商城\n");
    }

    private void assertRefused(String module, String env, String why) {
        assertThatThrownBy(() -> ConfigSet.read(ws, module, env, null))
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("is refused: " + why)
                .hasMessageContaining("it must hold only the branch's own .properties, .yaml or .yml files");
    }
}
