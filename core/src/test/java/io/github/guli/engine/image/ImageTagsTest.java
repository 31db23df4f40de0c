package io.github.guli.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImageTagsTest {
    @Test
    void theCourseTagsFirstThenTheGivenOnesOnce() {
        assertThat(ImageTags.of("feature/cart", "42", true, List.of("v1.2.0", "latest")))
                .containsExactly("SNAPSHOT-feature-cart-42", "latest", "v1.2.0");
        assertThat(ImageTags.of("origin/master", "7", false, null)).containsExactly("SNAPSHOT-master-7");
    }

    @Test
    void noBranchAndNoTagSaysWhatToGive() {
        assertThat(ImageTags.of(null, "7", true, List.of())).containsExactly("latest");
        assertThatThrownBy(() -> ImageTags.of(null, "7", false, List.of()))
                .hasMessageContaining("no tag to give the image")
                .hasMessageContaining("give tags");
        assertThatThrownBy(() -> ImageTags.of("master", "7", true, List.of("-bad")))
                .hasMessageContaining("image tag '-bad' is not valid");
    }

    @Test
    void splitsCommasAndSpaces() {
        assertThat(ImageTags.split(" v1, stable  beta ")).containsExactly("v1", "stable", "beta");
        assertThat(ImageTags.split(" ")).isEmpty();
    }
}
