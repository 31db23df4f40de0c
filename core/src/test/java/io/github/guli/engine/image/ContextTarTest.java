package io.github.guli.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build context sent to the Docker engine holds the application: no other user of the agent may read it. */
class ContextTarTest {
    @Test
    void theTarIsInAFolderOnlyTheBuildsUserCanOpenAndIsGoneWhenClosed(@TempDir Path context, @TempDir Path tmp)
            throws Exception {
        Files.writeString(context.resolve("application.yml"), "spring.datasource.password: from-the-repo\n");
        try (InputStream tar = ContextTar.of(context, tmp)) {
            List<Path> made = list(tmp);
            assertThat(made).hasSize(1);
            assertThat(Files.isDirectory(made.get(0))).as(made.get(0) + " is a folder").isTrue();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made.get(0)))).isEqualTo("rwx------");
            assertThat(tar.readAllBytes()).isNotEmpty();
        }
        assertThat(list(tmp)).as("left behind").isEmpty();
    }

    private static List<Path> list(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
