package io.github.guli.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.GuliException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The images a branch's Dockerfile reads, every stage's and every COPY --from's. */
class DockerfileBasesTest {
    @TempDir
    Path dir;

    private List<String> bases(String text) throws Exception {
        Path f = Files.writeString(dir.resolve("Dockerfile"), text);
        return DockerfileBases.read(f).stream().map(b -> b.image().toString()).toList();
    }

    @Test
    void everyStageAndCopyFromAnImageButNotFromAStage() throws Exception {
        assertThat(bases("""
                        # syntax comment
                        ARG JRE=r.example.com/base/jre:17
                        FROM --platform=linux/amd64 maven:3 AS build
                        RUN mvn package
                        from ${JRE} as runtime
                        COPY --from=build /app.jar /
                        COPY --from=r.example.com/team/secret:1 /secret.txt /
                        COPY --from=0 /x /
                        FROM runtime
                        FROM scratch
                        FROM \\
                          r.example.com/other/x:2
                        """))
                .containsExactly(
                        "docker.io/library/maven:3",
                        "r.example.com/base/jre:17",
                        "r.example.com/team/secret:1",
                        "r.example.com/other/x:2");
    }

    @Test
    void anImageNamedByAVariableWithoutADefaultIsRefused() {
        assertThatThrownBy(() -> bases("ARG BASE\nFROM $BASE\n"))
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("'FROM $BASE' names its image with $BASE");
        assertThatThrownBy(() -> bases("FROM ${BASE:-r.example.com/x/y:1}\n")).isInstanceOf(GuliException.class);
    }

    @Test
    void aHostileReferenceIsAnErrorNamingTheLine() {
        assertThatThrownBy(() -> bases("FROM r.example.com/UPPER/x\n"))
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("FROM r.example.com/UPPER/x");
    }
}
