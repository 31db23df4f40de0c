package io.github.guli.jenkins;

import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.approval.ApprovalRule;
import io.github.guli.engine.approval.AuditEntry;
import io.github.guli.engine.approval.Decision;
import io.github.guli.engine.approval.Verdict;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code guliApproval}: one answer to an approval (approve or reject with a reason), or how the wait ended (timed
 * out, aborted). It records the answer when it counts, in the build's record and the admins' audit file, and
 * returns where the approval stands by the admins' rule ({@link ApprovalRule#decide}): {@code waiting} (ask again),
 * {@code approved} or {@code rejected}, with a message for the log. The rule's arguments come from guliSettings.
 */
public class GuliApprovalStep extends Step {
    static final String PREFIX = "[guliApproval] ";
    static final List<String> DECISIONS = List.of("approve", "reject", "timedOut", "aborted");

    private final String id;
    private String what;
    private String approvers;
    private int requiredApprovals = 1;
    private boolean starterMayApprove = true;
    private String service;
    private String version;
    private String digest;
    private String environment;
    private String approver;
    private String decision;
    private String reason;

    @DataBoundConstructor
    public GuliApprovalStep(String id) {
        this.id = Blank.toNull(id);
    }

    public String getId() {
        return id;
    }

    public String getWhat() {
        return what;
    }

    @DataBoundSetter
    public void setWhat(String v) {
        what = Blank.toNull(v);
    }

    public String getApprovers() {
        return approvers;
    }

    @DataBoundSetter
    public void setApprovers(String v) {
        approvers = Blank.toNull(v);
    }

    public int getRequiredApprovals() {
        return requiredApprovals;
    }

    @DataBoundSetter
    public void setRequiredApprovals(int v) {
        requiredApprovals = v;
    }

    public boolean isStarterMayApprove() {
        return starterMayApprove;
    }

    @DataBoundSetter
    public void setStarterMayApprove(boolean v) {
        starterMayApprove = v;
    }

    public String getService() {
        return service;
    }

    @DataBoundSetter
    public void setService(String v) {
        service = Blank.toNull(v);
    }

    public String getVersion() {
        return version;
    }

    @DataBoundSetter
    public void setVersion(String v) {
        version = Blank.toNull(v);
    }

    public String getDigest() {
        return digest;
    }

    @DataBoundSetter
    public void setDigest(String v) {
        digest = Blank.toNull(v);
    }

    public String getEnvironment() {
        return environment;
    }

    @DataBoundSetter
    public void setEnvironment(String v) {
        environment = Blank.toNull(v);
    }

    /** Who answered: the input's submitterParameter. */
    public String getApprover() {
        return approver;
    }

    @DataBoundSetter
    public void setApprover(String v) {
        approver = Blank.toNull(v);
    }

    /** approve, reject, timedOut or aborted. */
    public String getDecision() {
        return decision;
    }

    @DataBoundSetter
    public void setDecision(String v) {
        decision = Blank.toNull(v);
    }

    public String getReason() {
        return reason;
    }

    @DataBoundSetter
    public void setReason(String v) {
        reason = Blank.toNull(v);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(this, context);
    }

    static final class Execution extends WorkspaceStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final transient GuliApprovalStep step;

        Execution(GuliApprovalStep step, StepContext context) {
            super(context, PREFIX);
            this.step = step;
        }

        @Override
        Map<String, Object> run(Run<?, ?> run, TaskListener listener, FilePath workspace, EnvVars env)
                throws IOException {
            String build = run.getParent().getFullName() + "/" + run.getNumber();
            return step.decide(run, build, People.jenkins(), GuliAudit.dir(), Instant.now());
        }
    }

    /** The answer recorded where it counts, and where the approval stands; the Jenkins parts given. */
    Map<String, Object> decide(Run<?, ?> run, String build, People people, Path auditDir, Instant now)
            throws IOException {
        if (id == null) {
            throw new GuliException("guliApproval needs the approval's id (guliSettings gives it in the rule)");
        }
        if (decision == null || !DECISIONS.contains(decision)) {
            throw new GuliException(
                    "guliApproval's decision is " + (decision == null ? "not given" : "'" + decision + "'")
                            + ": give one of " + String.join(", ", DECISIONS));
        }
        String label = what == null ? id : what;
        String who = approver == null ? "" : approver;
        Map<String, Object> out = new LinkedHashMap<>();
        if (decision.equals("timedOut") || decision.equals("aborted")) {
            String said = decision.equals("timedOut") ? "timed out" : "aborted";
            GuliAudit.record(run, auditDir, id, entry(who, said, reason, build, now), Set.of());
            out.put("state", decision);
            out.put("message", "[guliPipeline] " + label + ": " + said + (who.isEmpty() ? "" : " by " + who));
            return out;
        }
        ApprovalRule rule = rule(people);
        GuliAudit audit = GuliAudit.of(run);
        Set<String> groups = who.isEmpty() ? Set.of() : people.groups(who);
        List<Decision> decisions = new ArrayList<>(audit.decisions(id));
        decisions.add(new Decision(who, groups, decision.equals("approve"), reason));
        Verdict v = rule.decide(people.starter(run), decisions);
        // the earlier decisions all counted: only this one can be refused, and it is audited as not counted, saying why
        String said = decision.equals("approve") ? GuliAudit.APPROVED : GuliAudit.REJECTED;
        if (v.refused().isEmpty()) {
            GuliAudit.record(run, auditDir, id, entry(who, said, reason, build, now), groups);
        } else {
            String why = (decision.equals("approve") ? "approval" : "rejection") + " not counted: "
                    + v.refused().get(0) + (reason == null ? "" : " (the reason given: " + reason + ")");
            GuliAudit.record(run, auditDir, id, entry(who, GuliAudit.NOT_COUNTED, why, build, now), groups);
        }
        String state = v.state().name().toLowerCase(Locale.ROOT);
        out.put("state", state);
        out.put("approvedBy", String.join(", ", v.approvedBy()));
        out.put("by", v.state() == Verdict.State.REJECTED ? v.rejectedBy() : who);
        out.put("reason", v.reason());
        out.put("message", "[guliPipeline] " + label + ": " + rule.explain(v));
        return out;
    }

    /** The admins' approvers: each name a Jenkins user, else a group (as the input's submitter reads them). */
    private ApprovalRule rule(People people) {
        List<String> users = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        if (approvers != null) {
            for (String name : approvers.split("\\s*,\\s*")) {
                if (!name.isBlank()) {
                    (people.isUser(name.trim()) ? users : groups).add(name.trim());
                }
            }
        }
        return new ApprovalRule(users, groups, requiredApprovals, starterMayApprove);
    }

    private AuditEntry entry(String who, String said, String why, String build, Instant at) {
        return new AuditEntry(who, at, said, why == null ? "" : why, build, service, version, digest, environment);
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "guliApproval";
        }

        @Override
        public String getDisplayName() {
            return Messages.get("GuliApprovalStep.DisplayName");
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        /** The shared library calls it; pipeline authors call guliPipeline. */
        @Override
        public boolean isAdvanced() {
            return true;
        }
    }
}
