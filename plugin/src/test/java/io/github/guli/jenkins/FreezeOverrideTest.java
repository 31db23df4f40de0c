package io.github.guli.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.approval.ApprovalPolicy;
import io.github.guli.engine.approval.AuditEntry;
import io.github.guli.engine.approval.FreezeWindow;
import io.github.guli.engine.pipeline.SettingsRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FREEZE_OVERRIDE_REASON: honoured for an administrator only, and audited once per build and target. */
class FreezeOverrideTest {
    /** A Saturday in Shanghai, in the weekend freeze. */
    static final Instant SATURDAY = Instant.parse("2026-12-12T04:00:00Z");

    @TempDir
    Path dir;

    FakePeople people = new FakePeople("ops-admin", Map.of("ops-admin", Set.of(), "dev", Set.of()));
    final ByteArrayOutputStream log = new ByteArrayOutputStream();

    static SettingsRequest frozenRelease() {
        GuliSettingsStep step = new GuliSettingsStep();
        step.setCall(Map.of("service", "gulimall-order"));
        return GuliSettingsStep.request(
                        step,
                        "shop/gulimall",
                        Map.of("PROJECT_VERSION", "v1.4.0", "BUILD_NUMBER", "42"),
                        "ops",
                        60,
                        true,
                        null,
                        null,
                        null,
                        null,
                        List.of(),
                        false)
                .approvalPolicy(new ApprovalPolicy(
                        1,
                        true,
                        FreezeWindow.parseAll(List.of("weekend = Fri 18:00 - Mon 08:00"), ZoneId.of("Asia/Shanghai"))))
                .now(SATURDAY);
    }

    Map<String, Object> resolve(TestRun run, String reason) throws Exception {
        return FreezeOverride.resolve(
                frozenRelease(),
                reason,
                run,
                "shop/gulimall/42",
                people,
                dir,
                new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @Test
    void withoutAReasonTheFreezeRefuses() {
        assertThatThrownBy(() -> resolve(new TestRun(), null))
                .isInstanceOf(GuliException.class)
                .hasMessageStartingWith("deploys and releases to the cluster are frozen by the window 'weekend' until "
                        + "2026-12-14 08:00 Asia/Shanghai");
    }

    @Test
    void anAdministratorsReasonOverridesItOnceAudited() throws Exception {
        people.administrators = Set.of("ops-admin");
        TestRun run = new TestRun();
        Map<String, Object> s = resolve(run, "payment outage hotfix");
        assertThat(s.get("freeze")).isNotNull();
        resolve(run, "payment outage hotfix"); // guliSettings is asked again after checkout
        List<String> lines = Files.readAllLines(
                dir.resolve(Files.list(dir).findFirst().orElseThrow().getFileName()));
        assertThat(lines).hasSize(1);
        AuditEntry e = AuditEntry.fromJsonLine(lines.get(0));
        assertThat(e.who()).isEqualTo("ops-admin");
        assertThat(e.decision()).isEqualTo("freeze override");
        assertThat(e.reason()).isEqualTo("payment outage hotfix (window 'weekend' until 2026-12-14T00:00:00Z)");
        assertThat(e.environment()).isEqualTo("the cluster");
        assertThat(e.version()).isEqualTo("v1.4.0");
        assertThat(run.getAction(GuliAudit.class).getLines()).hasSize(1);
        assertThat(log.toString(StandardCharsets.UTF_8))
                .contains("the freeze of the cluster by the window 'weekend' is overridden by an administrator: "
                        + "payment outage hotfix");
    }

    @Test
    void anyoneElsesReasonIsRefusedSayingWhy() {
        people.starter = "dev";
        assertThatThrownBy(() -> resolve(new TestRun(), "I need it now"))
                .hasMessageEndingWith("with a reason; FREEZE_OVERRIDE_REASON is ignored: dev is not an administrator"
                        + " (only Overall/Administer may override a freeze)");
        people.starter = null;
        assertThatThrownBy(() -> resolve(new TestRun(), "timer"))
                .hasMessageEndingWith("FREEZE_OVERRIDE_REASON is ignored: the build was not started by a user (only "
                        + "Overall/Administer may override a freeze)");
        assertThat(dir).isEmptyDirectory();
    }
}
