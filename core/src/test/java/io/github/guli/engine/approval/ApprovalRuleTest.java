package io.github.guli.engine.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.GuliException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApprovalRuleTest {
    static final ApprovalRule TWO = new ApprovalRule(List.of("alice", "bob"), List.of("ops"), 2, false);

    @Test
    void twoDifferentPeopleApprove() {
        Verdict v = TWO.decide("carol", List.of(Decision.approve("alice"), Decision.approve("dave", "ops")));

        assertThat(v.state()).isEqualTo(Verdict.State.APPROVED);
        assertThat(v.approvedBy()).containsExactly("alice", "dave");
        assertThat(v.refused()).isEmpty();
    }

    @Test
    void theSameUserTwiceCountsOnce() {
        Verdict v = TWO.decide("carol", List.of(Decision.approve("alice"), Decision.approve("ALICE")));

        assertThat(v.state()).isEqualTo(Verdict.State.WAITING);
        assertThat(v.approvedBy()).containsExactly("alice");
        assertThat(v.refused())
                .containsExactly("ALICE already approved: the next approval must come from a different person");
    }

    @Test
    void theStarterMayNotApproveWhereTheRuleSaysSo() {
        Verdict v = TWO.decide("bob", List.of(Decision.approve("bob"), Decision.approve("alice")));

        assertThat(v.state()).isEqualTo(Verdict.State.WAITING);
        assertThat(v.refused())
                .containsExactly("bob started this build and may not approve it: the rule needs someone else");
        ApprovalRule own = new ApprovalRule(List.of("alice", "bob"), List.of(), 2, true);
        assertThat(own.decide("bob", List.of(Decision.approve("bob"), Decision.approve("alice")))
                        .state())
                .isEqualTo(Verdict.State.APPROVED);
    }

    @Test
    void someoneNotAllowedIsRefusedNamingWhoMay() {
        Verdict v = TWO.decide("carol", List.of(Decision.approve("mallory", "dev"), Decision.reject("mallory", "no")));

        assertThat(v.state()).isEqualTo(Verdict.State.WAITING);
        assertThat(v.refused())
                .hasSize(2)
                .allMatch(r -> r.equals("mallory may not approve this deploy: it needs 2"
                        + " different people among users alice, bob or groups ops, not the build's starter"));
    }

    @Test
    void aRejectionNeedsAReasonAndEndsTheApproval() {
        Verdict v = TWO.decide(
                "carol",
                List.of(
                        Decision.approve("alice"),
                        Decision.reject("bob", "  "),
                        Decision.reject("bob", "stock not ready")));

        assertThat(v.state()).isEqualTo(Verdict.State.REJECTED);
        assertThat(v.rejectedBy()).isEqualTo("bob");
        assertThat(v.reason()).isEqualTo("stock not ready");
        assertThat(v.refused()).singleElement().asString().contains("bob's rejection has no reason");
    }

    @Test
    void withNoApproversNamedAnyoneMayAndOneIsEnough() {
        assertThat(ApprovalRule.anyone()
                        .decide("x", List.of(Decision.approve("x")))
                        .state())
                .isEqualTo(Verdict.State.APPROVED);
        assertThat(ApprovalRule.anyone().whoMayApprove()).isEqualTo("anyone allowed in Jenkins");
    }

    @Test
    void aRuleThatCannotBeMetIsAnError() {
        assertThatThrownBy(() -> new ApprovalRule(List.of("alice"), List.of(), 2, true))
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("asks for 2 distinct approvers but names only 1 (alice)");
        assertThatThrownBy(() -> new ApprovalRule(List.of(), List.of("ops"), 0, true))
                .hasMessageContaining("between 1 and 10");
    }
}
