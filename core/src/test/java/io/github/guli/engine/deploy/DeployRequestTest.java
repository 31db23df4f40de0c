package io.github.guli.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.testsupport.Serialized;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The deploy request: its defaults, a copy of the environment, and every value kept on the way to the agent. */
class DeployRequestTest {
    @Test
    void unsetItSubstitutesWaitsTheDefaultTimeAndRollsBackWithTheMachinesKubeconfig() {
        DeployRequest r = new DeployRequest().workspace("/ws").configs("gulimall-auth-server/deploy/**");
        assertThat(r.substitute()).isTrue();
        assertThat(r.env()).isEmpty();
        assertThat(r.kubeconfig()).as("the machine's own").isNull();
        assertThat(r.context()).as("the current-context").isNull();
        assertThat(r.namespace()).as("the context's namespace").isNull();
        assertThat(r.waitForRollout()).isTrue();
        assertThat(r.timeoutSeconds()).isEqualTo(DeployRequest.DEFAULT_TIMEOUT_SECONDS);
        assertThat(r.rollbackOnFailure()).isTrue();
        assertThat(r.dryRun()).isFalse();
        assertThat(r.env(null).env()).isEmpty();
        assertThat(r.timeoutSeconds(0).timeoutSeconds()).isEqualTo(DeployRequest.DEFAULT_TIMEOUT_SECONDS);
        assertThat(r.timeoutSeconds(-5).timeoutSeconds()).isEqualTo(DeployRequest.DEFAULT_TIMEOUT_SECONDS);
    }

    @Test
    void theEnvironmentIsAnUnchangeableCopyOfWhatWasGiven() {
        Map<String, String> env = new HashMap<>(Map.of("TAG_NAME", "v1.0.0"));
        DeployRequest r = new DeployRequest().env(env);
        env.put("TAG_NAME", "v2.0.0");
        assertThat(r.env()).containsExactly(Map.entry("TAG_NAME", "v1.0.0"));
        assertThatThrownBy(() -> r.env().put("TAG_NAME", "v3.0.0")).isInstanceOf(UnsupportedOperationException.class);
    }

    /** A setter, its getter and a value other than the default. */
    record Setting(String field, UnaryOperator<DeployRequest> set, Function<DeployRequest, Object> get, Object value) {
        @Override
        public String toString() {
            return field;
        }
    }

    static Stream<Setting> settings() {
        Kubeconfig kubeconfig = new Kubeconfig("credentials 'prod-kubeconfig'", "apiVersion: v1\nkind: Config\n");
        return Stream.of(
                new Setting("workspace", r -> r.workspace("/ws"), DeployRequest::workspace, "/ws"),
                new Setting("configs", r -> r.configs("k8s/**"), DeployRequest::configs, "k8s/**"),
                new Setting("substitute", r -> r.substitute(false), DeployRequest::substitute, false),
                new Setting("env", r -> r.env(Map.of("A", "b")), DeployRequest::env, Map.of("A", "b")),
                new Setting("kubeconfig", r -> r.kubeconfig(kubeconfig), DeployRequest::kubeconfig, kubeconfig),
                new Setting("context", r -> r.context("prod"), DeployRequest::context, "prod"),
                new Setting("namespace", r -> r.namespace("gulimall"), DeployRequest::namespace, "gulimall"),
                new Setting("waitForRollout", r -> r.waitForRollout(false), DeployRequest::waitForRollout, false),
                new Setting("timeoutSeconds", r -> r.timeoutSeconds(120), DeployRequest::timeoutSeconds, 120),
                new Setting(
                        "rollbackOnFailure", r -> r.rollbackOnFailure(false), DeployRequest::rollbackOnFailure, false),
                new Setting("dryRun", r -> r.dryRun(true), DeployRequest::dryRun, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void eachSetterChangesItsOwnValueAndNoOther(Setting s) {
        DeployRequest r = s.set().apply(new DeployRequest());
        assertThat(s.get().apply(r)).isEqualTo(s.value());
        assertThat(r).usingRecursiveComparison().ignoringFields(s.field()).isEqualTo(new DeployRequest());
    }

    @Test
    void eachValueIsKeptThroughJavaSerialization() throws Exception {
        DeployRequest r = new DeployRequest();
        settings().forEach(s -> s.set().apply(r));
        DeployRequest back = Serialized.copy(r);
        settings().forEach(s -> assertThat(s.get().apply(back)).as(s.field()).isEqualTo(s.value()));
        assertThat(back.kubeconfig().content()).isEqualTo("apiVersion: v1\nkind: Config\n");
    }
}
