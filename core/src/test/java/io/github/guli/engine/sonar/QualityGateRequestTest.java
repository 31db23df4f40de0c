package io.github.guli.engine.sonar;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.guli.testsupport.Serialized;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The quality gate request: its defaults, every value kept under its own name, and a toString without the token. */
class QualityGateRequestTest {
    @Test
    void unsetValuesAreTheDocumentedDefaults() {
        QualityGateRequest r = new QualityGateRequest();
        assertThat(r.dir()).as("the workspace").isNull();
        assertThat(r.module()).as("the root's report-task.txt").isNull();
        assertThat(r.reportTask()).isNull();
        assertThat(r.projectKey()).isNull();
        assertThat(r.serverUrl()).isNull();
        assertThat(r.token()).as("anonymous").isNull();
        assertThat(r.timeout()).as("QualityGate.DEFAULT_TIMEOUT").isNull();
    }

    @Test
    void eachValueIsKeptUnderItsOwnNameThroughJavaSerialization() throws Exception {
        QualityGateRequest r = Serialized.copy(new QualityGateRequest()
                .dir("backend")
                .module("gulimall-order")
                .reportTask("gulimall-order/target/sonar/report-task.txt")
                .projectKey("guli:gulimall-order")
                .serverUrl("http://sonar.example.com:9000")
                .token("squ_s3cret")
                .timeout(Duration.ofMinutes(7)));
        assertThat(r.dir()).isEqualTo("backend");
        assertThat(r.module()).isEqualTo("gulimall-order");
        assertThat(r.reportTask()).isEqualTo("gulimall-order/target/sonar/report-task.txt");
        assertThat(r.projectKey()).isEqualTo("guli:gulimall-order");
        assertThat(r.serverUrl()).isEqualTo("http://sonar.example.com:9000");
        assertThat(r.token()).isEqualTo("squ_s3cret");
        assertThat(r.timeout()).isEqualTo(Duration.ofMinutes(7));
    }

    @Test
    void itsTextNamesTheWaitButNeverTheToken() {
        QualityGateRequest r = new QualityGateRequest()
                .module("gulimall-order")
                .projectKey("guli:gulimall-order")
                .serverUrl("http://sonar.example.com:9000")
                .timeout(Duration.ofMinutes(7));
        assertThat(r.toString())
                .isEqualTo("QualityGateRequest[gulimall-order, project guli:gulimall-order, "
                        + "http://sonar.example.com:9000, token none, PT7M]");
        assertThat(r.token("squ_s3cret").toString())
                .doesNotContain("squ_s3cret")
                .isEqualTo("QualityGateRequest[gulimall-order, project guli:gulimall-order, "
                        + "http://sonar.example.com:9000, token ****, PT7M]");
    }
}
