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

    @Test
    void theScannersRecordKeepsOnlyItsDownloadsNamesAndDigestsWithTheirStamps() throws Exception {
        TestRun run = new TestRun();
        String md5 = "0386cbfda2705cae493cae6453966cfe";
        GuliUpstreamDigests.record(
                run,
                "job sonar",
                Map.of(
                        "cache/" + md5 + "/sonar-java-plugin.jar",
                        SHA + " 1024:66306:1234567:1765130000123456789",
                        "cache/" + md5 + "/sonar-scanner-engine-shaded-9.9.8.100196-all.jar",
                        SHA,
                        "cache/" + md5 + "/../../plugins/x.jar",
                        SHA,
                        "cache/" + md5 + "/sonar-java-plugin.jar_unzip/x.class",
                        SHA,
                        "cache/" + md5 + "/other.jar",
                        SHA + " size 1"),
                GuliUpstreamDigests.SCANNER_CACHE);
        assertThat(GuliUpstreamDigests.recorded(run, "job sonar"))
                .containsOnlyKeys(
                        "cache/" + md5 + "/sonar-java-plugin.jar",
                        "cache/" + md5 + "/sonar-scanner-engine-shaded-9.9.8.100196-all.jar");
        GuliUpstreamDigests.record(run, "job", Map.of("cache/" + md5 + "/sonar-java-plugin.jar", SHA));
        assertThat(GuliUpstreamDigests.recorded(run, "job"))
                .as("not the form of kept jars")
                .isEmpty();
    }
}
