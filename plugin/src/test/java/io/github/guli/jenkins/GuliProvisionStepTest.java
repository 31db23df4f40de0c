package io.github.guli.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.model.TaskListener;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.provision.ProvisionRequest;
import io.github.guli.engine.provision.ProvisionRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * guliProvision: its parameters become the engine's request on the controller as given (the settings a map, never a
 * file someone escapes), the secrets come from credentials only, and the engine runs where the workspace is.
 */
class GuliProvisionStepTest {
    /** What a properties file would mangle: line breaks, separators and a comment sign, in a key and in a value. */
    static final String HOSTILE_KEY = "x\r\ny=z:w#v";

    static final String HOSTILE_VALUE = "{\"ha-mode\":\"all\"}\r\n#not=a:comment\rend";

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final TaskListener listener = () -> new PrintStream(console, true, StandardCharsets.UTF_8);

    private static ProvisionRequest request(GuliProvisionStep step, FakeCredentialsStore store) throws Exception {
        return new GuliProvisionStep.Execution(step, null).request(new TestRun(), new CredentialsLookup(store));
    }

    private static FakeCredentialsStore noCredentials() {
        return new FakeCredentialsStore(Map.of());
    }

    private String console() {
        return console.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everySettingsKeyAndValueReachesTheEngineUnchanged() throws Exception {
        GuliProvisionStep step = new GuliProvisionStep();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("rabbitmq.policyDefinition", HOSTILE_VALUE);
        settings.put("redis.nodes", 9); // a Groovy number is its string
        settings.put("redis.replicas", "2");
        step.setSettings(settings);
        ProvisionRequest r = request(step, noCredentials());
        assertThat(r.settings().get("rabbitmq.policyDefinition")).isEqualTo(HOSTILE_VALUE);
        assertThat(r.settings().get("redis.nodes")).isEqualTo("9");

        settings.put(HOSTILE_KEY, HOSTILE_VALUE);
        step.setSettings(settings);
        assertThat(request(step, noCredentials()).overrides())
                .containsEntry(HOSTILE_KEY, HOSTILE_VALUE)
                .containsEntry("rabbitmq.policyDefinition", HOSTILE_VALUE);
        assertThatThrownBy(() -> request(step, noCredentials()).settings())
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("unknown setting '" + HOSTILE_KEY + "'");
    }

    @Test
    void aDryRunByDefaultPrintsEveryManifestRedactedOnTheAgentAndWritesNothing(@TempDir Path ws) throws Exception {
        GuliProvisionStep step = new GuliProvisionStep();
        step.setNamespace("mall");
        step.setStorageClass("nfs-client");
        step.setOutputDir("out");
        ProvisionRequest r = request(step, noCredentials());
        assertThat(r.dryRun()).isTrue();
        assertThat(r.outputDir()).isNull();

        var outcome = new GuliProvisionStep.OnAgent(r, listener).invoke(ws.toFile(), null);
        assertThat(outcome.error()).isNull();
        ProvisionRun.Outcome o = outcome.value();
        assertThat(o.summary()).startsWith("35 objects: 1 Namespace");
        assertThat(o.manifests())
                .contains("namespace: mall", "storageClassName: nfs-client", "'<redacted: from credentials>'");
        assertThat(o.written()).isEmpty();
        assertThat(o.withheld()).contains("mysql-secret", "shardingsphere-config");
        assertThat(console()).contains("# ---- 02-secrets.yaml", "[guliProvision] 35 objects");
        try (var files = Files.list(ws)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aRealRunNamesEveryMissingCredentialsParameterBeforeTheAgentIsAsked() throws Exception {
        GuliProvisionStep step = new GuliProvisionStep();
        step.setDryRun(false);
        step.setRedisCredentialsId(" ");
        assertThatThrownBy(() -> request(step, noCredentials()))
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("missing: mysqlRootCredentialsId, mysqlReplicationCredentialsId, "
                        + "redisCredentialsId, rabbitmqCookieCredentialsId, shardingsphereCredentialsId");
    }

    @Test
    void theSecretsAreLookedUpInJenkinsAsSecretTextForTheRun() throws Exception {
        GuliProvisionStep step = new GuliProvisionStep();
        step.setDryRun(false);
        step.setMysqlRootCredentialsId("mysql-root");
        step.setMysqlReplicationCredentialsId("mysql-repl");
        step.setRedisCredentialsId("redis");
        step.setRabbitmqCookieCredentialsId("cookie");
        step.setShardingsphereCredentialsId("sharding");
        FakeCredentialsStore store = noCredentials();
        assertThatThrownBy(() -> request(step, store))
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("no credentials with ID 'mysql-root' (MySQL root password)")
                .hasMessageContaining("'Secret text'");
        assertThat(store.lookups).first().isEqualTo("mysql-root as StringCredentials for TestRun");
        // a dry run reads none
        step.setDryRun(true);
        FakeCredentialsStore untouched = noCredentials();
        request(step, untouched);
        assertThat(untouched.lookups).isEmpty();
    }

    @Test
    void aRealRunWritesTheManifestsWithoutSecretsInsideTheWorkspaceOnly(@TempDir Path ws) throws Exception {
        ProvisionRequest r = new ProvisionRequest(Map.of("redis.nodes", "9", "redis.replicas", "2"))
                .dryRun(false)
                .outputDir("k8s/middleware");
        var o = new GuliProvisionStep.OnAgent(r, listener).invoke(ws.toFile(), null);
        assertThat(o.error()).isNull();
        assertThat(o.value().manifests()).isNull();
        assertThat(o.value().written())
                .contains(ws.resolve("k8s/middleware/redis.yaml").toString());
        assertThat(ws.resolve("k8s/middleware/02-secrets.yaml")).doesNotExist();
        assertThat(Files.readString(ws.resolve("k8s/middleware/redis.yaml"))).contains("replicas: 9");

        var outside = new GuliProvisionStep.OnAgent(r.outputDir("../elsewhere"), listener).invoke(ws.toFile(), null);
        assertThat(outside.error()).startsWith("outputDir '../elsewhere' is outside the workspace");
        assertThat(ws.resolveSibling("elsewhere")).doesNotExist();
    }

    @Test
    void blankParametersTakeTheDefaults() {
        GuliProvisionStep step = new GuliProvisionStep();
        assertThat(step.isDryRun()).isTrue();
        step.setOutputDir(" ");
        step.setNamespace("");
        step.setSettings(null);
        assertThat(step.getOutputDir()).isEqualTo("middleware-manifests");
        assertThat(step.getNamespace()).isNull();
        assertThat(step.getSettings()).isEmpty();
    }
}
