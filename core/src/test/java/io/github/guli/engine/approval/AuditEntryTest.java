package io.github.guli.engine.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.GuliException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditEntryTest {
    static AuditEntry entry(String who, String reason, String at) {
        return new AuditEntry(
                who,
                Instant.parse(at),
                "rejected",
                reason,
                "gulimall/42",
                "gulimall-order",
                "v1.4.0",
                "sha256:ab",
                "prod");
    }

    @Test
    void aLineRoundTripsAndAReasonCannotForgeAnotherLine() {
        AuditEntry e =
                entry("bob", "not ready\n{\"who\":\"mallory\",\"decision\":\"approved\"}", "2026-12-07T08:15:30Z");

        String line = e.toJsonLine();

        assertThat(line)
                .doesNotContain("\n")
                .startsWith("{\"at\":\"2026-12-07T08:15:30Z\",\"who\":\"bob\",\"decision\":\"rejected\"");
        assertThat(AuditEntry.fromJsonLine(line)).isEqualTo(e);
        assertThatThrownBy(() -> AuditEntry.fromJsonLine("who=bob"))
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("not an audit line");
    }

    @Test
    void entriesGoToTheirMonthsFileWholeEvenWhenWrittenAtOnce(@TempDir Path dir) throws Exception {
        // each build has its own AuditLog on the same folder
        List<AuditLog> logs = List.of(new AuditLog(dir), new AuditLog(dir), new AuditLog(dir));
        List<AuditEntry> written = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Path>> done = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                AuditEntry e =
                        entry("user" + i, "x".repeat(5000), "2026-12-31T23:59:" + String.format("%02d", i) + "Z");
                written.add(e);
                AuditLog log = logs.get(i % logs.size());
                done.add(pool.submit(() -> log.append(e)));
            }
            for (Future<Path> f : done) {
                assertThat(f.get()).isEqualTo(dir.resolve("2026-12.jsonl"));
            }
        } finally {
            pool.shutdown();
        }
        logs.get(0).append(entry("alice", "", "2027-01-01T00:00:00Z"));

        List<String> lines = Files.readAllLines(dir.resolve("2026-12.jsonl"));
        assertThat(lines).hasSize(40);
        assertThat(lines.stream().map(AuditEntry::fromJsonLine).toList()).containsExactlyInAnyOrderElementsOf(written);
        assertThat(Files.readAllLines(dir.resolve("2027-01.jsonl"))).hasSize(1);
    }
}
