package io.github.guli.engine.environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.GuliException;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvironmentsTest {
    private static Environments three() {
        return Environments.of(List.of(new Environment("test"), new Environment("staging"), new Environment("prod")));
    }

    @Test
    void keepsTheOrderAndKnowsEachOnesPredecessor() {
        Environments e = three();
        assertThat(e.names()).containsExactly("test", "staging", "prod");
        assertThat(e.first().name()).isEqualTo("test");
        assertThat(e.predecessor("test")).isNull();
        assertThat(e.predecessor("staging").name()).isEqualTo("test");
        assertThat(e.predecessor("prod").name()).isEqualTo("staging");
    }

    @Test
    void theReleasePointIsTheLastUnlessOneIsMarked() {
        assertThat(three().releasePoint().name()).isEqualTo("prod");
        Environments marked = Environments.of(List.of(
                new Environment("test"), new Environment("staging").releasePoint(true), new Environment("prod")));
        assertThat(marked.releasePoint().name()).isEqualTo("staging");
    }

    @Test
    void anUnknownNameFailsNamingTheKnownOnes() {
        assertThatThrownBy(() -> three().predecessor("uat"))
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("there is no environment 'uat': the environments are test, staging, prod");
    }

    @Test
    void namesAreUniqueDnsLabelsAndOneReleasePointAtMost() {
        assertThatThrownBy(() -> Environments.of(List.of(new Environment("Prod_1"))))
                .hasMessageContaining("environment name 'Prod_1' is not valid");
        assertThatThrownBy(() -> Environments.of(List.of(new Environment("-prod"))))
                .hasMessageContaining("is not valid");
        assertThatThrownBy(() -> Environments.of(List.of(new Environment("a".repeat(64)))))
                .hasMessageContaining("is not valid");
        assertThatThrownBy(() -> Environments.of(List.of(new Environment("prod"), new Environment("prod"))))
                .hasMessageContaining("environment 'prod' is configured twice");
        assertThatThrownBy(() -> Environments.of(
                        List.of(new Environment("a").releasePoint(true), new Environment("b").releasePoint(true))))
                .hasMessageContaining("more than one environment is the release point (a, b)");
        assertThatThrownBy(() -> Environments.of(List.of())).hasMessageContaining("no environment is configured");
    }
}
