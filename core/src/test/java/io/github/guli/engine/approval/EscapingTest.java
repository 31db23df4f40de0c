package io.github.guli.engine.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.guli.engine.GuliException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Text of the branch cannot make a link, a button, a heading or a mention in any card. */
class EscapingTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T08:00:00Z"), ZoneOffset.UTC);
    static final String LINK = "https://jenkins.example.com/job/gulimall/42/input/";
    /** A Markdown link or image whose bracket is not escaped. */
    static final Pattern LINK_SYNTAX = Pattern.compile("(?<!\\\\)\\[[^\\]]*(?<!\\\\)\\]\\(");

    static Notifier notifier(NotifierKind kind) {
        return Notifier.of(
                NotifierConfig.of("n", kind, "https://robot.example.com/send?key=0123456789abcdef", "s3cret-signing"),
                CLOCK);
    }

    static List<String> markdownOf(NotifierKind kind) throws Exception {
        Notifier n = notifier(kind);
        List<String> texts = new ArrayList<>();
        for (Notifier.Request r : List.of(
                n.request(Samples.hostile(), CLOCK.instant()),
                n.request(ApprovalOutcome.rejected(Samples.hostile(), "@all", Samples.HOSTILE), CLOCK.instant()))) {
            JsonNode body = JSON.readTree(r.body());
            JsonNode md = kind == NotifierKind.WECOM ? body.at("/markdown/content") : body.at("/actionCard/text");
            texts.add(md.asText());
        }
        return texts;
    }

    @Test
    void markdownCardsShowHostileTextAsText() throws Exception {
        for (NotifierKind kind : List.of(NotifierKind.DINGTALK, NotifierKind.WECOM)) {
            for (String md : markdownOf(kind)) {
                String ours = kind == NotifierKind.WECOM ? "[Open the input page](" + LINK + ")" : "";
                String theirs = md.replace(ours, "");
                assertThat(LINK_SYNTAX.matcher(theirs).find())
                        .as(kind + ": a link in\n" + md)
                        .isFalse();
                assertThat(theirs)
                        .as(kind.label())
                        .doesNotContain("@all", "<at", "<font", "http://evil", "https://evil", "www.evil", "`code`")
                        .contains("\\[x\\](http:\u200B//evil)", "＠all", "＜at user\\_id=\"all\"＞", "\\# Heading");
                for (String line : md.split("\n")) {
                    assertThat(line)
                            .as(kind + ": a heading of the branch")
                            .matches(l -> !l.startsWith("#")
                                    || l.startsWith("### Approval waits: ")
                                    || l.startsWith("### Rejected: "));
                    assertThat(line.startsWith(">")
                                    || line.startsWith("- ")
                                    || line.startsWith("**")
                                    || line.startsWith("###")
                                    || line.isBlank()
                                    || line.startsWith("[Open the input page]("))
                            .as(kind + ": a line the branch started: " + line)
                            .isTrue();
                }
            }
        }
    }

    @Test
    void aDiffLineCannotMakeTheLineBeforeAHeadingNorARule() throws Exception {
        for (NotifierKind kind : List.of(NotifierKind.DINGTALK, NotifierKind.WECOM)) {
            String notice = markdownOf(kind).get(0);
            assertThat(notice).as(kind.label()).contains("> heading?  \n> \\===  \n>   \\---  \n> \\+ added  \n");
        }
    }

    @Test
    void jsonCardsCarryHostileTextExactlyAndOnlyOurLink() throws Exception {
        Notifier.Request feishu = notifier(NotifierKind.FEISHU).request(Samples.hostile(), CLOCK.instant());
        JsonNode card = JSON.readTree(feishu.body()).get("card");
        List<String> tags = card.findValuesAsText("tag");
        assertThat(tags).containsOnly("plain_text", "div", "action", "button");
        assertThat(card.findValues("url")).extracting(JsonNode::asText).containsExactly(LINK);
        assertThat(card.at("/elements/1/text/content").asText())
                .contains(Samples.HOSTILE.split("\n")[0]);

        Notifier.Request hook = notifier(NotifierKind.WEBHOOK).request(Samples.hostile(), CLOCK.instant());
        JsonNode body = JSON.readTree(hook.body());
        assertThat(body.at("/commits/0/subject").asText()).isEqualTo(Samples.HOSTILE);
        assertThat(body.get("configDiff").asText()).isEqualTo(Samples.hostile().configDiff());
        assertThat(body.get("inputUrl").asText()).isEqualTo(LINK);
    }

    @Test
    void theLinkIsHttpOnlyAndCannotBreakOutOfItsParentheses() {
        for (String bad : List.of("javascript:alert(1)", "file:///etc/passwd", "ftp://x/y", "//evil/x", "not a url")) {
            assertThatThrownBy(() -> new ApprovalNotice("s", "v", "d", "e", List.of(), "", List.of(), bad))
                    .isInstanceOf(GuliException.class)
                    .hasMessageContaining("http(s) URL");
        }
        assertThat(Markdown.linkTarget("https://j/job/a(b)/42/input/")).isEqualTo("https://j/job/a%28b%29/42/input/");
    }
}
