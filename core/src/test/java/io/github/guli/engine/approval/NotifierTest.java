package io.github.guli.engine.approval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each notifier against a loopback server playing its vendor's endpoint, checked as the vendor documents it. */
class NotifierTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String DING_TOKEN = "5a3ecf88f2b3eb50db30ecfc00f53033ac909c99";
    static final String DING_SECRET = "SECd7f3a9dc5a3ecf88f2b3eb50db30ecfc00f53033ac909c";
    static final String WECOM_KEY = "693a91f6-7a0c-4bc4-97a0-0ec2f1fa5aaa";
    static final String FEISHU_HOOK = "0f5c1e5e-9a7d-4b43-8c1e-2c4f2a7f9e11";
    static final String FEISHU_SECRET = "qJ7xW2sFeishuSigningSecret";
    static final String HOOK_SECRET = "generic-webhook-secret-42";

    static Map<String, String> query(String rawQuery) {
        Map<String, String> q = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            q.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    @Test
    void dingTalkSignedSendsAnActionCardWithTheDocumentedSignature() throws Exception {
        try (CaptureServer s = new CaptureServer().answer(200, "{\"errcode\":0,\"errmsg\":\"ok\"}")) {
            Notifier n = Notifier.of(NotifierConfig.of(
                    "ops-dingtalk",
                    NotifierKind.DINGTALK,
                    s.url("/robot/send?access_token=" + DING_TOKEN),
                    DING_SECRET));

            Delivery d = n.send(Samples.notice());

            assertThat(d.delivered()).as(d.warning()).isTrue();
            CaptureServer.Captured r = s.only();
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.uri().getPath()).isEqualTo("/robot/send");
            assertThat(r.header("Content-Type")).startsWith("application/json");
            Map<String, String> q = query(r.uri().getRawQuery());
            assertThat(q).containsOnlyKeys("access_token", "timestamp", "sign");
            assertThat(q.get("access_token")).isEqualTo(DING_TOKEN);
            long timestamp = Long.parseLong(q.get("timestamp"));
            // DingTalk: milliseconds, within an hour of its clock
            assertThat(Math.abs(System.currentTimeMillis() - timestamp))
                    .isLessThan(Duration.ofHours(1).toMillis());
            String expected = Hmac.base64(Hmac.sha256(DING_SECRET, timestamp + "\n" + DING_SECRET));
            assertThat(q.get("sign")).isEqualTo(expected);
            // the raw query carries the Base64 URL-encoded (+ / = are not left as they are)
            assertThat(r.uri().getRawQuery()).doesNotContain("sign=" + expected + "&");

            JsonNode body = JSON.readTree(r.body());
            assertThat(body.get("msgtype").asText()).isEqualTo("actionCard");
            JsonNode card = body.get("actionCard");
            assertThat(card.get("title").asText()).isEqualTo("Approval waits: gulimall-order v1.4.0 to prod");
            assertThat(card.get("singleTitle").asText()).isEqualTo("Open the input page");
            assertThat(card.get("singleURL").asText()).isEqualTo("https://jenkins.example.com/job/gulimall/42/input/");
            assertThat(card.get("text").asText())
                    .contains(
                            "gulimall-order",
                            "prod",
                            "order: pay timeout 30 min (Li Lei)",
                            "spring.redis",
                            "\\*\\*\\*\\*");
        }
    }

    @Test
    void dingTalkUnsignedAddsNoParameterAndTheOutcomeFollows() throws Exception {
        try (CaptureServer s = new CaptureServer().answer(200, "{\"errcode\":0,\"errmsg\":\"ok\"}")) {
            Notifier n = Notifier.of(NotifierConfig.of(
                    "ops", NotifierKind.DINGTALK, s.url("/robot/send?access_token=" + DING_TOKEN), null));

            Delivery d = n.send(ApprovalOutcome.rejected(Samples.notice(), "bob", "stock service not ready"));

            assertThat(d.delivered()).as(d.warning()).isTrue();
            assertThat(s.only().uri().getRawQuery()).isEqualTo("access_token=" + DING_TOKEN);
            JsonNode card = JSON.readTree(s.only().body()).get("actionCard");
            assertThat(card.get("title").asText()).isEqualTo("Rejected: gulimall-order v1.4.0 to prod");
            assertThat(card.get("text").asText()).contains("rejected by bob: stock service not ready");
        }
    }

    @Test
    void weComSendsMarkdownWithTheLinkAndStaysUnderItsLimit() throws Exception {
        try (CaptureServer s = new CaptureServer().answer(200, "{\"errcode\":0,\"errmsg\":\"ok\"}")) {
            Notifier n = Notifier.of(NotifierConfig.of(
                    "qa-wecom", NotifierKind.WECOM, s.url("/cgi-bin/webhook/send?key=" + WECOM_KEY), null));
            List<Commit> many = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                many.add(new Commit("提交 ".repeat(60) + i, "作者".repeat(30)));
            }
            ApprovalNotice big = new ApprovalNotice(
                    "gulimall-order",
                    "v1.4.0",
                    "sha256:ab",
                    "prod",
                    many,
                    "配置 ".repeat(3000),
                    List.of("ops"),
                    "https://jenkins.example.com/job/gulimall/42/input/");

            assertThat(n.send(Samples.notice()).delivered()).isTrue();
            assertThat(n.send(big).delivered()).isTrue();

            CaptureServer.Captured r = s.requests.get(0);
            assertThat(r.uri().getPath()).isEqualTo("/cgi-bin/webhook/send");
            assertThat(r.uri().getRawQuery()).isEqualTo("key=" + WECOM_KEY);
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.get("msgtype").asText()).isEqualTo("markdown");
            assertThat(body.get("markdown").size()).isEqualTo(1);
            assertThat(body.get("markdown").get("content").asText())
                    .contains("[Open the input page](https://jenkins.example.com/job/gulimall/42/input/)");
            String content = JSON.readTree(s.requests.get(1).body())
                    .get("markdown")
                    .get("content")
                    .asText();
            assertThat(content.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
            assertThat(content).contains("more commits", "[Open the input page](");
        }
    }

    @Test
    void feishuSignedSendsAnInteractiveCardWithTheSignatureInTheBody() throws Exception {
        try (CaptureServer s = new CaptureServer().answer(200, "{\"code\":0,\"msg\":\"success\",\"data\":{}}")) {
            Notifier n = Notifier.of(NotifierConfig.of(
                    "ops-feishu", NotifierKind.FEISHU, s.url("/open-apis/bot/v2/hook/" + FEISHU_HOOK), FEISHU_SECRET));

            Delivery d = n.send(Samples.notice());

            assertThat(d.delivered()).as(d.warning()).isTrue();
            CaptureServer.Captured r = s.only();
            assertThat(r.uri().getPath()).isEqualTo("/open-apis/bot/v2/hook/" + FEISHU_HOOK);
            assertThat(r.uri().getRawQuery()).isNull();
            JsonNode body = JSON.readTree(r.body());
            long timestamp = Long.parseLong(body.get("timestamp").asText());
            // Feishu: seconds, within an hour of its clock
            assertThat(Math.abs(Instant.now().getEpochSecond() - timestamp)).isLessThan(3600);
            String expected = Hmac.base64(Hmac.sha256(timestamp + "\n" + FEISHU_SECRET, ""));
            assertThat(body.get("sign").asText()).isEqualTo(expected);
            assertThat(body.get("msg_type").asText()).isEqualTo("interactive");
            JsonNode card = body.get("card");
            assertThat(card.at("/header/title/tag").asText()).isEqualTo("plain_text");
            assertThat(card.at("/header/title/content").asText())
                    .isEqualTo("Approval waits: gulimall-order v1.4.0 to prod");
            JsonNode buttons = card.at("/elements/3/actions");
            assertThat(buttons.size()).isEqualTo(1);
            assertThat(buttons.get(0).get("url").asText())
                    .isEqualTo("https://jenkins.example.com/job/gulimall/42/input/");
            assertThat(r.body().getBytes(StandardCharsets.UTF_8).length).isLessThan(20 * 1024);
        }
    }

    @Test
    void theGenericWebhookSendsOurBodySignedInItsHeaders() throws Exception {
        try (CaptureServer s = new CaptureServer().answer(204, "")) {
            Notifier n = Notifier.of(
                    NotifierConfig.of("audit-hook", NotifierKind.WEBHOOK, s.url("/hooks/guli"), HOOK_SECRET));

            assertThat(n.send(Samples.notice()).delivered()).isTrue();
            assertThat(n.send(ApprovalOutcome.approved(Samples.notice(), "alice"))
                            .delivered())
                    .isTrue();

            for (CaptureServer.Captured r : s.requests) {
                String timestamp = r.header("X-Guli-Timestamp");
                assertThat(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)))
                        .isLessThan(300);
                assertThat(r.header("X-Guli-Signature"))
                        .isEqualTo("sha256=" + Hmac.hex(Hmac.sha256(HOOK_SECRET, timestamp + "." + r.body())));
            }
            JsonNode waiting = JSON.readTree(s.requests.get(0).body());
            assertThat(waiting.get("event").asText()).isEqualTo("approval.waiting");
            assertThat(waiting.at("/commits/1/author").asText()).isEqualTo("Han Meimei");
            assertThat(waiting.get("inputUrl").asText())
                    .isEqualTo("https://jenkins.example.com/job/gulimall/42/input/");
            JsonNode decided = JSON.readTree(s.requests.get(1).body());
            assertThat(decided.get("event").asText()).isEqualTo("approval.decided");
            assertThat(decided.at("/outcome/result").asText()).isEqualTo("approved");
            assertThat(decided.at("/outcome/by").asText()).isEqualTo("alice");
        }
    }

    @Test
    void vendorErrorBodiesAreFailuresNamedWithoutTheSecrets() throws Exception {
        try (CaptureServer s = new CaptureServer()) {
            List<Delivery> results = new ArrayList<>();
            s.answer(200, "{\"errcode\":310000,\"errmsg\":\"sign not match, more: https://open.dingtalk.com\"}");
            results.add(Notifier.of(NotifierConfig.of(
                            "ops-dingtalk",
                            NotifierKind.DINGTALK,
                            s.url("/robot/send?access_token=" + DING_TOKEN),
                            DING_SECRET))
                    .send(Samples.notice()));
            s.answer(200, "{\"errcode\":93000,\"errmsg\":\"invalid webhook url, key " + WECOM_KEY + "\"}");
            results.add(Notifier.of(NotifierConfig.of(
                            "qa-wecom", NotifierKind.WECOM, s.url("/cgi-bin/webhook/send?key=" + WECOM_KEY), null))
                    .send(Samples.notice()));
            s.answer(
                    200,
                    "{\"code\":19021,\"msg\":\"sign match fail or timestamp is not within one hour from current time\"}");
            results.add(Notifier.of(NotifierConfig.of(
                            "ops-feishu",
                            NotifierKind.FEISHU,
                            s.url("/open-apis/bot/v2/hook/" + FEISHU_HOOK),
                            FEISHU_SECRET))
                    .send(Samples.notice()));
            s.answer(500, "proxy error for " + s.url("/hooks/" + FEISHU_HOOK));
            results.add(Notifier.of(NotifierConfig.of(
                            "audit-hook", NotifierKind.WEBHOOK, s.url("/hooks/" + FEISHU_HOOK), HOOK_SECRET))
                    .send(Samples.notice()));

            assertThat(results).noneMatch(Delivery::delivered);
            assertThat(results.get(0).warning())
                    .contains("'ops-dingtalk' (DingTalk)", "errcode 310000", "sign not match");
            assertThat(results.get(1).warning()).contains("'qa-wecom' (WeCom)", "errcode 93000", "key ****");
            assertThat(results.get(2).warning()).contains("'ops-feishu' (Feishu)", "code 19021");
            assertThat(results.get(3).warning()).contains("'audit-hook' (webhook)", "HTTP 500");
            assertNoSecret(results, s.url(""));
        }
    }

    @Test
    void aNotifierThatIsDownOrSilentIsAFailureWithinItsBound() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Delivery down = Notifier.of(NotifierConfig.of(
                        "ops-dingtalk",
                        NotifierKind.DINGTALK,
                        "http://127.0.0.1:" + closedPort + "/robot/send?access_token=" + DING_TOKEN,
                        DING_SECRET))
                .send(Samples.notice());
        assertThat(down.delivered()).isFalse();
        assertThat(down.warning()).contains("'ops-dingtalk'", "refused", "the approval still waits in Jenkins");

        try (CaptureServer s = new CaptureServer().silent()) {
            Delivery slow = quick(
                            "qa-wecom", NotifierKind.WECOM, s.url("/cgi-bin/webhook/send?key=" + WECOM_KEY), null, 300)
                    .send(Samples.notice());
            assertThat(slow.delivered()).isFalse();
            assertThat(slow.problem()).isEqualTo("no answer within 300 ms");
            assertThat(s.requests).hasSize(1);
            assertNoSecret(List.of(down, slow), "127.0.0.1:" + closedPort);
        }
    }

    @Test
    void anAnswerThatStopsHalfWayIsAFailureWithinTheBound() throws Exception {
        try (CaptureServer s = new CaptureServer().stalls()) {
            Delivery d = quick(
                            "ops-feishu",
                            NotifierKind.FEISHU,
                            s.url("/open-apis/bot/v2/hook/" + FEISHU_HOOK),
                            FEISHU_SECRET,
                            400)
                    .send(Samples.notice());

            assertThat(d.delivered()).isFalse();
            assertThat(d.problem()).isEqualTo("no answer within 400 ms");
            assertNoSecret(List.of(d), s.url(""));
        }
    }

    @Test
    void aConfigurationPrintsNeitherItsUrlNorItsSecret() {
        NotifierConfig c = NotifierConfig.of(
                "ops",
                NotifierKind.DINGTALK,
                "https://oapi.example/robot/send?access_token=" + DING_TOKEN,
                DING_SECRET);

        assertThat(c.toString())
                .isEqualTo("NotifierConfig[name=ops, kind=DingTalk, webhookUrl=****, secret=****, connectTimeout=PT3S,"
                        + " timeout=PT5S]");
    }

    @Test
    void aConfigurationErrorNeverQuotesTheUrl() {
        String url = "ftp://oapi.example/robot/send?access_token=" + DING_TOKEN;
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> NotifierConfig.of("ops", NotifierKind.DINGTALK, url, null))
                .hasMessageContaining("notifier 'ops'")
                .hasMessageContaining("not an http(s) URL")
                .hasMessageNotContaining(DING_TOKEN);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> NotifierConfig.of(
                        "ops", NotifierKind.DINGTALK, "https://x/ y?access_token=" + DING_TOKEN, null))
                .hasMessageContaining("not a URL")
                .hasMessageNotContaining(DING_TOKEN);
    }

    /** A notifier with a short bound, for the servers that never finish answering. */
    static Notifier quick(String name, NotifierKind kind, String url, String secret, int timeoutMs) {
        return Notifier.of(
                new NotifierConfig(name, kind, url, secret, Duration.ofMillis(500), Duration.ofMillis(timeoutMs)));
    }

    static void assertNoSecret(List<Delivery> results, String url) {
        for (Delivery d : results) {
            for (String text : List.of(d.warning(), d.problem(), d.toString())) {
                assertThat(text)
                        .doesNotContain(
                                DING_TOKEN,
                                DING_SECRET,
                                WECOM_KEY,
                                FEISHU_HOOK,
                                FEISHU_SECRET,
                                HOOK_SECRET,
                                url,
                                "access_token");
            }
        }
    }
}
