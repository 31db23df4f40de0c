package io.github.guli.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cloudbees.plugins.credentials.common.IdCredentials;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.environment.EnvironmentRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How guliPromote resolves the environments: from the global configuration only, secrets for the two it reaches. */
class GuliPromoteStepTest {
    private static final String KUBECONFIG = """
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: "https://%s.example:6443"}}]
            users: [{name: u, user: {token: %s-token}}]
            contexts: [{name: c, context: {cluster: c, user: u}}]
            current-context: c
            """;

    static GuliConfiguration admins() {
        GuliConfiguration g = GuliBuildStepTest.global(null, null);
        g.setRegistry("registry.example.com");
        g.setRegistryCredentialsId("aliyun-hub-id");
        GuliEnvironment test = new GuliEnvironment("test");
        test.setKubeconfigCredentialsId("test-kube");
        test.setApprovalRequired(false);
        GuliEnvironment staging = new GuliEnvironment("staging");
        staging.setNamespace("gulimall-staging");
        staging.setKubeconfigCredentialsId("staging-kube");
        staging.setNacosUrl("http://nacos-staging:8848");
        staging.setNacosCredentialsId("nacos-staging");
        GuliEnvironment prod = new GuliEnvironment("prod");
        prod.setNamespace("gulimall");
        prod.setKubeconfigCredentialsId("prod-kube");
        prod.setApprovers("release-managers, ops");
        prod.setNacosUrl("http://nacos-prod:8848");
        prod.setNacosNamespace("prod");
        prod.setNacosGroup("GULIMALL");
        prod.setImageRepository("registry.example.com/atguigumall-prod");
        prod.setNacosCredentialsId("nacos-prod");
        prod.setReleasePoint(true);
        g.setEnvironments(List.of(test, staging, prod));
        return g;
    }

    static FakeCredentialsStore store() {
        Map<String, IdCredentials> byId = new HashMap<>();
        byId.put("aliyun-hub-id", TestCredentials.login("admin-registry", "registry-secret"));
        byId.put("nacos-prod", TestCredentials.login("nacos", "nacos-secret"));
        byId.put("nacos-staging", TestCredentials.login("nacos", "staging-nacos-secret"));
        for (String env : List.of("test", "staging", "prod")) {
            byId.put(
                    env + "-kube",
                    new TestCredentials.SecretFile(env + "-kube", "config", KUBECONFIG.formatted(env, env)));
        }
        return new FakeCredentialsStore(byId);
    }

    private static EnvironmentRequest request(GuliPromoteStep step, CredentialsLookup lookup) throws Exception {
        return step.request(new TestRun(), GuliBuildStepTest.env(Map.of()), "/ws", admins(), lookup);
    }

    @Test
    void theTargetAndItsPredecessorGetTheirClustersAndTheRestOfTheConfigurationIsCarried() throws Exception {
        GuliPromoteStep step = new GuliPromoteStep("gulimall-auth-server", "prod");
        step.setVersion("v1.4.2");
        step.setCommit("c0ffee1");
        step.setConfigState("application.properties=" + "a".repeat(32) + ",redis.yaml=absent");
        CredentialsLookup lookup = new CredentialsLookup(store());
        EnvironmentRequest r = request(step, lookup);

        assertThat(r.service()).isEqualTo("gulimall-auth-server");
        assertThat(r.commit())
                .as("the workspace must have the previewed commit")
                .isEqualTo("c0ffee1");
        assertThat(r.configState()).isEqualTo(Map.of("application.properties", "a".repeat(32), "redis.yaml", "absent"));
        assertThat(r.version()).isEqualTo("v1.4.2");
        assertThat(r.registry()).isEqualTo("registry.example.com");
        assertThat(r.registryCredentials().username()).isEqualTo("admin-registry");
        assertThat(r.environments().names()).containsExactly("test", "staging", "prod");
        assertThat(r.environments().get("test").kubeconfig())
                .as("not reached: not looked up")
                .isNull();
        assertThat(r.environments().get("staging").kubeconfig().content()).contains("staging-token");
        assertThat(r.environments().get("staging").namespace()).isEqualTo("gulimall-staging");
        var prod = r.environments().get("prod");
        assertThat(prod.kubeconfig().toString()).isEqualTo("kubeconfig from credentials 'prod-kube'");
        assertThat(prod.approvers()).containsExactly("release-managers", "ops");
        assertThat(prod.nacosUrl()).isEqualTo("http://nacos-prod:8848");
        assertThat(prod.nacosNamespace()).isEqualTo("prod");
        assertThat(prod.nacosGroup()).isEqualTo("GULIMALL");
        assertThat(prod.imageRepository()).isEqualTo("registry.example.com/atguigumall-prod");
        assertThat(prod.nacosCredentials().password()).isEqualTo("nacos-secret");
        assertThat(r.environments().get("staging").nacosCredentials())
                .as("only the target's configuration is published: the predecessor's Nacos login is not looked up")
                .isNull();
        assertThat(r.environments().releasePoint().name()).isEqualTo("prod");
        assertThat(r.environments().get("test").approvalRequired()).isFalse();
        assertThat(lookup.secrets())
                .contains("prod-token", "staging-token", "nacos-secret")
                .doesNotContain("test-token", "staging-nacos-secret");
    }

    @Test
    void aRollbackTakesItsVersionAndMayNotAlsoNameOne() throws Exception {
        GuliPromoteStep step = new GuliPromoteStep("gulimall-auth-server", "prod");
        step.setRollbackTo("v1.4.1");
        assertThat(request(step, new CredentialsLookup(store())).version()).isEqualTo("v1.4.1");
        step.setVersion("v1.4.2");
        assertThatThrownBy(() -> request(step, new CredentialsLookup(store())))
                .isInstanceOf(GuliException.class)
                .hasMessage("give rollbackTo, or version/digest to promote, not both");
    }

    @Test
    void noEnvironmentsConfiguredSaysWhereToAddThem() {
        GuliConfiguration g = admins();
        g.setEnvironments(null);
        assertThatThrownBy(() -> new GuliPromoteStep("a", "prod")
                        .request(
                                new TestRun(),
                                GuliBuildStepTest.env(Map.of()),
                                "/ws",
                                g,
                                new CredentialsLookup(store())))
                .hasMessageContaining("no environment is configured")
                .hasMessageContaining("Manage Jenkins > System > guli-pipeline > Environments");
    }
}
