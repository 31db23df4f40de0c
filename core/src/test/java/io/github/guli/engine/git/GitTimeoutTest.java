package io.github.guli.engine.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.guli.engine.GuliException;
import io.github.guli.testsupport.StalledServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A git server that accepts the connection and never answers: every git call gives up in bounded time, naming it. */
class GitTimeoutTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** Far above the timeout (JGit may try twice, e.g. smart then dumb HTTP), far below "forever". */
    private static final Duration BOUND = Duration.ofSeconds(30);

    private final List<String> log = new ArrayList<>();

    @Test
    void aCheckoutFromAStalledServerFailsInBoundedTimeNamingIt(@TempDir Path workspace) throws Exception {
        try (StalledServer server = new StalledServer()) {
            String url = "http://" + server.hostPort() + "/gulimall.git";
            assertTimeoutPreemptively(
                    BOUND,
                    () -> assertThatThrownBy(() -> new GitCheckout(log::add, TIMEOUT)
                                    .checkout(
                                            workspace.toFile(),
                                            new CheckoutRequest().url(url).ref("master")))
                            .isInstanceOf(GuliException.class)
                            .hasMessageContaining("the git server " + url + " did not answer within 2s"));
            assertThat(server.accepted()).isPositive();
        }
    }

    @Test
    void aReleaseTagCheckAgainstAStalledServerFailsInBoundedTimeNamingIt(@TempDir Path dir) throws Exception {
        try (StalledServer server = new StalledServer();
                Git git = Git.init().setDirectory(dir.toFile()).call()) {
            git.commit()
                    .setMessage("one")
                    .setAllowEmpty(true)
                    .setAuthor("dev", "dev@example.com")
                    .setCommitter("dev", "dev@example.com")
                    .call();
            String url = "http://" + server.hostPort() + "/gulimall.git";
            GitTagger tagger = new GitTagger(log::add, TIMEOUT);
            assertTimeoutPreemptively(
                    BOUND,
                    () -> assertThatThrownBy(
                                    () -> tagger.check(dir.toFile(), url, null, "gulimall-gateway-v1.0.0", null))
                            .hasMessageContaining(
                                    "the git server " + url + " did not answer within 2s while listing its tags"));
            assertTimeoutPreemptively(
                    BOUND,
                    () -> assertThatThrownBy(() -> tagger.tag(
                                    dir.toFile(),
                                    url,
                                    null,
                                    "gulimall-gateway-v1.0.0",
                                    "m",
                                    null,
                                    new PersonIdent("bot", "bot@example.com")))
                            .hasMessageContaining("the git server " + url + " did not answer within 2s"));
        }
    }
}
