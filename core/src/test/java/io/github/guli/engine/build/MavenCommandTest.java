package io.github.guli.engine.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MavenCommandTest {
    private final MavenCommand build = new MavenCommand("mvn")
            .goals(List.of("clean", "package"))
            .settings("/ws/mvn-settings.xml")
            .options(List.of("-T", "2", "-Dsonar.exclusions=docs/**"))
            .property("skipTests", null);

    @Test
    void rendersSelectionGoalsSettingsOptionsThenProperties() {
        assertThat(build.projects(List.of("gulimall-order", "gulimall-product")).argv())
                .containsExactly(
                        "mvn",
                        "-B",
                        "-pl",
                        "gulimall-order,gulimall-product",
                        "-am",
                        "clean",
                        "package",
                        "-s",
                        "/ws/mvn-settings.xml",
                        "-T",
                        "2",
                        "-Dsonar.exclusions=docs/**",
                        "-DskipTests");
        assertThat(new MavenCommand("mvn").argv())
                .as("the whole project, Maven's own settings")
                .containsExactly("mvn", "-B");
    }

    @Test
    void aModuleAloneIsItsPomWithoutTheProjectListAndAVariantLeavesTheOriginalAsItWas() {
        MavenCommand listed = build.projects(List.of("gulimall-order"));
        MavenCommand alone =
                listed.pom("gulimall-order/pom.xml").goals(List.of()).property("guli.upstream", "/x");

        assertThat(alone.toString())
                .isEqualTo("mvn -B -f gulimall-order/pom.xml -s /ws/mvn-settings.xml -T 2 "
                        + "-Dsonar.exclusions=docs/** -DskipTests -Dguli.upstream=/x");
        assertThat(listed.toString())
                .isEqualTo("mvn -B -pl gulimall-order -am clean package -s /ws/mvn-settings.xml -T 2 "
                        + "-Dsonar.exclusions=docs/** -DskipTests");
        assertThat(alone.pom()).isEqualTo("gulimall-order/pom.xml");
        assertThat(alone.projects()).isEmpty();
        assertThat(alone.pom("gulimall-order/pom.xml").projects(List.of("a")).argv())
                .containsSubsequence("-pl", "a", "-am")
                .doesNotContain("-f");
    }

    @Test
    void aListPropertyHoldsTheUsersValuesAndComesAfterTheirOptionSoItWins() {
        MavenCommand c = build.addToList("sonar.exclusions", List.of("gulimall-common/**"))
                .addToList("sonar.exclusions", List.of("gulimall-gateway/**"))
                .addToList("sonar.test.exclusions", List.of("gulimall-common/**"));

        assertThat(c.properties())
                .containsEntry("sonar.exclusions", "docs/**,gulimall-common/**,gulimall-gateway/**")
                .containsEntry("sonar.test.exclusions", "gulimall-common/**");
        List<String> argv = c.argv();
        assertThat(argv.indexOf("-Dsonar.exclusions=docs/**,gulimall-common/**,gulimall-gateway/**"))
                .isGreaterThan(argv.indexOf("-Dsonar.exclusions=docs/**"));
    }

    @Test
    void aPropertySetTwiceKeepsItsPlaceAndTheLastValue() {
        MavenCommand c = new MavenCommand("mvn")
                .property("sonar.projectKey", "a")
                .property("sonar.host.url", "http://sonar")
                .property("sonar.projectKey", "b");
        assertThat(c.argv()).containsExactly("mvn", "-B", "-Dsonar.projectKey=b", "-Dsonar.host.url=http://sonar");
    }
}
