package io.github.guli.engine.approval;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A DingTalk custom robot (自定义机器人): an action card whose one button opens the input page, or Markdown when there
 * is no link. Signed mode ("加签"): {@code timestamp} (ms) and {@code sign} = URL-encoded Base64 of HmacSHA256, keyed
 * by the secret, of {@code timestamp + "\n" + secret}, as query parameters. DingTalk answers {@code errcode} 0 when it
 * took the message.
 */
final class DingTalkNotifier extends Notifier {
    DingTalkNotifier(NotifierConfig config, Clock clock) {
        super(config, clock);
    }

    @Override
    Request request(ApprovalNotice notice, Instant now) {
        return request(Card.of(notice), now);
    }

    @Override
    Request request(ApprovalOutcome outcome, Instant now) {
        return request(Card.of(outcome), now);
    }

    private Request request(Card card, Instant now) {
        Map<String, Object> body = new LinkedHashMap<>();
        String title = Card.cut(card.title(), 60);
        if (card.link() == null) {
            body.put("msgtype", "markdown");
            body.put("markdown", Map.of("title", title, "text", Markdown.render(card, false)));
        } else {
            Map<String, Object> action = new LinkedHashMap<>();
            action.put("title", title);
            action.put("text", Markdown.render(card, false));
            action.put("btnOrientation", "0");
            action.put("singleTitle", Card.LINK_TEXT);
            action.put("singleURL", card.link());
            body.put("msgtype", "actionCard");
            body.put("actionCard", action);
        }
        return new Request(signed(now), body);
    }

    private URI signed(Instant now) {
        String url = config.webhookUrl();
        if (config.secret() == null) {
            return URI.create(url);
        }
        long timestamp = now.toEpochMilli();
        String sign = Hmac.base64(Hmac.sha256(config.secret(), timestamp + "\n" + config.secret()));
        return URI.create(url + (url.contains("?") ? "&" : "?") + "timestamp=" + timestamp + "&sign="
                + URLEncoder.encode(sign, StandardCharsets.UTF_8));
    }

    @Override
    String problem(int status, String body) {
        String http = super.problem(status, body);
        return http != null ? http : vendorError("DingTalk", body, "errcode", "errmsg");
    }
}
