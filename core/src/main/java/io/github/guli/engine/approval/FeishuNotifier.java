package io.github.guli.engine.approval;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Feishu / Lark custom bot (自定义机器人): {@code msg_type} interactive, a card whose texts are all
 * {@code plain_text} (never parsed as Markdown or mentions) and whose one button opens the input page. Signed mode
 * (签名校验): {@code timestamp} (seconds) and {@code sign} = Base64 of HmacSHA256 keyed by
 * {@code timestamp + "\n" + secret} over an empty message, in the JSON body. Feishu answers {@code code} 0 when it
 * took the message.
 */
final class FeishuNotifier extends Notifier {
    FeishuNotifier(NotifierConfig config, Clock clock) {
        super(config, clock);
    }

    @Override
    Request request(ApprovalNotice notice, Instant now) {
        return request(Card.of(notice), "blue", now);
    }

    @Override
    Request request(ApprovalOutcome outcome, Instant now) {
        String colour = outcome.result() == ApprovalOutcome.Result.APPROVED
                ? "green"
                : outcome.result() == ApprovalOutcome.Result.REJECTED ? "red" : "grey";
        return request(Card.of(outcome), colour, now);
    }

    private Request request(Card card, String colour, Instant now) {
        List<Object> elements = new ArrayList<>();
        List<Object> fields = new ArrayList<>();
        for (Card.Field f : card.fields()) {
            fields.add(Map.of("is_short", true, "text", plain(f.label() + ": " + f.value())));
        }
        elements.add(Map.of("tag", "div", "fields", fields));
        if (!card.commits().isEmpty()) {
            elements.add(div("Commits since the environment's version:\n- " + String.join("\n- ", card.commitLines())));
        }
        if (!card.diff().isEmpty()) {
            elements.add(div("Configuration diff:\n" + String.join("\n", card.diff())));
        }
        if (card.link() != null) {
            Map<String, Object> button = new LinkedHashMap<>();
            button.put("tag", "button");
            button.put("text", plain(Card.LINK_TEXT));
            button.put("type", "primary");
            button.put("url", card.link());
            elements.add(Map.of("tag", "action", "actions", List.of(button)));
        }
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("title", plain(card.title()));
        header.put("template", colour);
        Map<String, Object> body = new LinkedHashMap<>();
        if (config.secret() != null) {
            long timestamp = now.getEpochSecond();
            body.put("timestamp", String.valueOf(timestamp));
            body.put("sign", Hmac.base64(Hmac.sha256(timestamp + "\n" + config.secret(), "")));
        }
        body.put("msg_type", "interactive");
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("config", Map.of("wide_screen_mode", true));
        content.put("header", header);
        content.put("elements", elements);
        body.put("card", content);
        return new Request(config.uri(), body);
    }

    private static Map<String, Object> plain(String text) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tag", "plain_text");
        m.put("content", text);
        return m;
    }

    private static Map<String, Object> div(String text) {
        return Map.of("tag", "div", "text", plain(text));
    }

    @Override
    String problem(int status, String body) {
        String http = super.problem(status, body);
        return http != null ? http : vendorError("Feishu", body, "code", "msg");
    }
}
