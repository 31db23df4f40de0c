package io.github.guli.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.registry.RegistryEndpoint;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which base images the registry login reads: the namespace, and the admins' allowedBaseImages entries. */
class RegistryLoginTest {
    private static final RegistryEndpoint ACR = RegistryEndpoint.parse("registry.example.com");

    private static RegistryLogin login(String... allowed) {
        return new RegistryLogin(ACR, "atguigumall", List.of(allowed));
    }

    private static BaseImage image(String text) {
        return BaseImage.parse(text, "baseImage");
    }

    @Test
    void theNamespaceIsReadWithTheLoginAndNothingElseOfTheRegistry() {
        RegistryLogin l = login();
        assertThat(l.covers(image("registry.example.com/atguigumall/jre:17"))).isTrue();
        assertThat(l.covers(image("registry.example.com/atguigumall/sub/jre:17")))
                .isTrue();
        assertThat(l.covers(image("registry.example.com/atguigumall-x/jre:17"))).isFalse();
        assertThat(l.covers(image("registry.example.com/other/jre:17"))).isFalse();
        assertThat(l.covers(image("other.example.com/atguigumall/jre:17")))
                .as("another registry")
                .isFalse();
        assertThat(l.covers(image("eclipse-temurin:17-jre"))).isFalse();
    }

    @Test
    void anEntryIsARepositoryAtAnyTagOneTagOrEverythingBelowAPath() {
        RegistryLogin l = login(
                "base/jre",
                "registry.example.com/tools/node:20",
                "shared/*",
                "",
                "# a comment",
                "pinned/x@sha256:" + "a".repeat(64));
        assertThat(l.covers(image("registry.example.com/base/jre:17"))).isTrue();
        assertThat(l.covers(image("registry.example.com/base/jre:21"))).isTrue();
        assertThat(l.covers(image("registry.example.com/base/jre-debug:17"))).isFalse();
        assertThat(l.covers(image("registry.example.com/tools/node:20"))).isTrue();
        assertThat(l.covers(image("registry.example.com/tools/node:21"))).isFalse();
        assertThat(l.covers(image("registry.example.com/shared/a/b:1"))).isTrue();
        assertThat(l.covers(image("registry.example.com/shared:1"))).isFalse();
        assertThat(l.covers(image("registry.example.com/pinned/x@sha256:" + "a".repeat(64))))
                .isTrue();
        assertThat(l.covers(image("registry.example.com/pinned/x:latest"))).isFalse();
    }

    @Test
    void anEntryOfAnotherRegistryAllowsNothing() {
        RegistryLogin l = login("other.example.com/base/jre");
        assertThat(l.covers(image("other.example.com/base/jre:17"))).isFalse();
        assertThat(l.covers(image("registry.example.com/base/jre:17"))).isFalse();
    }

    @Test
    void aBadEntryIsAnErrorNamingTheSetting() {
        assertThatThrownBy(() -> login("Base/JRE"))
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("allowedBaseImages entry 'Base/JRE' is not an image or repository");
        assertThatThrownBy(() -> login("base/*:17")).hasMessageContaining("allowedBaseImages");
        assertThatThrownBy(() -> ImageRequest.checkAllowedBaseImages(List.of("ok/jre", "bad image")))
                .hasMessageContaining("allowedBaseImages entry 'bad image'");
        ImageRequest.checkAllowedBaseImages(List.of("ok/jre", "127.0.0.1:5000/base/*", "# comment"));
    }

    @Test
    void theRefusalNamesTheImageTheNamespaceAndTheSetting() {
        assertThat(login().refused(image("registry.example.com/other/jre:17"), "baseImage"))
                .hasMessageContaining("registry.example.com/other/jre:17 (baseImage)")
                .hasMessageContaining("not under the job's namespace 'atguigumall'")
                .hasMessageContaining("allowedBaseImages");
    }
}
