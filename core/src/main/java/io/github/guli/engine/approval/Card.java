package io.github.guli.engine.approval;

import java.util.ArrayList;
import java.util.List;

/**
 * What a message says, before a notifier renders it in its vendor's format: our own words (the title's start, the
 * labels) and the values, which each renderer escapes. Long values are cut, so a card stays under every vendor's size
 * limit (WeCom: 4096 bytes of markdown; Feishu: 20 KB of request).
 */
record Card(String title, List<Field> fields, List<Commit> commits, int moreCommits, List<String> diff, String link) {
    static final int MAX_VALUE = 120;
    static final int MAX_COMMITS = 10;
    static final int MAX_DIFF_LINES = 30;
    static final int MAX_DIFF_LINE = 160;
    static final String LINK_TEXT = "Open the input page";

    record Field(String label, String value) {}

    static Card of(ApprovalNotice n) {
        List<Field> fields = new ArrayList<>(identity(n));
        fields.add(new Field(
                "May approve",
                n.approvers().isEmpty() ? "anyone allowed in Jenkins" : String.join(", ", n.approvers())));
        List<Commit> commits = new ArrayList<>();
        for (Commit c : n.commits().subList(0, Math.min(MAX_COMMITS, n.commits().size()))) {
            commits.add(new Commit(cut(c.subject(), MAX_VALUE), cut(c.author(), MAX_VALUE)));
        }
        return new Card(
                "Approval waits: " + n.service() + " " + n.version() + " to " + n.environment(),
                fields,
                commits,
                n.commits().size() - commits.size(),
                diff(n.configDiff()),
                n.inputUrl());
    }

    static Card of(ApprovalOutcome o) {
        ApprovalNotice n = o.notice();
        List<Field> fields = new ArrayList<>(identity(n));
        fields.add(new Field("Outcome", cut(o.summary(), 2 * MAX_VALUE)));
        String verb = o.result() == ApprovalOutcome.Result.APPROVED
                ? "Approved"
                : o.result() == ApprovalOutcome.Result.REJECTED ? "Rejected" : "Timed out";
        return new Card(
                verb + ": " + n.service() + " " + n.version() + " to " + n.environment(),
                fields,
                List.of(),
                0,
                List.of(),
                n.inputUrl());
    }

    private static List<Field> identity(ApprovalNotice n) {
        return List.of(
                new Field("Service", cut(n.service(), MAX_VALUE)),
                new Field("Version", cut(n.version(), MAX_VALUE)),
                new Field("Digest", cut(n.digest(), MAX_VALUE)),
                new Field("Environment", cut(n.environment(), MAX_VALUE)));
    }

    private static List<String> diff(String text) {
        if (text.isBlank()) {
            return List.of();
        }
        String[] lines = text.split("\r?\n", -1);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.length && i < MAX_DIFF_LINES; i++) {
            out.add(cut(lines[i], MAX_DIFF_LINE));
        }
        if (lines.length > MAX_DIFF_LINES) {
            out.add("... " + (lines.length - MAX_DIFF_LINES) + " more lines: see the input page");
        }
        return out;
    }

    /** At most max characters (whole code points), marked when cut. */
    static String cut(String s, int max) {
        if (s.codePointCount(0, s.length()) <= max) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, max - 1)) + "…";
    }

    /** The commits and their overflow as lines of text: "subject (author)". */
    List<String> commitLines() {
        List<String> lines = new ArrayList<>();
        for (Commit c : commits) {
            lines.add(c.subject() + " (" + c.author() + ")");
        }
        if (moreCommits > 0) {
            lines.add("... and " + moreCommits + " more commits");
        }
        return lines;
    }
}
