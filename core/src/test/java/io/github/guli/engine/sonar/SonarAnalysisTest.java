package io.github.guli.engine.sonar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.build.BuildRequest;
import io.github.guli.testsupport.Serialized;
import org.junit.jupiter.api.Test;

/** The analysis request: its defaults, every value kept under its own name, and a toString without the token. */
class SonarAnalysisTest {
    @Test
    void unsetValuesAreTheDocumentedDefaults() {
        SonarAnalysis a = new SonarAnalysis().serverUrl("http://sonar.example.com:9000");
        assertThat(a.token()).as("anonymous").isNull();
        assertThat(a.projectKey())
                .as("the module's sonar.projectKey, else its artifactId")
                .isNull();
        assertThat(a.projectName()).as("the module's artifactId").isNull();
        assertThat(a.branch()).isNull();
        assertThat(a.scannerVersion()).isNull();
        assertThat(a.scanner())
                .isEqualTo("org.sonarsource.scanner.maven:sonar-maven-plugin:" + SonarAnalysis.DEFAULT_SCANNER_VERSION
                        + ":sonar");
        assertThat(a.scannerVersion("4.0.0.4121").scanner())
                .isEqualTo("org.sonarsource.scanner.maven:sonar-maven-plugin:4.0.0.4121:sonar");
    }

    @Test
    void theServerIsRequired() {
        assertThatThrownBy(() -> new SonarAnalysis().serverUrl(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("serverUrl");
        assertThatThrownBy(() -> new BuildRequest().sonar(new SonarAnalysis().token("t")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a SonarQube analysis needs the server's URL");
    }

    @Test
    void eachValueIsKeptUnderItsOwnNameThroughJavaSerialization() throws Exception {
        SonarAnalysis a = Serialized.copy(new SonarAnalysis()
                .serverUrl("http://sonar.example.com:9000")
                .token("squ_s3cret")
                .projectKey("guli:gulimall-order")
                .projectName("GuliMall order")
                .branch("feature/cart")
                .scannerVersion("4.0.0.4121"));
        assertThat(a.serverUrl()).isEqualTo("http://sonar.example.com:9000");
        assertThat(a.token()).isEqualTo("squ_s3cret");
        assertThat(a.projectKey()).isEqualTo("guli:gulimall-order");
        assertThat(a.projectName()).isEqualTo("GuliMall order");
        assertThat(a.branch()).isEqualTo("feature/cart");
        assertThat(a.scannerVersion()).isEqualTo("4.0.0.4121");
    }

    @Test
    void itsTextNamesTheAnalysisButNeverTheToken() {
        SonarAnalysis a = new SonarAnalysis()
                .serverUrl("http://sonar.example.com:9000")
                .projectKey("guli:gulimall-order")
                .branch("feature/cart");
        assertThat(a.toString())
                .isEqualTo("SonarAnalysis[http://sonar.example.com:9000, project guli:gulimall-order, "
                        + "branch feature/cart, token none]");
        assertThat(a.token("squ_s3cret").toString())
                .doesNotContain("squ_s3cret")
                .isEqualTo("SonarAnalysis[http://sonar.example.com:9000, project guli:gulimall-order, "
                        + "branch feature/cart, token ****]");
    }
}
