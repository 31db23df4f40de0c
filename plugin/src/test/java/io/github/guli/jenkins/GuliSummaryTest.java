package io.github.guli.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What becomes a link on the build page: the URL may come from a file the build's own code wrote. */
class GuliSummaryTest {
    @Test
    void onlyAbsoluteHttpUrlsBecomeLinks() throws Exception {
        for (String hostile : List.of(
                "javascript:alert(document.cookie)",
                "JavaScript:alert(1)",
                " javascript:alert(1)",
                "javascript://%0aalert(1)",
                "data:text/html,<script>alert(1)</script>",
                "vbscript:msgbox(1)",
                "//evil.example/x",
                "/manage/script",
                "dashboard?id=x",
                "http:///x",
                "http://user:pw@evil.example/",
                "https://sonar example/",
                "")) {
            assertThat(GuliSummary.link(hostile)).as(hostile).isNull();
        }
        assertThat(GuliSummary.link("http://127.0.0.1:9000/dashboard?id=guli%3Agateway"))
                .isEqualTo("http://127.0.0.1:9000/dashboard?id=guli%3Agateway");
        assertThat(GuliSummary.link("HTTPS://sonar.example.com/dashboard?id=a"))
                .isEqualTo("HTTPS://sonar.example.com/dashboard?id=a");
        assertThat(GuliSummary.link(null)).isNull();
    }

    @Test
    void aHostileLineIsShownAsTextWithoutALink() throws Exception {
        TestRun run = new TestRun();
        GuliSummary.add(run, "guliBuild", "analysis of x", "javascript:fetch('/credentials')");
        GuliSummary.add(run, "guliQualityGate", "quality gate of x: OK", "http://sonar:9000/dashboard?id=x");
        List<GuliSummary.Line> lines = run.getAction(GuliSummary.class).getLines();
        assertThat(lines)
                .extracting(GuliSummary.Line::getUrl)
                .containsExactly(null, "http://sonar:9000/dashboard?id=x");
        assertThat(lines)
                .extracting(GuliSummary.Line::getText)
                .containsExactly("analysis of x", "quality gate of x: OK");
    }
}
