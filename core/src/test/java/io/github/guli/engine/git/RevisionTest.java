package io.github.guli.engine.git;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What an image's source label may say of the origin URL: never a credential. */
class RevisionTest {
    @Test
    void theSourceUrlKeepsNoUserPasswordQueryOrFragment() {
        assertThat(Revision.withoutCredentials("https://deployer:t0ken@git.example.com:8443/shop/gulimall.git?x=t0k#y"))
                .isEqualTo("https://git.example.com:8443/shop/gulimall.git");
        assertThat(Revision.withoutCredentials("ssh://git@git.example.com/shop/gulimall.git"))
                .isEqualTo("ssh://git.example.com/shop/gulimall.git");
    }

    @Test
    void whatIsNoUrlOfAServerIsLeftOut() {
        assertThat(Revision.withoutCredentials("git@git.example.com:shop/gulimall.git"))
                .isNull();
        assertThat(Revision.withoutCredentials("/srv/git/gulimall.git")).isNull();
        assertThat(Revision.withoutCredentials("file:///srv/git/gulimall.git")).isNull();
        assertThat(Revision.withoutCredentials("https://git.example.com/a b")).isNull();
        assertThat(Revision.withoutCredentials(null)).isNull();
    }

    @Test
    void onlyAFullLowerCaseCommitIsOne() {
        assertThat(Revision.isCommit("0123456789abcdef0123456789abcdef01234567"))
                .isTrue();
        assertThat(Revision.isCommit("0123456789ABCDEF0123456789abcdef01234567"))
                .isFalse();
        assertThat(Revision.isCommit("0123456")).isFalse();
        assertThat(Revision.isCommit(null)).isFalse();
    }
}
