package io.github.guli.jenkins;

import hudson.util.FormValidation;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.approval.ApprovalPolicy;
import io.github.guli.engine.approval.FreezeWindow;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The admins' approval rules and freeze windows as the engine takes them: the global ones for a deploy and a release,
 * and each environment's (its own count and starter rule; the global windows and its own). Also their form checks.
 */
final class ApprovalPolicies {
    static final String WHERE = "Manage Jenkins > System > guli-pipeline";

    private ApprovalPolicies() {}

    static ApprovalPolicy global(GuliConfiguration g) {
        return new ApprovalPolicy(g.getRequiredApprovals(), g.isStarterMayApprove(), globalWindows(g));
    }

    static Map<String, ApprovalPolicy> environments(GuliConfiguration g) {
        Map<String, ApprovalPolicy> out = new LinkedHashMap<>();
        for (GuliEnvironment e : g.getEnvironments()) {
            List<FreezeWindow> windows = new ArrayList<>(globalWindows(g));
            ZoneId zone =
                    e.getFreezeZone() == null ? zone(g.getFreezeZone(), WHERE) : zone(e.getFreezeZone(), where(e));
            windows.addAll(windows(e.getFreezeWindows(), zone, where(e)));
            out.put(e.getName(), new ApprovalPolicy(e.getRequiredApprovals(), e.isStarterMayApprove(), windows));
        }
        return out;
    }

    private static List<FreezeWindow> globalWindows(GuliConfiguration g) {
        return windows(g.getFreezeWindows(), zone(g.getFreezeZone(), WHERE), WHERE);
    }

    private static String where(GuliEnvironment e) {
        return WHERE + " > Environments > " + e.getName();
    }

    private static List<FreezeWindow> windows(String text, ZoneId zone, String where) {
        try {
            return text == null ? List.of() : FreezeWindow.parseAll(List.of(text.split("\\R")), zone);
        } catch (GuliException e) {
            throw new GuliException(where + ": " + e.getMessage());
        }
    }

    /** The zone named, or the controller's when none is. */
    static ZoneId zone(String name, String where) {
        if (name == null || name.isBlank()) {
            return ZoneId.systemDefault();
        }
        try {
            return ZoneId.of(name.trim());
        } catch (DateTimeException e) {
            throw new GuliException(where + ": freeze time zone '" + name + "' is not a time zone: write a region"
                    + " such as Asia/Shanghai, or UTC");
        }
    }

    static FormValidation checkRequired(String value) {
        return Forms.check(null, value, () -> {
            try {
                int n = Integer.parseInt(value.trim());
                new ApprovalPolicy(n, true, List.of());
            } catch (NumberFormatException e) {
                throw new GuliException("'" + value + "' is not a number: write how many people, 1 to 10");
            }
        });
    }

    static FormValidation checkWindows(String value) {
        return Forms.check(null, value, () -> windows(value, ZoneOffset.UTC, "freeze windows"));
    }

    static FormValidation checkZone(String value) {
        return Forms.check(null, value, () -> zone(value, "the zone"));
    }
}
