package io.github.guli.cli;

import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.approval.ApprovalNotice;
import io.github.guli.engine.approval.ApprovalOutcome;
import io.github.guli.engine.approval.Delivery;
import io.github.guli.engine.approval.Notifier;
import io.github.guli.engine.approval.NotifierConfig;
import io.github.guli.engine.approval.NotifierKind;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** {@code guli notify}: sends one approval notice (or its outcome) through a notifier, e.g. to try its settings. */
final class NotifyCommand implements Command {
    @Override
    public String name() {
        return "notify";
    }

    @Override
    public String summary() {
        return "send an approval notice or its outcome to DingTalk, WeCom, Feishu or a JSON webhook";
    }

    @Override
    public String help() {
        return String.join(
                "\n",
                "usage: guli notify --kind KIND --service NAME --version V --environment ENV [options]",
                "  --kind KIND                dingtalk, wecom, feishu (or lark), webhook",
                "  --name NAME                how warnings name the notifier (default: the kind)",
                "  --service, --version, --digest, --environment   what waits for approval",
                "  --approvers LIST           who may approve, comma-separated (shown in the card)",
                "  --input-url URL            the input page the card links to (http or https)",
                "  --outcome RESULT           send the outcome instead: approved, rejected or timed-out",
                "  --by USER, --reason TEXT   who decided, and why (a rejection needs a reason)",
                "  --connect-timeout-ms MS, --timeout-ms MS   default 3000 and 5000",
                "secrets, from the environment only: GULI_NOTIFY_WEBHOOK_URL[_FILE] (the robot's URL: it holds its",
                "token or key), GULI_NOTIFY_SECRET[_FILE] (the signing secret, where the robot is signed)",
                "exit status: 0 delivered, 1 not delivered (the warning says why, without the URL or the secret)");
    }

    @Override
    public Set<String> options() {
        return Set.of(
                "kind",
                "name",
                "service",
                "version",
                "digest",
                "environment",
                "approvers",
                "input-url",
                "outcome",
                "by",
                "reason",
                "connect-timeout-ms",
                "timeout-ms");
    }

    @Override
    public Set<String> flags() {
        return Set.of();
    }

    @Override
    public int run(Options o, Secrets secrets, PrintStream out) {
        NotifierKind kind = NotifierKind.parse(required(o, "kind"));
        String url = secrets.secret("GULI_NOTIFY_WEBHOOK_URL");
        if (url == null) {
            throw new UsageException("guli notify: set GULI_NOTIFY_WEBHOOK_URL (or GULI_NOTIFY_WEBHOOK_URL_FILE) to the"
                    + " robot's webhook URL; it is a secret, so there is no flag for it");
        }
        NotifierConfig config = new NotifierConfig(
                o.get("name", kind.name().toLowerCase(java.util.Locale.ROOT)),
                kind,
                url,
                secrets.secret("GULI_NOTIFY_SECRET"),
                millis(o, "connect-timeout-ms"),
                millis(o, "timeout-ms"));
        ApprovalNotice notice = new ApprovalNotice(
                required(o, "service"),
                required(o, "version"),
                o.get("digest", ""),
                required(o, "environment"),
                List.of(),
                "",
                Blank.isBlank(o.get("approvers"))
                        ? List.of()
                        : Arrays.asList(o.get("approvers").split("\\s*,\\s*")),
                o.get("input-url"));
        Notifier notifier = Notifier.of(config);
        Delivery d = o.get("outcome") == null ? notifier.send(notice) : notifier.send(outcome(o, notice));
        if (d.delivered()) {
            out.println("guli notify: notifier '" + d.notifier() + "' (" + d.kind() + ") took the message");
            return 0;
        }
        out.println(d.warning());
        return 1;
    }

    private static ApprovalOutcome outcome(Options o, ApprovalNotice notice) {
        String result = o.get("outcome").trim();
        switch (result) {
            case "approved":
                return ApprovalOutcome.approved(notice, required(o, "by"));
            case "rejected":
                if (Blank.isBlank(o.get("reason"))) {
                    throw new UsageException("guli notify: a rejection needs --reason (it is shown in the card)");
                }
                return ApprovalOutcome.rejected(notice, required(o, "by"), o.get("reason"));
            case "timed-out":
                return ApprovalOutcome.timedOut(notice);
            default:
                throw new UsageException(
                        "guli notify: --outcome is approved, rejected or timed-out, not '" + result + "'");
        }
    }

    private static String required(Options o, String name) {
        String v = o.get(name);
        if (Blank.isBlank(v)) {
            throw new UsageException("guli notify: --" + name + " is required");
        }
        return v;
    }

    private static Duration millis(Options o, String name) {
        String v = o.get(name);
        if (v == null) {
            return null;
        }
        try {
            return Duration.ofMillis(Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            throw new GuliException("--" + name + " is a number of milliseconds, not '" + v + "'");
        }
    }
}
