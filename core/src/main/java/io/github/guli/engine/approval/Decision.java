package io.github.guli.engine.approval;

import java.util.Set;

/** One person's answer to an approval: who (with their groups), approve or reject, and why. */
public record Decision(String user, Set<String> groups, boolean approve, String reason) {
    public Decision {
        user = user == null ? "" : user.trim();
        groups = groups == null ? Set.of() : Set.copyOf(groups);
        reason = reason == null ? "" : reason.trim();
    }

    public static Decision approve(String user, String... groups) {
        return new Decision(user, Set.of(groups), true, "");
    }

    public static Decision reject(String user, String reason, String... groups) {
        return new Decision(user, Set.of(groups), false, reason);
    }
}
