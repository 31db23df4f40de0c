package io.github.guli.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.guli.engine.approval.AuditEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build's Approvals action and the admins' guli-audit file it is written with. */
class GuliAuditTest {
    @TempDir
    Path dir;

    static AuditEntry entry(String who, String reason) {
        return new AuditEntry(
                who,
                Instant.parse("2026-12-07T08:15:30Z"),
                "approved",
                reason,
                "shop/gulimall/" + who,
                "gulimall-order",
                "v1.4.0",
                null,
                "prod");
    }

    @Test
    void buildsDecidingAtOnceNeverInterleaveTheirLines() throws Exception {
        String longReason = "x".repeat(20_000) + "\"\n{\"forged\":true}";
        List<TestRun> runs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            runs.add(new TestRun());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                done.add(pool.submit(() -> {
                    for (int k = 0; k < 25; k++) {
                        GuliAudit.record(runs.get(n), dir, "deploy", entry("user" + n + "-" + k, longReason), Set.of());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> lines = Files.readAllLines(dir.resolve("2026-12.jsonl"));
        assertThat(lines).hasSize(200);
        Set<String> who = new HashSet<>();
        for (String line : lines) {
            AuditEntry e = AuditEntry.fromJsonLine(line); // each line whole: no other build's bytes inside it
            assertThat(e.reason()).isEqualTo(longReason);
            who.add(e.who());
        }
        assertThat(who).hasSize(200);
        assertThat(runs.get(3).getAction(GuliAudit.class).getLines()).hasSize(25);
    }

    @Test
    void theActionShowsEachDecisionOnTheBuildPage() throws Exception {
        TestRun run = new TestRun();
        GuliAudit.record(run, dir, "deploy-gulimall-order", entry("alice", ""), Set.of("qa"));
        GuliAudit audit = run.getAction(GuliAudit.class);
        assertThat(audit.getUrlName()).isEqualTo("guli-approvals");
        assertThat(audit.getIconFileName()).isEqualTo("symbol-person");
        GuliAudit.Line line = audit.getLines().get(0);
        assertThat(line.getApproval()).isEqualTo("deploy-gulimall-order");
        assertThat(line.getWho()).isEqualTo("alice");
        assertThat(line.getDecision()).isEqualTo("approved");
        assertThat(line.getAt()).isEqualTo("2026-12-07T08:15:30Z");
        assertThat(audit.jsonLines()).containsExactly(entry("alice", "").toJsonLine());
        assertThat(audit.has("deploy-gulimall-order", "approved")).isTrue();
        assertThat(audit.has("release-gulimall-order", "approved")).isFalse();
    }
}
