package io.github.guli.engine.approval;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * A WeCom group robot (企业微信群机器人): {@code msgtype} markdown, its {@code markdown.content} at most 4096 bytes.
 * The robot's key is in the webhook URL; there is no signed mode. WeCom answers {@code errcode} 0 when it took the
 * message.
 */
final class WeComNotifier extends Notifier {
    static final int MAX_CONTENT = 4096;

    WeComNotifier(NotifierConfig config, Clock clock) {
        super(config, clock);
    }

    @Override
    Request request(ApprovalNotice notice, Instant now) {
        return request(Card.of(notice));
    }

    @Override
    Request request(ApprovalOutcome outcome, Instant now) {
        return request(Card.of(outcome));
    }

    private Request request(Card card) {
        String content = Markdown.render(card, true);
        if (content.getBytes(StandardCharsets.UTF_8).length > MAX_CONTENT) {
            content = fit(card);
        }
        return new Request(config.uri(), Map.of("msgtype", "markdown", "markdown", Map.of("content", content)));
    }

    /** Without the diff, then with fewer commits, until it fits; the input page shows all. */
    private static String fit(Card card) {
        Card c = new Card(
                card.title(), card.fields(), card.commits(), card.moreCommits(), java.util.List.of(), card.link());
        String content = Markdown.render(c, true);
        while (content.getBytes(StandardCharsets.UTF_8).length > MAX_CONTENT
                && !c.commits().isEmpty()) {
            int keep = c.commits().size() - 1;
            c = new Card(c.title(), c.fields(), c.commits().subList(0, keep), c.moreCommits() + 1, c.diff(), c.link());
            content = Markdown.render(c, true);
        }
        return content;
    }

    @Override
    String problem(int status, String body) {
        String http = super.problem(status, body);
        return http != null ? http : vendorError("WeCom", body, "errcode", "errmsg");
    }
}
