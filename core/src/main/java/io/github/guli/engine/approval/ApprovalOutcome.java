package io.github.guli.engine.approval;

/** How an approval ended, sent as a second message after its notice. */
public record ApprovalOutcome(ApprovalNotice notice, Result result, String by, String reason) {
    public enum Result {
        APPROVED,
        REJECTED,
        TIMED_OUT
    }

    public ApprovalOutcome {
        if (notice == null || result == null) {
            throw new IllegalArgumentException("an outcome needs its notice and its result");
        }
        by = ApprovalNotice.text(by);
        reason = ApprovalNotice.text(reason);
    }

    public static ApprovalOutcome approved(ApprovalNotice notice, String by) {
        return new ApprovalOutcome(notice, Result.APPROVED, by, "");
    }

    public static ApprovalOutcome rejected(ApprovalNotice notice, String by, String reason) {
        return new ApprovalOutcome(notice, Result.REJECTED, by, reason);
    }

    public static ApprovalOutcome timedOut(ApprovalNotice notice) {
        return new ApprovalOutcome(notice, Result.TIMED_OUT, "", "");
    }

    /** One line saying how it ended: "approved by alice", "rejected by bob: reason", "timed out". */
    public String summary() {
        switch (result) {
            case APPROVED:
                return "approved by " + by;
            case REJECTED:
                return "rejected by " + by + (reason.isEmpty() ? "" : ": " + reason);
            default:
                return "timed out: nobody approved in time";
        }
    }
}
