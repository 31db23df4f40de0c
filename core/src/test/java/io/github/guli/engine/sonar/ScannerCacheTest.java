package io.github.guli.engine.sonar;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scanner's kept user home: only its content-addressed downloads are kept, and a kept file that changed, or one
 * that was added, empties it before the next analysis.
 */
class ScannerCacheTest {
    @TempDir
    Path home;

    private final List<String> log = new ArrayList<>();

    /** A download as the scanner keeps it: {@code cache/<md5 of the content>/<name>}. */
    private Path download(String name, String content) throws Exception {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
        Path f = home.resolve("cache").resolve(md5).resolve(name);
        Files.createDirectories(f.getParent());
        return Files.write(f, b);
    }

    @Test
    void keptDownloadsAsRecordedAreReused() throws Exception {
        Path plugin = download("sonar-java-plugin.jar", "the java plugin");
        Map<String, String> record = new ScannerCache(home, null).record();

        assertThat(record).containsOnlyKeys("cache/" + plugin.getParent().getFileName() + "/sonar-java-plugin.jar");
        assertThat(new ScannerCache(home, record).check(log::add)).isTrue();
        assertThat(plugin).exists();
        assertThat(log).singleElement().asString().contains("is as recorded: reused");
    }

    @Test
    void aKeptFileChangedAfterItWasRecordedIsDetectedAndNotUsed() throws Exception {
        Path plugin = download("sonar-java-plugin.jar", "the java plugin");
        Path engine = download("sonar-scanner-engine.jar", "the engine");
        Map<String, String> record = new ScannerCache(home, null).record();
        Files.writeString(plugin, "a plugin of the branch's"); // under the same name, which the scanner would load

        assertThat(new ScannerCache(home, record).check(log::add)).isFalse();

        assertThat(plugin).doesNotExist();
        assertThat(engine).doesNotExist(); // all of it: one changed file says the folder was written
        assertThat(home).isEmptyDirectory();
        assertThat(log)
                .singleElement()
                .asString()
                .contains("sonar-java-plugin.jar does not match the SHA-256 recorded when it was kept")
                .contains("discarded, the analysis downloads the scanner and its plugins again");
    }

    @Test
    void aKeptFileRewrittenWithItsSizeAndTimeKeptIsDetected() throws Exception {
        Path plugin = download("sonar-java-plugin.jar", "the java plugin");
        Map<String, String> record = new ScannerCache(home, null).record();
        FileTime modified = Files.getLastModifiedTime(plugin);
        Files.writeString(plugin, "the JAVA plugin"); // as long as the original, and its time set back
        Files.setLastModifiedTime(plugin, modified);

        assertThat(new ScannerCache(home, record).check(log::add)).isFalse();

        assertThat(plugin).doesNotExist();
        assertThat(log).singleElement().asString().contains("does not match the SHA-256 recorded");
    }

    @Test
    void aCheckedCacheIsRecordedAgainAsItWas() throws Exception {
        download("sonar-java-plugin.jar", "the java plugin");
        Map<String, String> record = new ScannerCache(home, null).record();
        ScannerCache next = new ScannerCache(home, record);

        assertThat(next.check(log::add)).isTrue();
        assertThat(next.record()).isEqualTo(record);
    }

    @Test
    void aFileAddedAfterTheRecordIsDetectedAndNotUsed() throws Exception {
        download("sonar-java-plugin.jar", "the java plugin");
        Map<String, String> record = new ScannerCache(home, null).record();
        Path added = download("sonar-php-plugin.jar", "another plugin");

        assertThat(new ScannerCache(home, record).check(log::add)).isFalse();

        assertThat(added).doesNotExist();
        assertThat(log).singleElement().asString().contains("sonar-php-plugin.jar was not kept by an earlier build");
    }

    @Test
    void aKeptCacheWithoutARecordIsNotUsed() throws Exception {
        Path plugin = download("sonar-java-plugin.jar", "the java plugin");

        assertThat(new ScannerCache(home, null).check(log::add)).isFalse();

        assertThat(plugin).doesNotExist();
    }

    @Test
    void onlyTheScannersContentAddressedDownloadsAreKept() throws Exception {
        Path plugin = download("sonar-java-plugin.jar", "the java plugin");
        // written during the build by its own code, or the scanner's unzipped copies: neither can be checked
        Path wrongName = Files.writeString(plugin.resolveSibling("sonar-evil-plugin.jar"), "not the md5 of its folder");
        Path unzipped = plugin.resolveSibling("sonar-java-plugin.jar_unzip/META-INF/lib/a.jar");
        Files.createDirectories(unzipped.getParent());
        Files.writeString(unzipped, "unzipped");
        Path link = Files.createSymbolicLink(home.resolve("cache").resolve("link"), plugin.getParent());
        Path tmp =
                Files.writeString(Files.createDirectories(home.resolve("_tmp")).resolve("x"), "temporary");

        Map<String, String> record = new ScannerCache(home, null).record();

        assertThat(record).hasSize(1);
        assertThat(plugin).exists();
        assertThat(wrongName).doesNotExist();
        assertThat(unzipped.getParent().getParent().getParent()).doesNotExist();
        assertThat(link).doesNotExist();
        assertThat(tmp.getParent()).doesNotExist();
        assertThat(new ScannerCache(home, record).check(log::add)).isTrue();
    }
}
