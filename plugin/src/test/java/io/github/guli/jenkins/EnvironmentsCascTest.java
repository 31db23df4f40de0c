package io.github.guli.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.DataBoundSetter;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The admin's Configuration as Code of docs/environments.md binds as JCasC binds it: the constructor's parameter by its
 * name, every other key through a {@code @DataBoundSetter}; and what it sets is what the step then reads.
 */
class EnvironmentsCascTest {
    static final Path DOC = StepContractTest.ROOT.resolve("docs/environments.md");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> documentedGuli() throws Exception {
        Matcher m = Pattern.compile("(?s)```yaml\n(unclassified:.*?)```").matcher(Files.readString(DOC));
        assertThat(m.find()).as("a JCasC block in " + DOC).isTrue();
        Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(m.group(1));
        return (Map<String, Object>) ((Map<String, Object>) root.get("unclassified")).get("guli");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theDocumentedEnvironmentsBindToTheDescribableAndKeepTheirOrder() throws Exception {
        List<GuliEnvironment> bound = new ArrayList<>();
        for (Map<String, Object> e :
                (List<Map<String, Object>>) documentedGuli().get("environments")) {
            GuliEnvironment env = new GuliEnvironment((String) e.get("name"));
            for (Map.Entry<String, Object> kv : e.entrySet()) {
                if (!kv.getKey().equals("name")) {
                    setter(kv.getKey(), kv.getValue()).invoke(env, kv.getValue());
                }
            }
            bound.add(env);
        }
        GuliConfiguration g = GuliBuildStepTest.global(null, null);
        g.setEnvironments(bound);

        assertThat(g.getEnvironments()).extracting(GuliEnvironment::getName).containsExactly("test", "staging", "prod");
        GuliEnvironment prod = g.getEnvironments().get(2);
        assertThat(prod.getKubeconfigCredentialsId()).isEqualTo("prod-kubeconfig");
        assertThat(prod.isReleasePoint()).isTrue();
        assertThat(prod.isApprovalRequired()).as("the default").isTrue();
        assertThat(prod.getNacosNamespace()).isEqualTo("prod");
        assertThat(g.getEnvironments().get(0).isApprovalRequired()).isFalse();
        assertThat(g.getEnvironments().get(1).getNacosGroup()).isEqualTo("GULIMALL");
        assertThat(prod.getNacosGroup()).as("the default: DEFAULT_GROUP").isNull();
    }

    private static Method setter(String key, Object value) {
        String name = "set" + Character.toUpperCase(key.charAt(0)) + key.substring(1);
        for (Method m : GuliEnvironment.class.getMethods()) {
            if (!m.getName().equals(name) || m.getParameterCount() != 1) {
                continue;
            }
            Class<?> type = m.getParameterTypes()[0];
            boolean fits = type.isInstance(value) || type == boolean.class && value instanceof Boolean;
            if (m.isAnnotationPresent(DataBoundSetter.class) && fits) {
                return m;
            }
        }
        throw new AssertionError("docs/environments.md sets '" + key + "', which GuliEnvironment has no "
                + "@DataBoundSetter " + name + " for (JCasC would refuse it)");
    }
}
