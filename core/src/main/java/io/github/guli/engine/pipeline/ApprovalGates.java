package io.github.guli.engine.pipeline;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.approval.ApprovalPolicy;
import io.github.guli.engine.approval.FreezeWindow;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The admins' gates on a deploy, a release and a promotion: the approval rule each approval is decided by (guliApproval's
 * arguments), and the freeze windows, which refuse before any agent is taken unless an administrator overrides them.
 */
final class ApprovalGates {
    /** What a plain deploy and release go to: the cluster the global configuration names. */
    static final String CLUSTER = "the cluster";

    private final SettingsRequest request;

    ApprovalGates(SettingsRequest request) {
        this.request = request;
    }

    /** guliApproval's arguments for one approval; guliPipeline adds each answer's approver, decision and reason. */
    Map<String, Object> rule(String id, String what, String approvers, Map<String, Object> about) {
        ApprovalPolicy policy = request.policy((String) about.get("environment"));
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("id", id);
        rule.put("what", what);
        rule.put("approvers", approvers);
        rule.put("requiredApprovals", policy.requiredApprovals());
        rule.put("starterMayApprove", policy.starterMayApprove());
        rule.putAll(about);
        rule.values().removeIf(v -> v == null || v.toString().isBlank());
        return rule;
    }

    /** Whether any target has freeze windows: the form then offers FREEZE_OVERRIDE_REASON. */
    boolean anyWindows() {
        return !request.approvalPolicy().freezeWindows().isEmpty()
                || request.environmentPolicies().values().stream()
                        .anyMatch(p -> !p.freezeWindows().isEmpty());
    }

    /**
     * The freeze on what this build deploys or releases ({@code environment} null: the cluster): refused with the
     * window and when it ends; with an administrator's reason, what to audit; null when no window is active.
     */
    Map<String, Object> freeze(String environment) {
        Optional<FreezeWindow.Freeze> active =
                FreezeWindow.active(request.policy(environment).freezeWindows(), request.now());
        if (active.isEmpty()) {
            return null;
        }
        String target = environment == null ? CLUSTER : environment;
        String message = active.get().message(target);
        if (request.freezeOverride() == null) {
            throw new GuliException(
                    request.freezeOverrideRefused() == null
                            ? message
                            : message + "; " + request.freezeOverrideRefused());
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("environment", target);
        f.put("window", active.get().window().name());
        f.put("until", active.get().endsAt().toString());
        f.put("reason", request.freezeOverride());
        f.put(
                "message",
                "[guliPipeline] the freeze of " + target + " by the window '"
                        + active.get().window().name() + "' is overridden by an administrator: "
                        + request.freezeOverride());
        return f;
    }
}
