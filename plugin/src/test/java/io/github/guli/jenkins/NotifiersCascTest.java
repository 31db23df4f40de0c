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

/** The notifiers of docs/approvals.md's Configuration as Code bind as JCasC binds them. */
class NotifiersCascTest {
    static final Path DOC = StepContractTest.ROOT.resolve("docs/approvals.md");

    @Test
    @SuppressWarnings("unchecked")
    void theDocumentedNotifiersBindToTheDescribable() throws Exception {
        Matcher m = Pattern.compile("(?s)```yaml\n(credentials:.*?)```").matcher(Files.readString(DOC));
        assertThat(m.find()).as("a JCasC block in " + DOC).isTrue();
        Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(m.group(1));
        Map<String, Object> guli = (Map<String, Object>) ((Map<String, Object>) root.get("unclassified")).get("guli");
        List<GuliNotifier> bound = new ArrayList<>();
        for (Map<String, Object> n : (List<Map<String, Object>>) guli.get("notifiers")) {
            GuliNotifier notifier = new GuliNotifier((String) n.get("name"));
            for (Map.Entry<String, Object> kv : n.entrySet()) {
                if (!kv.getKey().equals("name")) {
                    setter(kv.getKey()).invoke(notifier, kv.getValue());
                }
            }
            bound.add(notifier);
        }
        GuliConfiguration g = GuliBuildStepTest.global(null, null);
        g.setNotifiers(bound);

        assertThat(g.getNotifiers()).extracting(GuliNotifier::getName).containsExactly("ops-dingtalk", "dev-wecom");
        GuliNotifier ding = g.getNotifiers().get(0);
        assertThat(ding.getKind()).isEqualTo("dingtalk");
        assertThat(ding.getWebhookCredentialsId()).isEqualTo("ops-dingtalk-url");
        assertThat(ding.getSecretCredentialsId()).isEqualTo("ops-dingtalk-secret");
        assertThat(g.getNotifiers().get(1).getSecretCredentialsId())
                .as("unsigned")
                .isNull();
    }

    private static Method setter(String key) {
        String name = "set" + Character.toUpperCase(key.charAt(0)) + key.substring(1);
        for (Method m : GuliNotifier.class.getMethods()) {
            if (m.getName().equals(name)
                    && m.getParameterCount() == 1
                    && (m.getParameterTypes()[0] == String.class || m.getParameterTypes()[0] == int.class)
                    && m.isAnnotationPresent(DataBoundSetter.class)) {
                return m;
            }
        }
        throw new AssertionError("docs/approvals.md sets '" + key + "', which GuliNotifier has no @DataBoundSetter "
                + name + " for (JCasC would refuse it)");
    }
}
