package io.github.guli.engine.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.GuliException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReleaseVersionTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "v1.2.0",
                "v0.0.1",
                "v2.0.0-rc.1",
                "v10.20.30",
                "v1.0.0-alpha.beta.1",
                "v1.0.0+build.5",
                "v1.0.0-rc.1+sha.abc123",
                "v1.0.0-0.3.7",
                "v1.0.0-x-y-z.--"
            })
    void acceptsReleaseVersions(String v) {
        assertThat(ReleaseVersion.isRelease(v)).isTrue();
        assertThat(ReleaseVersion.parse(v).toString()).isEqualTo(v);
    }

    // The course's /v.*/ took all of these; its own default "v0.0Beta" among them.
    @ParameterizedTest
    @ValueSource(
            strings = {
                "v",
                "vfoo",
                "v0.0Beta",
                "1.2.0",
                "V1.2.0",
                "v1.2",
                "v01.2.3",
                "v1.02.3",
                "v1.2.3-",
                "v1.2.3-01",
                "v1.2.3 ",
                " v1.2.3",
                "v1.2.3+",
                "v1.2.3-rc..1",
                "release-v1.2.3",
                "v1.2.3.4",
                "SNAPSHOT"
            })
    void refusesAnythingElseNamingTheRule(String v) {
        assertThat(ReleaseVersion.isRelease(v)).isFalse();
        assertThatThrownBy(() -> ReleaseVersion.parse(v))
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("'" + v + "' is not a release version")
                .hasMessageContaining("'v' followed by a semantic version");
    }

    @org.junit.jupiter.api.Test
    void emptyIsNotARelease() {
        assertThat(ReleaseVersion.isRelease("")).isFalse();
        assertThat(ReleaseVersion.isRelease(null)).isFalse();
        assertThatThrownBy(() -> ReleaseVersion.parse("")).hasMessageContaining("PROJECT_VERSION is empty");
    }

    @org.junit.jupiter.api.Test
    void upperCaseVIsToldToUseLowerCase() {
        assertThatThrownBy(() -> ReleaseVersion.parse("V1.0.0")).hasMessageContaining("lower-case 'v'");
    }

    @org.junit.jupiter.api.Test
    void buildMetadataBecomesAValidImageTag() {
        assertThat(ReleaseVersion.parse("v1.0.0+build.5").imageTag()).isEqualTo("v1.0.0_build.5");
        assertThat(ReleaseVersion.parse("v2.0.0-rc.1").imageTag()).isEqualTo("v2.0.0-rc.1");
    }

    @org.junit.jupiter.api.Test
    void gitTagNameIsProjectDashVersion() {
        assertThat(Release.gitTagName("gulimall-gateway", ReleaseVersion.parse("v1.2.0")))
                .isEqualTo("gulimall-gateway-v1.2.0");
        assertThatThrownBy(() -> Release.gitTagName("bad name", ReleaseVersion.parse("v1.2.0")))
                .hasMessageContaining("cannot be a git tag name");
    }
}
