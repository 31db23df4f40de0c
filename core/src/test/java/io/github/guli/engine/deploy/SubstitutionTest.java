package io.github.guli.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SubstitutionTest {
    static final Map<String, String> ENV = Map.of("REGISTRY", "registry.cn-hangzhou.aliyuncs.com",
            "DOCKERHUB_NAMESPACE", "atguigumall", "APP_NAME", "gulimall-auth-server", "TAG_NAME", "v1.0.0",
            "BUILD_NUMBER", "42");

    @Test
    void bothFormsTakeTheValue() {
        Substitution.Result r = Substitution.apply("d.yaml",
                "image: $REGISTRY/$DOCKERHUB_NAMESPACE/${APP_NAME}:${TAG_NAME}\nbuild: \"b$BUILD_NUMBER\"\n", ENV);
        assertThat(r.problems()).isEmpty();
        assertThat(r.text()).isEqualTo("image: registry.cn-hangzhou.aliyuncs.com/atguigumall/gulimall-auth-server:v1.0.0\n"
                + "build: \"b42\"\n");
    }

    @Test
    void anUndefinedReferenceIsAnErrorAtItsFileAndLineAndStaysAsWritten() {
        Substitution.Result r = Substitution.apply("gulimall-auth-server/deploy/deploy.yaml",
                "kind: Deployment\n  image: $REGISTRY/x:$PROJECT_VERSION\n  tag: ${TAG}\n", ENV);
        assertThat(r.problems()).extracting(Problem::toString).containsExactly(
                "gulimall-auth-server/deploy/deploy.yaml:2: error: $PROJECT_VERSION is not defined: define PROJECT_VERSION "
                        + "(a build parameter, an environment variable, withEnv) or write $$ for a literal $ (or turn "
                        + "enableConfigSubstitution off)",
                "gulimall-auth-server/deploy/deploy.yaml:3: error: ${TAG} is not defined: define TAG (a build parameter, an "
                        + "environment variable, withEnv) or write $$ for a literal $ (or turn enableConfigSubstitution off)");
        assertThat(r.text()).contains("registry.cn-hangzhou.aliyuncs.com/x:$PROJECT_VERSION").contains("tag: ${TAG}");
    }

    @Test
    void doubleDollarIsALiteralDollarAndKubernetesOwnSyntaxIsLeftAlone() {
        Substitution.Result r = Substitution.apply("d.yaml", String.join("\n",
                "args: [\"--price=$$5\", \"--pod=$(POD_NAME)\", \"$1\", \"${X:-default}\", \"cost $\"]",
                "# a comment may mention $UNDEFINED freely",
                "    # so may an indented one: ${ALSO_UNDEFINED}"), ENV);
        assertThat(r.problems()).isEmpty();
        assertThat(r.text()).startsWith("args: [\"--price=$5\", \"--pod=$(POD_NAME)\", \"$1\", \"${X:-default}\", \"cost $\"]")
                .contains("$UNDEFINED").contains("${ALSO_UNDEFINED}");
    }

    @Test
    void aValueWithLineBreaksKeepsLaterLinesPointingAtTheSource() {
        Substitution.Result r = Substitution.apply("d.yaml", "a: |\n  $CERT\nb: $MISSING\n", Map.of("CERT", "l1\n  l2\n  l3"));
        assertThat(r.text()).isEqualTo("a: |\n  l1\n  l2\n  l3\nb: $MISSING\n");
        assertThat(r.sourceLines()).containsExactly(1, 2, 2, 2, 3, 4);
        assertThat(r.problems()).extracting(Problem::line).containsExactly(3);
    }
}
