package io.github.guli.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.guli.engine.approval.Commit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commits a build's own deploy or release brings: since the nearest release tag of its service, in a real git. */
class SinceReleaseTest {
    @TempDir
    Path workspace;

    Git git;

    @BeforeEach
    void setUp() throws Exception {
        git = Git.init().setDirectory(workspace.toFile()).call();
        commit("the first order page", "Ann");
        tag("gulimall-order-v1.0.0");
        commit("order totals in cents", "Bo");
        tag("gulimall-cart-v3.0.0"); // another service's release: not this one's
        tag("gulimall-order-latest"); // not a release version
        commit("[click](https://evil.example) **now**", "Cy");
    }

    @AfterEach
    void tearDown() {
        git.close();
    }

    @Test
    void theCommitsSinceTheNearestReleaseOfTheServiceNewestFirst() {
        SinceRelease s = SinceRelease.read(workspace.toFile(), "gulimall-order", null);

        assertThat(s.since()).isEqualTo("v1.0.0");
        assertThat(s.commits().commits())
                .containsExactly(
                        new Commit("[click](https://evil.example) **now**", "Cy"),
                        new Commit("order totals in cents", "Bo"));
        assertThat(s.messageLines().get(0)).isEqualTo("commits since gulimall-order-v1.0.0:");
        assertThat(s.notifyText()).isEqualTo("[click](https://evil.example) **now**\tCy\norder totals in cents\tBo");
    }

    @Test
    void theVersionBeingReleasedIsNotTheLastReleaseEvenWhenItsTagIsThere() throws Exception {
        tag("gulimall-order-v1.1.0");

        assertThat(SinceRelease.read(workspace.toFile(), "gulimall-order", "v1.1.0")
                        .since())
                .isEqualTo("v1.0.0");
        assertThat(SinceRelease.read(workspace.toFile(), "gulimall-order", null).since())
                .isEqualTo("v1.1.0");
    }

    @Test
    void withoutAnEarlierReleaseTheNoticeSaysSoAndListsNothing() {
        SinceRelease s = SinceRelease.read(workspace.toFile(), "gulimall-member", null);

        assertThat(s.since()).isNull();
        assertThat(s.commits().commits()).isEmpty();
        assertThat(s.commits().note()).contains("no earlier release tag gulimall-member-v");
    }

    @Test
    void theApprovalsOfTheBuildCarryThemInTheMessageAndTheNotice() {
        SinceRelease since = SinceRelease.read(workspace.toFile(), "gulimall-order", "v1.1.0");
        Map<String, Object> s = PipelineSettings.resolve(new SettingsRequest()
                .call(Map.of("service", "gulimall-order"))
                .env(Map.of("PROJECT_VERSION", "v1.1.0", "BUILD_NUMBER", "7"))
                .scm(Map.of("GIT_COMMIT", "c0ffee1", "GIT_BRANCH", "origin/master"))
                .kind(PipelineSettings.MAVEN)
                .jobFullName("gulimall")
                .notifiers(true)
                .sinceRelease(since));

        for (String approval : List.of("approval", "releaseApproval")) {
            Map<?, ?> a = (Map<?, ?>) ((Map<?, ?>) s.get("stages")).get(approval);
            assertThat((String) ((Map<?, ?>) a.get("input")).get("message"))
                    .endsWith("?\n\ncommits since gulimall-order-v1.0.0:\n"
                            + "  [click](https://evil.example) **now** (Cy)\n"
                            + "  order totals in cents (Bo)\n"
                            + "  (up to the checked-out commit)");
            assertThat(((Map<?, ?>) a.get("notify")).get("commits")).isEqualTo(since.notifyText());
        }
    }

    @Test
    void anotherServicesCommitsAreNotShown() {
        Map<String, Object> s = PipelineSettings.resolve(new SettingsRequest()
                .call(Map.of("service", "gulimall-order"))
                .env(Map.of("BUILD_NUMBER", "7"))
                .scm(Map.of("GIT_COMMIT", "c0ffee1", "GIT_BRANCH", "origin/master"))
                .kind(PipelineSettings.MAVEN)
                .jobFullName("gulimall")
                .notifiers(true)
                .sinceRelease(SinceRelease.read(workspace.toFile(), "gulimall-cart", null)));

        Map<?, ?> a = (Map<?, ?>) ((Map<?, ?>) s.get("stages")).get("approval");
        assertThat((String) ((Map<?, ?>) a.get("input")).get("message"))
                .isEqualTo("deploy gulimall-order to the cluster?");
        assertThat(((Map<?, ?>) a.get("notify")).containsKey("commits")).isFalse();
    }

    private void commit(String subject, String author) throws Exception {
        Files.writeString(
                workspace.resolve("CHANGES"), subject + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        git.add().addFilepattern(".").call();
        PersonIdent who = new PersonIdent(author, author.toLowerCase() + "@example.com");
        git.commit()
                .setMessage(subject + "\n\nbody")
                .setAuthor(who)
                .setCommitter(who)
                .call();
    }

    private void tag(String name) throws Exception {
        git.tag().setName(name).setAnnotated(true).setMessage("Release").call();
    }
}
