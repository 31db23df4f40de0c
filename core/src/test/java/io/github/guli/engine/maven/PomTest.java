package io.github.guli.engine.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.GuliException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pom.xml of the branch, as text (on the controller) and as a file (on the agent): hostile input, refused clearly. */
class PomTest {
    static final String XXE = "<?xml version=\"1.0\"?><!DOCTYPE project [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
            + "<project><modules><module>&e;</module></modules></project>";
    static final String LAUGHS = "<?xml version=\"1.0\"?><!DOCTYPE project [<!ENTITY a \"lol\">"
            + "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
            + "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\"><!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">]>"
            + "<project><modules><module>&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;</module></modules></project>";
    static final String HUGE = "<project><modules><module>gulimall-cart</module></modules><!--"
            + "x".repeat(Pom.MAX_SIZE) + "--></project>";

    @TempDir
    Path dir;

    @Test
    void entitiesAndDoctypesAreRefusedNamingTheFile() throws Exception {
        for (String hostile : new String[] {XXE, LAUGHS}) {
            assertThatThrownBy(() -> Pom.parse(hostile, "the repository's pom.xml"))
                    .isInstanceOf(GuliException.class)
                    .hasMessage("the repository's pom.xml has a DOCTYPE: a pom.xml needs none, and its entities could "
                            + "read files or expand without end; remove the <!DOCTYPE ...> declaration");
            Path pom = Files.writeString(dir.resolve("pom.xml"), hostile);
            assertThatThrownBy(() -> Pom.read(pom.toFile()))
                    .isInstanceOf(GuliException.class)
                    .hasMessageStartingWith(pom + " has a DOCTYPE");
        }
    }

    @Test
    void aPomLargerThanTheLimitIsRefusedUnread() throws Exception {
        assertThatThrownBy(() -> Pom.parse(HUGE, "the repository's pom.xml"))
                .isInstanceOf(GuliException.class)
                .hasMessage("the repository's pom.xml is larger than 512 KB: a pom.xml of the branch is refused "
                        + "unread beyond that; make it smaller");
        Path pom = Files.writeString(dir.resolve("pom.xml"), HUGE);
        assertThatThrownBy(() -> Pom.read(pom.toFile())).hasMessageStartingWith(pom + " is larger than 512 KB");
    }

    @Test
    void theModulesAreTheProjectsOwnNeverAProfiles() throws Exception {
        String text = "<project><modules><module> gulimall-common </module><module>services</module></modules>"
                + "<profiles><profile><modules><module>extra</module></modules></profile></profiles></project>";
        assertThat(Pom.parse(text, "pom").modules()).containsExactly("gulimall-common", "services");
        Path pom = Files.writeString(dir.resolve("pom.xml"), text);
        assertThat(Pom.read(pom.toFile()).modules()).containsExactly("gulimall-common", "services");
        assertThat(Pom.parse("<project/>", "pom").modules()).isEmpty();
        assertThatThrownBy(() -> Pom.parse("<project>", "pom")).hasMessageStartingWith("pom is not well-formed XML");
    }
}
