package io.github.guli.engine.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.guli.engine.SshKey;
import io.github.guli.engine.UsernamePassword;
import io.github.guli.testsupport.Serialized;
import org.junit.jupiter.api.Test;

/** The checkout request: its defaults, and every value kept on the way to the agent. */
class CheckoutRequestTest {
    @Test
    void unsetItIsTheDefaultBranchWithoutCredentials() {
        CheckoutRequest r = new CheckoutRequest().url("http://git.example.com/gulimall.git");
        assertThat(r.ref()).isNull();
        assertThat(r.password()).isNull();
        assertThat(r.sshKey()).isNull();
        assertThat(r.sshDir()).isNull();
    }

    @Test
    void eachValueIsKeptUnderItsOwnNameThroughJavaSerialization() throws Exception {
        CheckoutRequest r = Serialized.copy(new CheckoutRequest()
                .url("git@gitee.com:leifengyang/gulimall.git")
                .ref("feature/cart")
                .password(new UsernamePassword("git", "git-secret"))
                .sshKey(new SshKey("gitee", "-----BEGIN OPENSSH PRIVATE KEY-----", "open sesame"))
                .sshDir("/home/jenkins/.ssh"));
        assertThat(r.url()).isEqualTo("git@gitee.com:leifengyang/gulimall.git");
        assertThat(r.ref()).isEqualTo("feature/cart");
        assertThat(r.password().username()).isEqualTo("git");
        assertThat(r.password().password()).isEqualTo("git-secret");
        assertThat(r.sshKey().username()).isEqualTo("gitee");
        assertThat(r.sshKey().privateKey()).isEqualTo("-----BEGIN OPENSSH PRIVATE KEY-----");
        assertThat(r.sshKey().passphrase()).isEqualTo("open sesame");
        assertThat(r.sshDir()).isEqualTo("/home/jenkins/.ssh");
    }
}
