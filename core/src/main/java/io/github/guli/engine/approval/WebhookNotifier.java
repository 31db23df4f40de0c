package io.github.guli.engine.approval;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A generic JSON webhook: our own body (docs/approvals.md), any 2xx answer taken. With a secret, two headers let the
 * receiver check the sender and refuse replays: {@code X-Guli-Timestamp} (seconds) and {@code X-Guli-Signature}
 * {@code sha256=<hex HMAC-SHA256 keyed by the secret of timestamp + "." + body>}.
 */
final class WebhookNotifier extends Notifier {
    WebhookNotifier(NotifierConfig config, Clock clock) {
        super(config, clock);
    }

    @Override
    Request request(ApprovalNotice notice, Instant now) {
        Map<String, Object> body = body("approval.waiting", notice);
        return signed(body, now);
    }

    @Override
    Request request(ApprovalOutcome outcome, Instant now) {
        Map<String, Object> body = body("approval.decided", outcome.notice());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("result", outcome.result().name().toLowerCase(java.util.Locale.ROOT));
        result.put("by", outcome.by());
        result.put("reason", outcome.reason());
        body.put("outcome", result);
        return signed(body, now);
    }

    private static Map<String, Object> body(String event, ApprovalNotice n) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", event);
        body.put("service", n.service());
        body.put("version", n.version());
        body.put("digest", n.digest());
        body.put("environment", n.environment());
        List<Map<String, String>> commits = new java.util.ArrayList<>();
        for (Commit c : n.commits()) {
            commits.add(Map.of("subject", c.subject(), "author", c.author()));
        }
        body.put("commits", commits);
        body.put("configDiff", n.configDiff());
        body.put("approvers", n.approvers());
        body.put("inputUrl", n.inputUrl());
        return body;
    }

    private Request signed(Map<String, Object> json, Instant now) {
        byte[] body = Request.bytes(json);
        if (config.secret() == null) {
            return new Request(config.uri(), body, Map.of());
        }
        String timestamp = String.valueOf(now.getEpochSecond());
        String text = timestamp + "." + new String(body, java.nio.charset.StandardCharsets.UTF_8);
        String signature = "sha256=" + Hmac.hex(Hmac.sha256(config.secret(), text));
        return new Request(config.uri(), body, Map.of("X-Guli-Timestamp", timestamp, "X-Guli-Signature", signature));
    }
}
