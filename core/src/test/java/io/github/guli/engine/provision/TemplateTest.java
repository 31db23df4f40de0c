package io.github.guli.engine.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.GuliException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The substitution the configuration templates are filled by: values, lines per item, blocks, and what it refuses. */
class TemplateTest {
    static final Template RULES = Template.load("template/rules.txt");

    @Test
    void fillsValuesRepeatsLinesPerItemAndPutsBlocksInPlaceOfTheirLine() {
        String out =
                RULES.fill(Map.of("one", 1, "item", List.of("x", "y"), "block", new Template.Block("first\nsecond\n")));
        assertThat(out).isEqualTo("one: 1, again 1\n- x of 1\n- y of 1\nfirst\nsecond\nend\n");
    }

    @Test
    void anEmptyListOrBlockWritesNoLine() {
        assertThat(RULES.fill(Map.of("one", "a", "item", List.of(), "block", new Template.Block(""))))
                .isEqualTo("one: a, again a\nend\n");
    }

    @Test
    void valuesAreWrittenAsTheyAreAndNeverFilledAgain() {
        assertThat(RULES.fill(
                        Map.of("one", "{{item}} $1 \\", "item", List.of("{{one}}"), "block", new Template.Block(""))))
                .isEqualTo("one: {{item}} $1 \\, again {{item}} $1 \\\n- {{one}} of {{item}} $1 \\\nend\n");
    }

    @Test
    void aLineBreakInAValueOrAnItemIsRefusedWithoutShowingIt() {
        for (Map<String, ?> values : List.of(
                Map.of("one", "a\nb: injected", "item", List.of(), "block", new Template.Block("")),
                Map.of("one", "a", "item", List.of("x\rsecret"), "block", new Template.Block("")))) {
            assertThatThrownBy(() -> RULES.fill(values))
                    .isInstanceOf(GuliException.class)
                    .hasMessageContaining("in template/rules.txt holds a line break, which would break the file")
                    .hasMessageNotContaining("injected")
                    .hasMessageNotContaining("secret");
        }
    }

    @Test
    void everyPlaceholderNeedsAValueAndEveryValueAPlaceholder() {
        assertThatThrownBy(() -> RULES.fill(Map.of("one", "a", "block", new Template.Block(""))))
                .hasMessage("template/rules.txt needs a value for {{item}}");
        assertThatThrownBy(() ->
                        RULES.fill(Map.of("one", "a", "item", List.of(), "block", new Template.Block(""), "two", "b")))
                .hasMessage("template/rules.txt has no placeholder for [two]");
        assertThatThrownBy(() ->
                        RULES.fill(Map.of("one", List.of("a"), "item", List.of(), "block", new Template.Block(""))))
                .hasMessage("template/rules.txt: one list per line, not item and one");
        assertThatThrownBy(() -> RULES.fill(
                        Map.of("one", new Template.Block("b\n"), "item", List.of(), "block", new Template.Block(""))))
                .hasMessage("template/rules.txt: {{one}} must be alone on its line");
        assertThatThrownBy(() -> Template.load("no-such.txt"))
                .isInstanceOf(GuliException.class)
                .hasMessage("the template no-such.txt is missing from the engine jar: rebuild it");
    }
}
