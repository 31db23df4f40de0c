package io.github.guli.engine.nacos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.UsernamePassword;
import io.github.guli.testsupport.NacosStandIn;
import io.github.guli.testsupport.Serialized;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigPublishTest {
    static final String GROUP = NacosNames.DEFAULT_GROUP;
    static final UsernamePassword NACOS = new UsernamePassword("deployer", "s3cret-Nacos-pw");

    @TempDir
    Path ws;

    final List<String> log = new ArrayList<>();

    ConfigSet release(Map<String, String> files) throws Exception {
        Path dir = Files.createDirectories(ws.resolve("gulimall-product/config/prod"));
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.writeString(dir.resolve(f.getKey()), f.getValue());
        }
        return ConfigSet.read(ws, "gulimall-product", "prod", null);
    }

    @Test
    void publishesWhatChangedRecordsTheHashesAndRestoresThePreviousConfiguration() throws Exception {
        try (NacosStandIn nacos = NacosStandIn.withAuth(NACOS.username(), NACOS.password())) {
            nacos.put("prod", GROUP, "a.properties", "a=1\n", "properties");
            nacos.put("prod", GROUP, "c.yaml", "c: 1\n", "yaml");
            ConfigSet set = release(Map.of("a.properties", "a=2\n", "b.yaml", "b: 1\n", "c.yaml", "c: 1\n"));
            ConfigPublish publish = new ConfigPublish(new NacosClient(nacos.url(), NACOS, "prod"), log::add);

            ConfigSnapshot before = publish.snapshot(set);
            ConfigRecord record = publish.publish(set, before);

            assertThat(nacos.content("prod", GROUP, "a.properties")).contains("a=2\n");
            assertThat(nacos.content("prod", GROUP, "b.yaml")).contains("b: 1\n");
            assertThat(nacos.operations("prod", GROUP, "c.yaml"))
                    .as("unchanged: not written")
                    .containsExactly("I");
            assertThat(record.sha256ByDataId())
                    .containsExactly(
                            Map.entry("a.properties", new NacosConfig("a=2\n", "x").sha256()),
                            Map.entry("b.yaml", new NacosConfig("b: 1\n", "x").sha256()),
                            Map.entry("c.yaml", new NacosConfig("c: 1\n", "x").sha256()));
            assertThat(Serialized.copy(record)).isEqualTo(record);
            assertThat(record.toString()).doesNotContain("a=2");

            List<String> restored = publish.restore(Serialized.copy(before));

            assertThat(restored).containsExactly("a.properties", "b.yaml");
            assertThat(nacos.content("prod", GROUP, "a.properties")).contains("a=1\n");
            assertThat(nacos.content("prod", GROUP, "b.yaml"))
                    .as("did not exist before")
                    .isEmpty();
            assertThat(nacos.content("prod", GROUP, "c.yaml")).contains("c: 1\n");
            assertThat(publish.restore(before))
                    .as("a second restore finds nothing to do")
                    .isEmpty();
            assertThat(log)
                    .contains(
                            "c.yaml: unchanged",
                            "b.yaml: deleted (it did not exist before)",
                            "a.properties: restored its previous content (sha256 "
                                    + new NacosConfig("a=1\n", "x").sha256() + ")");
            assertThat(nacos.requests())
                    .allSatisfy(r -> assertThat(r.url())
                            .doesNotContain(NACOS.password())
                            .doesNotContain("password")
                            .doesNotContainIgnoringCase("token"));
            assertThat(before.toString()).doesNotContain("a=1");
        }
    }

    @Test
    void aPublishFailingHalfWayRestoresWhatItHadPublished() throws Exception {
        try (NacosStandIn nacos = NacosStandIn.open()) {
            nacos.put("prod", GROUP, "a.properties", "a=1\n", "properties");
            nacos.put("prod", GROUP, "b.properties", "b=1\n", "properties");
            ConfigSet set = release(Map.of("a.properties", "a=2\n", "b.properties", "b=2\n", "c.yaml", "c: 2\n"));
            ConfigPublish publish = new ConfigPublish(new NacosClient(nacos.url(), null, "prod"), log::add);
            ConfigSnapshot before = publish.snapshot(set);
            nacos.failNextPublishOf("b.properties");

            assertThatThrownBy(() -> publish.publish(set, before))
                    .isInstanceOf(GuliException.class)
                    .hasMessageStartingWith("publishing the configuration stopped at b.properties: ")
                    .hasMessageEndingWith("; restored a.properties to what it held before");

            assertThat(nacos.content("prod", GROUP, "a.properties")).contains("a=1\n");
            assertThat(nacos.content("prod", GROUP, "b.properties")).contains("b=1\n");
            assertThat(nacos.content("prod", GROUP, "c.yaml")).isEmpty();
        }
    }

    @Test
    void aChangeMadeInNacosAfterTheSnapshotIsNotOverwritten() throws Exception {
        try (NacosStandIn nacos = NacosStandIn.open()) {
            nacos.put("prod", GROUP, "a.properties", "a=1\n", "properties");
            nacos.put("prod", GROUP, "b.properties", "b=1\n", "properties");
            ConfigSet set = release(Map.of("a.properties", "a=2\n", "b.properties", "b=2\n"));
            ConfigPublish publish = new ConfigPublish(new NacosClient(nacos.url(), null, "prod"), log::add);
            ConfigSnapshot before = publish.snapshot(set);
            nacos.put("prod", GROUP, "b.properties", "b=someone-else\n", "properties");

            assertThatThrownBy(() -> publish.publish(set, before))
                    .hasMessageContaining("stopped at b.properties")
                    .hasMessageContaining("its content changed in Nacos since it was read")
                    .hasMessageContaining("restored a.properties");

            assertThat(nacos.content("prod", GROUP, "a.properties")).contains("a=1\n");
            assertThat(nacos.content("prod", GROUP, "b.properties")).contains("b=someone-else\n");
        }
    }

    @Test
    void refusedCredentialsFailBeforeAnythingChanges() throws Exception {
        try (NacosStandIn nacos = NacosStandIn.withAuth(NACOS.username(), NACOS.password())) {
            nacos.put("prod", GROUP, "a.properties", "a=1\n", "properties");
            ConfigSet set = release(Map.of("a.properties", "a=2\n"));
            ConfigPublish publish = new ConfigPublish(
                    new NacosClient(nacos.url(), new UsernamePassword("deployer", "wrong"), "prod"), log::add);

            assertThatThrownBy(() -> publish.snapshot(set))
                    .hasMessageContaining("refused the login of user 'deployer'");

            assertThat(nacos.operations("prod", GROUP, "a.properties")).containsExactly("I");
            assertThat(nacos.requests())
                    .extracting(NacosStandIn.Request::method)
                    .containsOnly("POST");
        }
    }

    @Test
    void aUserWhoMayNotWriteChangesNothing() throws Exception {
        try (NacosStandIn nacos = NacosStandIn.withAuth(NACOS.username(), NACOS.password())) {
            nacos.denyWrites();
            ConfigSet set = release(Map.of("a.properties", "a=2\n", "b.properties", "b=2\n"));
            ConfigPublish publish = new ConfigPublish(new NacosClient(nacos.url(), NACOS, "prod"), log::add);
            ConfigSnapshot before = publish.snapshot(set);

            assertThatThrownBy(() -> publish.publish(set, before))
                    .hasMessageContaining("stopped at a.properties")
                    .hasMessageContaining("read and write permission on namespace 'prod'")
                    .hasMessageEndingWith("; nothing had changed in Nacos");
            assertThat(nacos.content("prod", GROUP, "a.properties")).isEmpty();
        }
    }
}
