package io.github.guli.engine.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.guli.engine.UsernamePassword;
import io.github.guli.testsupport.Serialized;
import org.junit.jupiter.api.Test;

/** The release request: its defaults, and every value kept on the way to the agent. */
class ReleaseRequestTest {
    @Test
    void unsetItTagsTheImageOnlyWithTheEnginesDefaults() {
        ReleaseRequest r = new ReleaseRequest();
        assertThat(r.tagImage()).isTrue();
        assertThat(r.gitDir()).as("no git tag").isNull();
        assertThat(r.registry()).isNull();
        assertThat(r.registryCredentials()).isNull();
        assertThat(r.gitCredentials()).isNull();
        assertThat(r.commit()).isNull();
        assertThat(r.taggerName()).isNull();
        assertThat(r.taggerEmail()).isNull();
    }

    @Test
    void eachValueIsKeptUnderItsOwnNameThroughJavaSerialization() throws Exception {
        ReleaseRequest r = Serialized.copy(new ReleaseRequest()
                .projectName("gulimall-gateway")
                .projectVersion("v1.2.0")
                .registry("http://127.0.0.1:5000")
                .namespace("atguigumall")
                .sourceTag("SNAPSHOT-master-42")
                .registryCredentials(new UsernamePassword("hub", "hub-secret"))
                .tagImage(false)
                .gitDir("/ws")
                .gitRemote("http://git.example.com/gulimall.git")
                .commit("0123abc")
                .gitCredentials(new UsernamePassword("git", "git-secret"))
                .taggerName("release-bot")
                .taggerEmail("release@example.com"));
        assertThat(r.projectName()).isEqualTo("gulimall-gateway");
        assertThat(r.projectVersion()).isEqualTo("v1.2.0");
        assertThat(r.registry()).isEqualTo("http://127.0.0.1:5000");
        assertThat(r.namespace()).isEqualTo("atguigumall");
        assertThat(r.sourceTag()).isEqualTo("SNAPSHOT-master-42");
        assertThat(r.registryCredentials().username()).isEqualTo("hub");
        assertThat(r.registryCredentials().password()).isEqualTo("hub-secret");
        assertThat(r.tagImage()).isFalse();
        assertThat(r.gitDir()).isEqualTo("/ws");
        assertThat(r.gitRemote()).isEqualTo("http://git.example.com/gulimall.git");
        assertThat(r.commit()).isEqualTo("0123abc");
        assertThat(r.gitCredentials().username()).isEqualTo("git");
        assertThat(r.gitCredentials().password()).isEqualTo("git-secret");
        assertThat(r.taggerName()).isEqualTo("release-bot");
        assertThat(r.taggerEmail()).isEqualTo("release@example.com");
    }
}
