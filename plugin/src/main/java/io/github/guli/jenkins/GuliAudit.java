package io.github.guli.jenkins;

import hudson.model.Action;
import hudson.model.Run;
import io.github.guli.engine.approval.AuditEntry;
import io.github.guli.engine.approval.AuditLog;
import io.github.guli.engine.approval.Decision;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import jenkins.model.Jenkins;

/**
 * The build's approval record (shown on the build page): each decision and freeze override, as appended to the admins'
 * {@code $JENKINS_HOME/guli-audit/<yyyy-MM>.jsonl}. guliApproval decides over the decisions kept here, and guliRelease
 * writes them into the release's tag message.
 */
public class GuliAudit implements Action {
    static final String APPROVED = "approved";
    static final String REJECTED = "rejected";
    static final String FREEZE_OVERRIDE = "freeze override";
    /** An answer the rule did not count (the same person again, the starter, someone not named, no reason). */
    static final String NOT_COUNTED = "not counted";

    /** One decision: which approval, who (with their groups then), what, why, when, and its JSON line. */
    public static final class Line {
        private final String approval;
        private final String who;
        private final List<String> groups;
        private final String decision;
        private final String reason;
        private final String at;
        private final String json;

        Line(String approval, AuditEntry entry, Set<String> groups) {
            this.approval = approval;
            this.who = entry.who();
            this.groups = new ArrayList<>(groups);
            this.decision = entry.decision();
            this.reason = entry.reason();
            this.at = entry.at().toString();
            this.json = entry.toJsonLine();
        }

        public String getApproval() {
            return approval;
        }

        public String getWho() {
            return who;
        }

        public String getDecision() {
            return decision;
        }

        public String getReason() {
            return reason;
        }

        public String getAt() {
            return at;
        }

        public String getJson() {
            return json;
        }
    }

    private final List<Line> lines = new ArrayList<>();

    public synchronized List<Line> getLines() {
        return Collections.unmodifiableList(new ArrayList<>(lines));
    }

    /** The JSON lines, in the order decided: what the release's tag message records. */
    public synchronized List<String> jsonLines() {
        return lines.stream().map(Line::getJson).toList();
    }

    /** The approvals and rejections that counted in this approval, in order: what its rule decides over. */
    synchronized List<Decision> decisions(String approval) {
        return lines.stream()
                .filter(l -> l.approval.equals(approval))
                .filter(l -> APPROVED.equals(l.decision) || REJECTED.equals(l.decision))
                .map(l -> new Decision(l.who, Set.copyOf(l.groups), APPROVED.equals(l.decision), l.reason))
                .toList();
    }

    /** Whether this approval (a freeze override: the target) already has a line with this decision. */
    synchronized boolean has(String approval, String decision) {
        return lines.stream().anyMatch(l -> l.approval.equals(approval) && l.decision.equals(decision));
    }

    @Override
    public String getIconFileName() {
        return "symbol-person";
    }

    @Override
    public String getDisplayName() {
        return Messages.get("GuliAudit.DisplayName");
    }

    @Override
    public String getUrlName() {
        return "guli-approvals";
    }

    /** Where the admins collect every build's decisions. */
    static Path dir() {
        return Jenkins.get().getRootDir().toPath().resolve("guli-audit");
    }

    /** The run's record, made on first use. */
    static GuliAudit of(Run<?, ?> run) {
        synchronized (run) {
            GuliAudit audit = run.getAction(GuliAudit.class);
            if (audit == null) {
                audit = new GuliAudit();
                run.addAction(audit);
            }
            return audit;
        }
    }

    /** Appends the decision to the admins' file ({@code dir}), then to the run's record. */
    static void record(Run<?, ?> run, Path dir, String approval, AuditEntry entry, Set<String> groups)
            throws IOException {
        new AuditLog(dir).append(entry);
        GuliAudit audit = of(run);
        synchronized (audit) {
            audit.lines.add(new Line(approval, entry, groups));
        }
    }
}
