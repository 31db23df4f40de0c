package io.github.guli.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kept jars' digests live with the builds on the controller, per job and branch. */
class GuliUpstreamDigestsTest {
    private static final String SHA = "ab".repeat(32);

    @Test
    void aBuildGetsTheLatestRecordOfItsJobAndBranchFromAnEarlierBuild() throws Exception {
        String master = GuliUpstreamDigests.key("team/gulimall", "master");
        String feature = GuliUpstreamDigests.key("team/gulimall", "feature-x");
        assertThat(master).isEqualTo("team/gulimall@master");
        TestRun first = new TestRun();
        GuliUpstreamDigests.record(first, master, Map.of("0a1b/cd", SHA));
        TestRun second = new TestRun(first);
        GuliUpstreamDigests.record(second, feature, Map.of("0a1b/ef", SHA));
        TestRun third = new TestRun(second);

        assertThat(GuliUpstreamDigests.recorded(third, master)).containsExactly(Map.entry("0a1b/cd", SHA));
        assertThat(GuliUpstreamDigests.recorded(third, feature)).containsExactly(Map.entry("0a1b/ef", SHA));
        assertThat(GuliUpstreamDigests.recorded(third, GuliUpstreamDigests.key("other", "master")))
                .isEmpty();
    }

    @Test
    void onlyWellFormedEntriesFromTheAgentAreRecorded() throws Exception {
        TestRun run = new TestRun();
        GuliUpstreamDigests.record(
                run, "job", Map.of("0a/1b", SHA, "../../x", SHA, "0c/2d", "not-a-digest", "0e/3f", SHA));
        assertThat(GuliUpstreamDigests.recorded(run, "job")).containsOnlyKeys("0a/1b", "0e/3f");
    }
}
