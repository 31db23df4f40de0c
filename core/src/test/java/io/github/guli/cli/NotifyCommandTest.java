package io.github.guli.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.guli.engine.approval.CaptureServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code guli notify}: the webhook URL and the secret from the environment only, never echoed. */
class NotifyCommandTest {
    static final String KEY = "693a91f6-7a0c-4bc4-97a0-0ec2f1fa5aaa";

    @Test
    void sendsTheNoticeWithTheUrlFromAFile(@TempDir Path dir) throws Exception {
        try (CaptureServer s = new CaptureServer().answer(200, "{\"errcode\":0,\"errmsg\":\"ok\"}")) {
            Path url = Files.writeString(dir.resolve("url"), s.url("/cgi-bin/webhook/send?key=" + KEY) + "\n");

            GuliRun r = GuliRun.inProcess(
                    Map.of("GULI_NOTIFY_WEBHOOK_URL_FILE", url.toString()),
                    "notify",
                    "--kind",
                    "wecom",
                    "--name",
                    "qa-wecom",
                    "--service",
                    "gulimall-order",
                    "--version",
                    "v1.4.0",
                    "--environment",
                    "prod",
                    "--approvers",
                    "alice, ops",
                    "--input-url",
                    "https://jenkins.example.com/job/gulimall/42/input/");

            assertThat(r.exit()).as(r.all()).isZero();
            assertThat(r.out()).isEqualTo("guli notify: notifier 'qa-wecom' (WeCom) took the message\n");
            JsonNode body = new ObjectMapper().readTree(s.only().body());
            assertThat(body.at("/markdown/content").asText())
                    .contains("**May approve:** alice, ops", "[Open the input page](");
        }
    }

    @Test
    void aRefusalExitsOneWithTheWarningAndNoSecret() throws Exception {
        try (CaptureServer s = new CaptureServer().answer(200, "{\"code\":19021,\"msg\":\"sign match fail\"}")) {
            String url = s.url("/open-apis/bot/v2/hook/" + KEY);
            GuliRun r = GuliRun.inProcess(
                    Map.of("GULI_NOTIFY_WEBHOOK_URL", url, "GULI_NOTIFY_SECRET", "feishu-signing-secret"),
                    "notify",
                    "--kind",
                    "feishu",
                    "--service",
                    "gulimall-order",
                    "--version",
                    "v1.4.0",
                    "--environment",
                    "prod",
                    "--outcome",
                    "rejected",
                    "--by",
                    "bob",
                    "--reason",
                    "not ready");

            assertThat(r.exit()).as(r.all()).isEqualTo(1);
            assertThat(r.out()).contains("approval notifier 'feishu' (Feishu)", "code 19021");
            assertThat(r.all()).doesNotContain(KEY, "feishu-signing-secret", url);
            assertThat(new ObjectMapper().readTree(s.only().body()).get("sign").asText())
                    .isNotBlank();
        }
    }

    @Test
    void theUrlIsNeverAFlag() {
        GuliRun r = GuliRun.inProcess(
                Map.of(), "notify", "--kind", "dingtalk", "--service", "s", "--version", "v", "--environment", "e");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("set GULI_NOTIFY_WEBHOOK_URL");
        GuliRun flag = GuliRun.inProcess(Map.of(), "notify", "--webhook-url", "https://x");
        assertThat(flag.exit()).isEqualTo(2);
        assertThat(flag.err()).contains("unknown option --webhook-url");
    }
}
