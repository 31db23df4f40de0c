package io.github.guli.engine.approval;

import io.github.guli.engine.GuliException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Who may approve a deploy to one environment (admin configuration): users and groups (none: anyone Jenkins lets
 * answer), how many distinct people must approve, and whether the build's starter may be one of them. Names compare
 * without case, as Jenkins' default user ids do.
 */
public record ApprovalRule(List<String> users, List<String> groups, int required, boolean starterMayApprove) {
    public ApprovalRule {
        users = clean(users);
        groups = clean(groups);
        if (required < 1 || required > 10) {
            throw new GuliException("an approval rule needs between 1 and 10 distinct approvers, not " + required
                    + " (e.g. 2: the test lead and ops)");
        }
        if (!users.isEmpty() && groups.isEmpty() && users.size() < required) {
            throw new GuliException("an approval rule asks for " + required + " distinct approvers but names only "
                    + users.size() + " (" + String.join(", ", users) + "): name more users, a group, or ask for fewer");
        }
    }

    public static ApprovalRule anyone() {
        return new ApprovalRule(List.of(), List.of(), 1, true);
    }

    /** Who may approve, in words for the card and for a refusal. */
    public String whoMayApprove() {
        List<String> parts = new ArrayList<>();
        if (!users.isEmpty()) {
            parts.add("users " + String.join(", ", users));
        }
        if (!groups.isEmpty()) {
            parts.add("groups " + String.join(", ", groups));
        }
        String who = parts.isEmpty() ? "anyone allowed in Jenkins" : String.join(" or ", parts);
        String count = required == 1 ? "" : required + " different people among ";
        return count + who + (starterMayApprove ? "" : ", not the build's starter");
    }

    /** Whether this user may answer at all (approve or reject), whatever was decided before. */
    public boolean allows(Decision d) {
        if (users.isEmpty() && groups.isEmpty()) {
            return true;
        }
        String user = key(d.user());
        if (users.stream().anyMatch(u -> key(u).equals(user))) {
            return true;
        }
        return d.groups().stream().anyMatch(g -> groups.stream().anyMatch(a -> key(a).equals(key(g))));
    }

    /**
     * The decisions in the order they came: a rejection with a reason by an allowed person ends it; approvals count
     * once per person. Each decision that does not count is in {@link Verdict#refused()}, saying why.
     */
    public Verdict decide(String starter, List<Decision> decisions) {
        Set<String> approved = new LinkedHashSet<>();
        List<String> approvedBy = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Decision d : decisions) {
            String refusal = refusal(starter, d, approved);
            if (refusal != null) {
                refused.add(refusal);
                continue;
            }
            if (!d.approve()) {
                return new Verdict(Verdict.State.REJECTED, approvedBy, d.user(), d.reason(), refused);
            }
            approved.add(key(d.user()));
            approvedBy.add(d.user());
            if (approved.size() >= required) {
                return new Verdict(Verdict.State.APPROVED, approvedBy, "", "", refused);
            }
        }
        return new Verdict(Verdict.State.WAITING, approvedBy, "", "", refused);
    }

    /** Where a verdict of this rule leaves the approval, for the build's log: who approved, who rejected and why, or
     * why the last answer did not count and what is still needed. */
    public String explain(Verdict v) {
        return switch (v.state()) {
            case APPROVED -> "approved by " + String.join(", ", v.approvedBy());
            case REJECTED -> "rejected by " + v.rejectedBy() + ": " + v.reason();
            case WAITING ->
                (v.refused().isEmpty() ? "" : v.refused().get(v.refused().size() - 1) + "; ")
                        + v.approvedBy().size() + " of " + required + " approvals, asking again (" + whoMayApprove()
                        + ")";
        };
    }

    /** Why this decision does not count, or null when it does. */
    private String refusal(String starter, Decision d, Set<String> approved) {
        if (d.user().isEmpty()) {
            return "a decision without a user does not count";
        }
        if (!allows(d)) {
            return d.user() + " may not approve this deploy: it needs " + whoMayApprove();
        }
        if (!d.approve()) {
            return d.reason().isEmpty()
                    ? d.user() + "'s rejection has no reason: a rejection must say why (it is shown in the card and"
                            + " the build)"
                    : null;
        }
        if (!starterMayApprove && starter != null && key(starter).equals(key(d.user()))) {
            return d.user() + " started this build and may not approve it: the rule needs someone else";
        }
        if (approved.contains(key(d.user()))) {
            return d.user() + " already approved: the next approval must come from a different person";
        }
        return null;
    }

    private static String key(String name) {
        return name.trim().toLowerCase(Locale.ROOT);
    }

    private static List<String> clean(List<String> names) {
        List<String> out = new ArrayList<>();
        if (names != null) {
            for (String n : names) {
                if (n != null && !n.isBlank() && out.stream().noneMatch(o -> key(o).equals(key(n)))) {
                    out.add(n.trim());
                }
            }
        }
        return List.copyOf(out);
    }
}
