package io.github.guli.engine.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.GuliException;
import org.junit.jupiter.api.Test;

class ImageRefTest {
    @Test
    void composesTheCourseName() {
        ImageRef r = ImageRef.of("registry.cn-hangzhou.aliyuncs.com", "atguigumall", "gulimall-gateway", "latest");
        assertThat(r).hasToString("registry.cn-hangzhou.aliyuncs.com/atguigumall/gulimall-gateway:latest");
        assertThat(r.withTag("v1.0.0").tag()).isEqualTo("v1.0.0");
    }

    @Test
    void refusesUpperCaseNamesAndBadTags() {
        assertThatThrownBy(() -> ImageRef.of("r.example.com", "atguigumall", "Gulimall-Gateway", "latest"))
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("part 'Gulimall-Gateway'");
        assertThatThrownBy(() -> ImageRef.of("r.example.com", "ns", "app", "-bad"))
                .hasMessageContaining("tag '-bad'");
        assertThatThrownBy(() -> ImageRef.of("r.example.com", "ns", "app", "a:b"))
                .hasMessageContaining("tag 'a:b'");
        assertThatThrownBy(() -> ImageRef.of("r.example.com", "", "app", "latest"))
                .hasMessageContaining("namespace is not set");
        assertThatThrownBy(() -> ImageRef.of("r.example.com", "Bad NS", "app", "latest"))
                .hasMessageContaining("namespace 'Bad NS' is not valid");
        assertThatThrownBy(() -> ImageRef.of("https://r.example.com/x", "ns", "app", "latest"))
                .hasMessageContaining("not a registry host");
    }

    @Test
    void snapshotTagMakesBranchesSafe() {
        assertThat(ImageRef.snapshotTag("master", "42")).isEqualTo("SNAPSHOT-master-42");
        assertThat(ImageRef.snapshotTag("feature/cart", "7")).isEqualTo("SNAPSHOT-feature-cart-7");
    }

    @Test
    void endpointSchemes() {
        assertThat(RegistryEndpoint.parse(null).baseUri()).hasToString("https://registry.cn-hangzhou.aliyuncs.com");
        assertThat(RegistryEndpoint.parse("http://127.0.0.1:5000").baseUri()).hasToString("http://127.0.0.1:5000");
        assertThat(RegistryEndpoint.parse("http://127.0.0.1:5000").host()).isEqualTo("127.0.0.1:5000");
        assertThatThrownBy(() -> RegistryEndpoint.parse("https://user:pw@r.example.com"))
                .hasMessageContaining("carries credentials")
                .hasMessageNotContaining("pw");
    }
}
