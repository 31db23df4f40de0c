package io.github.guli.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.approval.AuditEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** guliApproval: each answer decided by the admins' rule over the build's earlier answers, and recorded where it counts. */
class GuliApprovalStepTest {
    static final Instant AT = Instant.parse("2026-12-07T08:15:30Z");

    @TempDir
    Path audit;

    TestRun run;
    FakePeople people = new FakePeople(
            "carol", Map.of("alice", Set.of("qa"), "bob", Set.of("ops"), "carol", Set.of("ops"), "dave", Set.of()));

    @BeforeEach
    void newRun() throws IOException {
        run = new TestRun();
    }

    /** A prod deploy needing two different people among alice and the ops group, not the starter. */
    static GuliApprovalStep answer(String who, String decision, String reason) {
        GuliApprovalStep s = new GuliApprovalStep("promote-gulimall-order-prod");
        s.setWhat("promote gulimall-order v1.4.0 to prod");
        s.setApprovers("alice, ops");
        s.setRequiredApprovals(2);
        s.setStarterMayApprove(false);
        s.setService("gulimall-order");
        s.setVersion("v1.4.0");
        s.setEnvironment("prod");
        s.setApprover(who);
        s.setDecision(decision);
        s.setReason(reason);
        return s;
    }

    Map<String, Object> decide(String who, String decision, String reason) throws IOException {
        return answer(who, decision, reason).decide(run, "shop/gulimall/42", people, audit, AT);
    }

    List<String> auditLines() throws IOException {
        return Files.readAllLines(audit.resolve("2026-12.jsonl"));
    }

    @Test
    void twoDifferentPeopleApproveAndEachIsAudited() throws IOException {
        Map<String, Object> first = decide("alice", "approve", null);
        assertThat(first)
                .containsEntry("state", "waiting")
                .containsEntry(
                        "message",
                        "[guliPipeline] promote gulimall-order v1.4.0 to prod: 1 of 2 approvals, "
                                + "asking again (2 different people among users alice or groups ops, not the build's starter)");
        Map<String, Object> second = decide("bob", "approve", "");
        assertThat(second)
                .containsEntry("state", "approved")
                .containsEntry("approvedBy", "alice, bob")
                .containsEntry(
                        "message", "[guliPipeline] promote gulimall-order v1.4.0 to prod: approved by alice, bob");
        assertThat(auditLines())
                .extracting(l -> AuditEntry.fromJsonLine(l).who())
                .containsExactly("alice", "bob");
        AuditEntry bob = AuditEntry.fromJsonLine(auditLines().get(1));
        assertThat(bob)
                .isEqualTo(new AuditEntry(
                        "bob", AT, "approved", "", "shop/gulimall/42", "gulimall-order", "v1.4.0", null, "prod"));
        assertThat(run.getAction(GuliAudit.class).jsonLines()).isEqualTo(auditLines());
    }

    @Test
    void theSamePersonTwiceIsAskedAgainAndAuditedAsNotCounted() throws IOException {
        decide("alice", "approve", null);
        Map<String, Object> again = decide("Alice", "approve", "looks good");
        assertThat(again).containsEntry("state", "waiting");
        assertThat((String) again.get("message"))
                .contains("Alice already approved: the next approval must come from a different person");
        assertThat(auditLines()).hasSize(2);
        assertThat(AuditEntry.fromJsonLine(auditLines().get(1)))
                .isEqualTo(new AuditEntry(
                        "Alice",
                        AT,
                        "not counted",
                        "approval not counted: Alice already approved: the next approval must come from a different"
                                + " person (the reason given: looks good)",
                        "shop/gulimall/42",
                        "gulimall-order",
                        "v1.4.0",
                        null,
                        "prod"));
        // an answer that did not count is no approval: bob's is the second
        assertThat(decide("bob", "approve", null)).containsEntry("approvedBy", "alice, bob");
        assertThat(run.getAction(GuliAudit.class).jsonLines()).isEqualTo(auditLines());
    }

    @Test
    void theStarterIsRefusedWhereTheRuleSaysSo() throws IOException {
        decide("alice", "approve", null);
        Map<String, Object> own = decide("carol", "approve", null);
        assertThat(own).containsEntry("state", "waiting");
        assertThat((String) own.get("message")).contains("carol started this build and may not approve it");
        assertThat(AuditEntry.fromJsonLine(auditLines().get(1)))
                .extracting(AuditEntry::who, AuditEntry::decision, AuditEntry::reason)
                .containsExactly(
                        "carol",
                        "not counted",
                        "approval not counted: carol started this build and may not approve it: the rule needs"
                                + " someone else");
    }

    @Test
    void someoneNotAllowedIsRefusedNamingWhoMay() throws IOException {
        Map<String, Object> v = decide("dave", "approve", null);
        assertThat(v).containsEntry("state", "waiting");
        assertThat((String) v.get("message"))
                .contains("dave may not approve this deploy: it needs 2 different people among users alice or groups"
                        + " ops");
        assertThat(AuditEntry.fromJsonLine(auditLines().get(0)))
                .extracting(AuditEntry::who, AuditEntry::decision)
                .containsExactly("dave", "not counted");
        assertThat(AuditEntry.fromJsonLine(auditLines().get(0)).reason())
                .startsWith("approval not counted: dave may not approve this deploy");
    }

    @Test
    void aRejectionNeedsAReasonAndThenEndsTheApproval() throws IOException {
        Map<String, Object> blank = decide("bob", "reject", "  ");
        assertThat(blank).containsEntry("state", "waiting");
        assertThat((String) blank.get("message")).contains("bob's rejection has no reason: a rejection must say why");
        Map<String, Object> rejected = decide("bob", "reject", "stock service not ready");
        assertThat(rejected)
                .containsEntry("state", "rejected")
                .containsEntry("by", "bob")
                .containsEntry("reason", "stock service not ready");
        assertThat(auditLines())
                .extracting(l -> AuditEntry.fromJsonLine(l).decision())
                .containsExactly("not counted", "rejected");
        assertThat(AuditEntry.fromJsonLine(auditLines().get(0)).reason())
                .startsWith("rejection not counted: bob's rejection has no reason");
        assertThat(AuditEntry.fromJsonLine(auditLines().get(1)))
                .extracting(AuditEntry::decision, AuditEntry::reason)
                .containsExactly("rejected", "stock service not ready");
    }

    @Test
    void aTimeoutIsAuditedAndEndsTheApproval() throws IOException {
        assertThat(decide(null, "timedOut", null)).containsEntry("state", "timedOut");
        assertThat(AuditEntry.fromJsonLine(auditLines().get(0)).decision()).isEqualTo("timed out");
    }

    @Test
    void anotherApprovalOfTheBuildIsDecidedApart() throws IOException {
        decide("alice", "approve", null);
        GuliApprovalStep release = answer("bob", "approve", null);
        GuliApprovalStep other = new GuliApprovalStep("release-gulimall-order");
        other.setApprovers(release.getApprovers());
        other.setRequiredApprovals(2);
        other.setApprover("bob");
        other.setDecision("approve");
        assertThat(other.decide(run, "shop/gulimall/42", people, audit, AT)).containsEntry("state", "waiting");
    }

    @Test
    void anUnknownDecisionIsRefusedNamingTheChoices() {
        assertThatThrownBy(() -> decide("alice", "yes", null))
                .isInstanceOf(GuliException.class)
                .hasMessage("guliApproval's decision is 'yes': give one of approve, reject, timedOut, aborted");
    }
}
