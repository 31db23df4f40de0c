package io.github.guli.engine.nacos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UnifiedDiffTest {
    static String lines(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "l" + i + "\n").collect(Collectors.joining());
    }

    @Test
    void equalTextsHaveNoDiff() {
        assertThat(UnifiedDiff.of("a", "b", "x\ny\n", "x\ny\n")).isEmpty();
    }

    @Test
    void distantChangesAreSeparateHunksWithThreeLinesOfContext() {
        String old = lines(1, 20);
        String changed = old.replace("l2\n", "L2\n").replace("l18\n", "L18\n");

        assertThat(UnifiedDiff.of("a", "b", old, changed))
                .isEqualTo("--- a\n+++ b\n"
                        + "@@ -1,5 +1,5 @@\n l1\n-l2\n+L2\n l3\n l4\n l5\n"
                        + "@@ -15,6 +15,6 @@\n l15\n l16\n l17\n-l18\n+L18\n l19\n l20\n");
    }

    @Test
    void nearChangesShareAHunk() {
        String old = lines(1, 12);
        String changed = old.replace("l3\n", "").replace("l8\n", "l8\nnew\n");

        assertThat(UnifiedDiff.of("a", "b", old, changed))
                .isEqualTo("--- a\n+++ b\n"
                        + "@@ -1,11 +1,11 @@\n l1\n l2\n-l3\n l4\n l5\n l6\n l7\n l8\n+new\n l9\n l10\n l11\n");
    }

    @Test
    void aDeletedTextIsAllRemoved() {
        assertThat(UnifiedDiff.of("a", "b", "x\ny\n", "")).isEqualTo("--- a\n+++ b\n@@ -1,2 +0,0 @@\n-x\n-y\n");
    }

    @Test
    void pastTheEditLimitTheWholeTextIsShownReplaced() {
        String old = IntStream.range(0, 3000).mapToObj(i -> "a" + i + "\n").collect(Collectors.joining());
        String changed = IntStream.range(0, 3000).mapToObj(i -> "b" + i + "\n").collect(Collectors.joining());

        String diff = UnifiedDiff.of("a", "b", old, changed);

        assertThat(diff).startsWith("--- a\n+++ b\n@@ -1,3000 +1,3000 @@\n-a0\n");
        assertThat(diff.lines().filter(l -> l.startsWith("-")).count()).isEqualTo(3001);
    }
}
