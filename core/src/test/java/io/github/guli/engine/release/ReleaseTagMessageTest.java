package io.github.guli.engine.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The annotated tag's message records the release, its image and the build's approval decisions. */
class ReleaseTagMessageTest {
    @Test
    void theApprovalsFollowTheImage() {
        ReleaseRequest r = new ReleaseRequest()
                .projectName("gulimall-order")
                .approvals(List.of("{\"who\":\"alice\",\"decision\":\"approved\"}", "{\"who\":\"bob\"}"));
        assertThat(Release.tagMessage(r, ReleaseVersion.parse("v1.4.0"), "registry.example.com/mall/order@sha256:ab"))
                .isEqualTo("Release v1.4.0 of gulimall-order\n\nimage registry.example.com/mall/order@sha256:ab"
                        + "\n\napprovals:\n{\"who\":\"alice\",\"decision\":\"approved\"}\n{\"who\":\"bob\"}");
    }

    @Test
    void withoutApprovalsTheMessageIsAsBefore() {
        ReleaseRequest r = new ReleaseRequest().projectName("gulimall-order");
        assertThat(Release.tagMessage(r, ReleaseVersion.parse("v1.4.0"), null))
                .isEqualTo("Release v1.4.0 of gulimall-order");
    }
}
