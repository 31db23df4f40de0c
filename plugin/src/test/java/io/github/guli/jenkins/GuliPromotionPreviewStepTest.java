package io.github.guli.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.guli.engine.approval.Commit;
import io.github.guli.engine.environment.EnvironmentRequest;
import io.github.guli.engine.environment.EnvironmentResult;
import io.github.guli.engine.environment.Preview;
import io.github.guli.engine.environment.ReleaseCommits;
import io.github.guli.engine.environment.Running;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** guliPromotionPreview asks what guliPromote asks, answers a map guliPipeline passes on, and fills the build page. */
class GuliPromotionPreviewStepTest {
    static final String NEW = "sha256:" + "b".repeat(64);
    static final String OLD = "sha256:" + "a".repeat(64);
    static final String BUILT = "c".repeat(40);

    private static Preview preview() {
        return new Preview(
                "prod",
                "staging",
                "v1.4.2",
                NEW,
                "registry.example.com/guli/auth@" + NEW,
                new Running("prod", "registry.example.com/guli/auth@" + OLD, OLD, "v1.4.1", null),
                "--- application.properties\n-port=1\n+port=2",
                "application.properties=" + "a".repeat(32),
                new ReleaseCommits(
                        List.of(new Commit("retry\tthe callback", "Cy"), new Commit("totals in cents", "Bo")), null),
                BUILT);
    }

    @Test
    void itResolvesTheEnvironmentsAndCredentialsAsGuliPromoteDoes() throws Exception {
        GuliPromotionPreviewStep step = new GuliPromotionPreviewStep("gulimall-auth-server", "prod");
        step.setVersion("v1.4.2");
        CredentialsLookup lookup = new CredentialsLookup(GuliPromoteStepTest.store());
        EnvironmentRequest r = step.request(
                new TestRun(), GuliBuildStepTest.env(Map.of()), "/ws", GuliPromoteStepTest.admins(), lookup);

        assertThat(r.version()).isEqualTo("v1.4.2");
        assertThat(r.environments().get("prod").nacosCredentials().password()).isEqualTo("nacos-secret");
        assertThat(r.environments().get("prod").nacosGroup()).isEqualTo("GULIMALL");
        assertThat(r.environments().get("staging").kubeconfig()).isNotNull();
        assertThat(lookup.secrets()).doesNotContain("test-token");
    }

    @Test
    void itAnswersWhatIsDeployedWhatRunsNowTheCommitsAndTheDiff() {
        Map<String, String> out = GuliPromotionPreviewStep.answer(preview());

        assertThat(out)
                .containsEntry("environment", "prod")
                .containsEntry("from", "staging")
                .containsEntry("version", "v1.4.2")
                .containsEntry("digest", NEW)
                .containsEntry("currentVersion", "v1.4.1")
                .containsEntry("currentDigest", OLD)
                .containsEntry("diff", "--- application.properties\n-port=1\n+port=2")
                .containsEntry("commits", "retry the callback\tCy\ntotals in cents\tBo")
                .containsEntry("builtCommit", BUILT);
        assertThat(out.get("message")).contains("deploys v1.4.2", "replaces v1.4.1", "totals in cents (Bo)", "+port=2");
        // guliNotify reads the commits back
        assertThat(GuliNotifyStep.commits(out.get("commits")))
                .containsExactly(new Commit("retry the callback", "Cy"), new Commit("totals in cents", "Bo"));
    }

    @Test
    void theBuildPageShowsPerEnvironmentWhatRunsAfterTheBuild() throws Exception {
        TestRun run = new TestRun();
        GuliEnvironmentsSummary.previewed(run, preview());
        GuliEnvironmentsSummary s = run.getAction(GuliEnvironmentsSummary.class);
        assertThat(s.isPreviewed()).isTrue();
        assertThat(s.getBuiltCommit()).isEqualTo(BUILT);
        assertThat(s.getRows())
                .extracting(GuliEnvironmentsSummary.Row::getEnvironment, GuliEnvironmentsSummary.Row::getVersion)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("staging", "v1.4.2"),
                        org.assertj.core.groups.Tuple.tuple("prod", "v1.4.1"));

        GuliEnvironmentsSummary.deployed(
                run,
                new EnvironmentResult(
                        "prod", "v1.4.2", NEW, "registry.example.com/guli/auth@" + NEW, null, null, null));

        assertThat(run.getAction(GuliEnvironmentsSummary.class)).isSameAs(s);
        GuliEnvironmentsSummary.Row prod = s.getRows().get(1);
        assertThat(prod.getEnvironment()).isEqualTo("prod");
        assertThat(prod.getVersion()).isEqualTo("v1.4.2");
        assertThat(prod.getDigest()).isEqualTo(NEW);
        assertThat(prod.getHow()).isEqualTo("deployed by this build");
        assertThat(prod.getConfig()).isEmpty();
        assertThat(s.getRows().get(0).getDigest()).isEqualTo(NEW);
    }
}
