package io.github.guli.engine.approval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The sample payloads in docs/approvals.md are what the notifiers send, so the page cannot drift from the code. After
 * changing a card, run this test with {@code -Dguli.docs.write=true} to write the new samples into the page.
 */
class ApprovalDocsTest {
    static final Path DOC = Path.of("../docs/approvals.md");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T08:00:00Z"), ZoneOffset.UTC);
    static final ObjectMapper JSON = new ObjectMapper();

    static Map<String, String> samples() throws IOException {
        Map<String, String> s = new LinkedHashMap<>();
        ApprovalNotice notice = Samples.notice();
        ApprovalOutcome rejected = ApprovalOutcome.rejected(notice, "bob", "stock service not ready");
        Notifier ding =
                notifier(NotifierKind.DINGTALK, "https://oapi.dingtalk.com/robot/send?access_token=ACCESS_TOKEN");
        s.put("dingtalk-notice", show(ding.request(notice, CLOCK.instant())));
        s.put("dingtalk-outcome", show(ding.request(rejected, CLOCK.instant())));
        Notifier wecom = notifier(NotifierKind.WECOM, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY");
        s.put("wecom-notice", show(wecom.request(notice, CLOCK.instant())));
        Notifier feishu = notifier(NotifierKind.FEISHU, "https://open.feishu.cn/open-apis/bot/v2/hook/HOOK_ID");
        s.put("feishu-notice", show(feishu.request(notice, CLOCK.instant())));
        s.put("feishu-outcome", show(feishu.request(ApprovalOutcome.approved(notice, "alice"), CLOCK.instant())));
        Notifier hook = notifier(NotifierKind.WEBHOOK, "https://hooks.example.com/guli");
        s.put("webhook-notice", show(hook.request(notice, CLOCK.instant())));
        s.put("webhook-outcome", show(hook.request(rejected, CLOCK.instant())));
        return s;
    }

    private static Notifier notifier(NotifierKind kind, String url) {
        return Notifier.of(NotifierConfig.of(kind.label(), kind, url, "SECRET"), CLOCK);
    }

    private static String show(Notifier.Request r) throws IOException {
        StringBuilder text = new StringBuilder("POST ").append(r.uri()).append('\n');
        text.append("Content-Type: application/json; charset=utf-8\n");
        new TreeMap<>(r.headers())
                .forEach((k, v) -> text.append(k).append(": ").append(v).append('\n'));
        text.append('\n').append(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(r.body())));
        return text.append('\n').toString().replace("\r\n", "\n");
    }

    private static Pattern block(String name) {
        return Pattern.compile("(<!-- sample: " + Pattern.quote(name) + " -->\n```http\n)(.*?)(```\n)", Pattern.DOTALL);
    }

    @Test
    void theDocumentedSamplesAreWhatTheNotifiersSend() throws IOException {
        String doc = Files.readString(DOC);
        Map<String, String> samples = samples();
        if (Boolean.getBoolean("guli.docs.write")) {
            for (Map.Entry<String, String> e : samples.entrySet()) {
                doc = block(e.getKey())
                        .matcher(doc)
                        .replaceFirst(m -> Matcher.quoteReplacement(m.group(1) + e.getValue() + m.group(3)));
            }
            Files.writeString(DOC, doc);
        }
        for (Map.Entry<String, String> e : samples.entrySet()) {
            Matcher m = block(e.getKey()).matcher(doc);
            assertThat(m.find())
                    .as("docs/approvals.md has the sample %s", e.getKey())
                    .isTrue();
            assertThat(m.group(2))
                    .as("sample %s in docs/approvals.md (rewrite: -Dguli.docs.write=true)", e.getKey())
                    .isEqualTo(e.getValue());
        }
    }
}
