package io.github.guli.engine.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.GuliException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reactor read from a branch's pom.xml files: a loop in them is a clear error, not a StackOverflowError. */
class ReactorTest {
    @TempDir
    Path ws;

    private void pom(String dir, String artifactId, String... modules) throws Exception {
        StringBuilder m = new StringBuilder();
        for (String module : modules) {
            m.append("<module>").append(module).append("</module>");
        }
        Files.createDirectories(ws.resolve(dir));
        Files.writeString(
                ws.resolve(dir).resolve("pom.xml"),
                "<project><groupId>g</groupId><artifactId>" + artifactId + "</artifactId><modules>" + m
                        + "</modules></project>");
    }

    @Test
    void aPomThatListsItselfIsNamed() throws Exception {
        pom(".", "root", "gulimall-common", ".");
        pom("gulimall-common", "gulimall-common");
        assertThatThrownBy(() -> Reactor.read(ws.toFile()))
                .isInstanceOf(GuliException.class)
                .hasMessage(
                        "module '.' listed in " + ws.resolve("pom.xml") + " is " + ws.resolve("pom.xml")
                                + ", which is already in the reactor: a pom.xml cannot list itself "
                                + "(<module>.</module>), a module that lists it back, or a module twice; fix the <modules> list");
    }

    @Test
    void aCycleThroughModulesAndAModuleListedTwiceAreNamed() throws Exception {
        pom(".", "root", "a");
        pom("a", "a", "../b");
        pom("b", "b", "../a");
        assertThatThrownBy(() -> Reactor.read(ws.toFile()))
                .isInstanceOf(GuliException.class)
                .hasMessageStartingWith("module '../a' listed in ")
                .hasMessageContaining("already in the reactor");
        pom(".", "root", "a", "./a");
        pom("a", "a");
        assertThatThrownBy(() -> Reactor.read(ws.toFile()))
                .hasMessageStartingWith("module './a' listed in ")
                .hasMessageContaining("already in the reactor");
        pom(".", "root", "a", "b");
        pom("b", "b");
        assertThat(Reactor.read(ws.toFile()).modules())
                .extracting(Reactor.Module::path)
                .containsExactly("a", "b");
    }

    @Test
    void theServicesOfANestedAggregatorAreTheLeavesNoOneIsBuiltFrom() throws Exception {
        pom(".", "gulimall", "gulimall-common", "services");
        pom("gulimall-common", "gulimall-common");
        Files.createDirectories(ws.resolve("services"));
        Files.writeString(
                ws.resolve("services/pom.xml"),
                "<project><groupId>g</groupId><artifactId>services</artifactId><packaging>pom</packaging><modules>"
                        + "<module>gulimall-product</module><module>gulimall-order</module></modules></project>");
        for (String s : new String[] {"gulimall-product", "gulimall-order"}) {
            Files.createDirectories(ws.resolve("services/" + s));
            Files.writeString(
                    ws.resolve("services/" + s + "/pom.xml"),
                    "<project><groupId>g</groupId><artifactId>" + s + "</artifactId><dependencies><dependency>"
                            + "<groupId>g</groupId><artifactId>gulimall-common</artifactId></dependency>"
                            + "</dependencies></project>");
        }
        assertThat(Reactor.read(ws.toFile()).serviceNames()).containsExactly("gulimall-product", "gulimall-order");
    }

    @Test
    void aHostileModulePomIsRefusedNamingIt() throws Exception {
        pom(".", "root", "a");
        Files.createDirectories(ws.resolve("a"));
        Path a = ws.resolve("a/pom.xml");
        Files.writeString(a, PomTest.HUGE);
        assertThatThrownBy(() -> Reactor.read(ws.toFile()))
                .isInstanceOf(GuliException.class)
                .hasMessageStartingWith(a + " is larger than 512 KB");
        Files.writeString(a, PomTest.LAUGHS);
        assertThatThrownBy(() -> Reactor.read(ws.toFile()))
                .isInstanceOf(GuliException.class)
                .hasMessageStartingWith(a + " has a DOCTYPE");
        Files.writeString(a, PomTest.XXE);
        assertThatThrownBy(() -> Reactor.read(ws.toFile())).hasMessageStartingWith(a + " has a DOCTYPE");
    }
}
