package io.github.guli.engine.approval;

import java.util.List;

/**
 * Where an approval stands after its decisions: still waiting (with the approvals it has), approved (by whom) or
 * rejected (by whom and why); {@code refused} explains each decision that did not count.
 */
public record Verdict(State state, List<String> approvedBy, String rejectedBy, String reason, List<String> refused) {
    public enum State {
        WAITING,
        APPROVED,
        REJECTED
    }

    public Verdict {
        approvedBy = List.copyOf(approvedBy);
        refused = List.copyOf(refused);
    }
}
