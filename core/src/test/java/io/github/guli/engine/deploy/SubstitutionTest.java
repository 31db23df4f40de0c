package io.github.guli.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SubstitutionTest {
    static final Map<String, String> ENV = Map.of(
            "REGISTRY",
            "registry.cn-hangzhou.aliyuncs.com",
            "DOCKERHUB_NAMESPACE",
            "atguigumall",
            "APP_NAME",
            "gulimall-auth-server",
            "TAG_NAME",
            "v1.0.0",
            "BUILD_NUMBER",
            "42");

    @Test
    void bothFormsTakeTheValue() {
        Substitution.Result r = Substitution.apply(
                "d.yaml",
                "image: $REGISTRY/$DOCKERHUB_NAMESPACE/${APP_NAME}:${TAG_NAME}\nbuild: \"b$BUILD_NUMBER\"\n",
                ENV);
        assertThat(r.problems()).isEmpty();
        assertThat(r.text())
                .isEqualTo("image: registry.cn-hangzhou.aliyuncs.com/atguigumall/gulimall-auth-server:v1.0.0\n"
                        + "build: \"b42\"\n");
    }

    @Test
    void anUndefinedReferenceIsAnErrorAtItsFileAndLineAndStaysAsWritten() {
        Substitution.Result r = Substitution.apply(
                "gulimall-auth-server/deploy/deploy.yaml",
                "kind: Deployment\n  image: $REGISTRY/x:$PROJECT_VERSION\n  tag: ${TAG}\n",
                ENV);
        assertThat(r.problems())
                .extracting(Problem::toString)
                .containsExactly(
                        "gulimall-auth-server/deploy/deploy.yaml:2: error: $PROJECT_VERSION is not defined: define PROJECT_VERSION "
                                + "(a build parameter, an environment variable, withEnv) or write $$ for a literal $ (or turn "
                                + "enableConfigSubstitution off)",
                        "gulimall-auth-server/deploy/deploy.yaml:3: error: ${TAG} is not defined: define TAG (a build parameter, an "
                                + "environment variable, withEnv) or write $$ for a literal $ (or turn enableConfigSubstitution off)");
        assertThat(r.text())
                .contains("registry.cn-hangzhou.aliyuncs.com/x:$PROJECT_VERSION")
                .contains("tag: ${TAG}");
    }

    @Test
    void doubleDollarIsALiteralDollarAndKubernetesOwnSyntaxIsLeftAlone() {
        Substitution.Result r = Substitution.apply(
                "d.yaml",
                String.join(
                        "\n",
                        "args: [\"--price=$$5\", \"--pod=$(POD_NAME)\", \"$1\", \"${X:-default}\", \"cost $\"]",
                        "# a comment may mention $UNDEFINED freely",
                        "    # so may an indented one: ${ALSO_UNDEFINED}"),
                ENV);
        assertThat(r.problems()).isEmpty();
        assertThat(r.text())
                .startsWith("args: [\"--price=$5\", \"--pod=$(POD_NAME)\", \"$1\", \"${X:-default}\", \"cost $\"]")
                .contains("$UNDEFINED")
                .contains("${ALSO_UNDEFINED}");
    }

    @Test
    void aValueThatHoldsYamlSyntaxIsRefusedNamingTheVariableNotItsValue() {
        // a branch name or a pull request's title must not add a field, an item or a document
        String manifest =
                "metadata:\n  name: web\n  labels: {branch: ${BRANCH}}\n  annotations:\n    title: \"$TITLE\"\n"
                        + "spec:\n  image: x:$TAG\n";
        for (String hostile : new String[] {
            "x\n  namespace: kube-system",
            "x\r\nnamespace: kube-system",
            "a: b",
            "x:",
            "x}, namespace: {kube-system",
            "x, b: c",
            "[a]",
            "x # comment",
            "\" namespace: evil \"",
            "x'y",
            "a\\nb",
            "*alias",
            "&anchor",
            "!!binary x",
            "| x",
            "> x",
            "- x",
            "? x",
            "@x",
            "%x",
            "x\ty",
            "x\u0000y"
        }) {
            Substitution.Result r =
                    Substitution.apply("d.yaml", manifest, Map.of("BRANCH", hostile, "TITLE", "ok", "TAG", "v1"));
            assertThat(r.problems()).as(hostile).hasSize(1);
            Problem p = r.problems().get(0);
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.message())
                    .as(hostile)
                    .startsWith("${BRANCH}: the value of BRANCH holds ")
                    .contains("which would change the structure of the manifest")
                    .doesNotContain(hostile.trim());
            assertThat(r.text()).as("left as written").contains("labels: {branch: ${BRANCH}}");
        }
        Substitution.Result title = Substitution.apply(
                "d.yaml", manifest, Map.of("BRANCH", "feature-x", "TITLE", "Fix \"cart\"\nkind: Secret", "TAG", "v1"));
        assertThat(title.problems()).extracting(Problem::line).containsExactly(5);
    }

    @Test
    void plainValuesStillPass() {
        for (String plain : new String[] {
            "registry.cn-hangzhou.aliyuncs.com/atguigumall/app:v1.2.0-rc.1",
            "127.0.0.1:5000",
            "app@sha256:0123abcd",
            "-Xms128m -Xmx256m",
            "feature/cart_2",
            "a=b+c",
            "42",
            "",
            "SNAPSHOT-master-7",
            "商城"
        }) {
            Substitution.Result r = Substitution.apply("d.yaml", "value: $V\n", Map.of("V", plain));
            assertThat(r.problems()).as(plain).isEmpty();
            assertThat(r.text()).isEqualTo("value: " + plain + "\n");
        }
    }
}
