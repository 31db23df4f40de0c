package io.github.guli.engine.approval;

import java.util.List;

/**
 * The admins' approval settings of one target (the cluster of a plain deploy and release, or an environment): how
 * many different people must approve, whether the build's starter may be one of them, and the freeze windows.
 */
public record ApprovalPolicy(int requiredApprovals, boolean starterMayApprove, List<FreezeWindow> freezeWindows) {
    public ApprovalPolicy {
        new ApprovalRule(List.of(), List.of(), requiredApprovals, starterMayApprove); // refuses 0 or 11 with the rule
        freezeWindows = freezeWindows == null ? List.of() : List.copyOf(freezeWindows);
    }

    /** One approval by anyone allowed, no freeze: what applies where the admins set nothing. */
    public static ApprovalPolicy defaults() {
        return new ApprovalPolicy(1, true, List.of());
    }
}
