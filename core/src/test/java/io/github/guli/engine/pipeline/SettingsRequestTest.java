package io.github.guli.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.build.ChangedServices;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The request as guliSettings builds it: the defaults its setters promise, and a copy of the maps it is given. */
class SettingsRequestTest {
    @Test
    void unsetValuesAreTheDocumentedDefaults() {
        SettingsRequest r = new SettingsRequest();
        assertThat(r.call()).isNull();
        assertThat(r.file()).isNull();
        assertThat(r.pom()).isNull();
        assertThat(r.scm()).isNull();
        assertThat(r.env()).isNull();
        assertThat(r.global()).isNull();
        assertThat(r.kind()).isNull();
        assertThat(r.lockAvailable()).isFalse();
        assertThat(r.jobFullName()).isNull();
        assertThat(r.changes()).isNull();
        // a null map stays null: a null scm is what "before checkout" means to the settings
        r.call(null).scm(null).env(null).global(null);
        assertThat(r.call()).isNull();
        assertThat(r.scm()).isNull();
        assertThat(r.env()).isNull();
        assertThat(r.global()).isNull();
    }

    @Test
    void eachSetterWritesItsOwnValue() {
        ChangedServices.Result changes = new ChangedServices.Result("abc", List.of(), "nothing changed");
        SettingsRequest r = new SettingsRequest()
                .call(Map.of("service", "gulimall-gateway"))
                .file("qualityGate: false\n")
                .pom("<project/>")
                .scm(Map.of("GIT_COMMIT", "0123abc"))
                .env(Map.of("BUILD_NUMBER", "7"))
                .global(Map.of("approvers", "ops"))
                .kind(PipelineSettings.FRONTEND)
                .lockAvailable(true)
                .jobFullName("shop/gulimall")
                .changes(changes);
        assertThat(r.call()).isEqualTo(Map.of("service", "gulimall-gateway"));
        assertThat(r.file()).isEqualTo("qualityGate: false\n");
        assertThat(r.pom()).isEqualTo("<project/>");
        assertThat(r.scm()).isEqualTo(Map.of("GIT_COMMIT", "0123abc"));
        assertThat(r.env()).isEqualTo(Map.of("BUILD_NUMBER", "7"));
        assertThat(r.global()).isEqualTo(Map.of("approvers", "ops"));
        assertThat(r.kind()).isEqualTo(PipelineSettings.FRONTEND);
        assertThat(r.lockAvailable()).isTrue();
        assertThat(r.jobFullName()).isEqualTo("shop/gulimall");
        assertThat(r.changes()).isSameAs(changes);
    }

    @Test
    void theMapsAreUnmodifiableCopiesInTheirOrderWithTheirNullValues() {
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("service", "gulimall-gateway");
        call.put("registry", "127.0.0.1:5000");
        call.put("agent", null);
        Map<String, String> scm = new HashMap<>(Map.of("GIT_COMMIT", "0123abc"));
        Map<String, String> env = new HashMap<>(Map.of("BUILD_NUMBER", "7"));
        Map<String, String> global = new HashMap<>();
        global.put("approvers", null);
        SettingsRequest r = new SettingsRequest().call(call).scm(scm).env(env).global(global);
        call.put("service", "elsewhere");
        scm.put("GIT_COMMIT", "fffffff");
        env.put("PROJECT_NAME", "../etc");
        global.put("approvers", "intruder");
        assertThat(List.copyOf(r.call().keySet())).containsExactly("service", "registry", "agent");
        assertThat(r.call().get("service")).isEqualTo("gulimall-gateway");
        assertThat(r.call().get("agent")).isNull();
        assertThat(r.scm()).containsExactly(Map.entry("GIT_COMMIT", "0123abc"));
        assertThat(r.env()).containsExactly(Map.entry("BUILD_NUMBER", "7"));
        assertThat(r.global()).containsKey("approvers").containsValue(null).hasSize(1);
        assertThatThrownBy(() -> r.env().put("PROJECT_NAME", "../etc"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> r.call().remove("service")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> r.scm().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> r.global().remove("approvers")).isInstanceOf(UnsupportedOperationException.class);
    }
}
