package io.github.guli.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BlankTest {
    @Test
    void nullEmptyAndWhitespaceAreNotGiven() {
        assertThat(Blank.isBlank(null)).isTrue();
        assertThat(Blank.isBlank("")).isTrue();
        assertThat(Blank.isBlank(" \t\n")).isTrue();
        assertThat(Blank.isBlank(" x ")).isFalse();
    }

    @Test
    void givenValuesAreTrimmedAndBlankOnesFallBack() {
        assertThat(Blank.toNull("  ")).isNull();
        assertThat(Blank.toNull(" v1 ")).isEqualTo("v1");
        assertThat(Blank.orDefault(null, "lock")).isEqualTo("lock");
        assertThat(Blank.orDefault(" milestone ", "lock")).isEqualTo("milestone");
    }

    @Test
    void theFirstGivenValueWins() {
        assertThat(Blank.firstGiven(null, " ", " step ", "global")).isEqualTo("step");
        assertThat(Blank.firstGiven(null, "")).isNull();
    }
}
