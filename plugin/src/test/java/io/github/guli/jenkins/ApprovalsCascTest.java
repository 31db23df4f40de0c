package io.github.guli.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.guli.engine.approval.ApprovalPolicy;
import io.github.guli.engine.approval.FreezeWindow;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.time.Instant;
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

/** The approval rule and freeze windows of docs/approvals.md's Configuration as Code bind as JCasC binds them. */
class ApprovalsCascTest {
    @Test
    @SuppressWarnings("unchecked")
    void theDocumentedRuleAndWindowsBindAndReachTheEngine() throws Exception {
        Matcher m = Pattern.compile("(?s)```yaml\n(unclassified:\n  guli:\n    approvers:.*?)```")
                .matcher(Files.readString(NotifiersCascTest.DOC));
        assertThat(m.find())
                .as("the rule's JCasC block in " + NotifiersCascTest.DOC)
                .isTrue();
        Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(m.group(1));
        Map<String, Object> guli = (Map<String, Object>) ((Map<String, Object>) root.get("unclassified")).get("guli");
        GuliConfiguration g = GuliBuildStepTest.global(null, null);
        List<GuliEnvironment> environments = new ArrayList<>();
        for (Map<String, Object> e : (List<Map<String, Object>>) guli.get("environments")) {
            GuliEnvironment env = new GuliEnvironment((String) e.get("name"));
            e.forEach((k, v) -> {
                if (!k.equals("name")) {
                    set(env, k, v);
                }
            });
            environments.add(env);
        }
        guli.forEach((k, v) -> {
            if (!k.equals("environments")) {
                set(g, k, v);
            }
        });
        g.setEnvironments(environments);

        ApprovalPolicy global = ApprovalPolicies.global(g);
        assertThat(global.requiredApprovals()).isEqualTo(1);
        assertThat(global.freezeWindows()).extracting(FreezeWindow::name).containsExactly("national day", "double 11");
        assertThat(FreezeWindow.active(global.freezeWindows(), Instant.parse("2026-10-01T00:30:00Z")))
                .as("in Asia/Shanghai, 08:30 on the first day")
                .isPresent();
        ApprovalPolicy prod = ApprovalPolicies.environments(g).get("prod");
        assertThat(prod.requiredApprovals()).isEqualTo(2);
        assertThat(prod.starterMayApprove()).isFalse();
        assertThat(prod.freezeWindows())
                .extracting(FreezeWindow::name)
                .containsExactly("national day", "double 11", "weekend");
    }

    /**
     * The documented notifiers with their timeouts and prod's notifiers bind, read back as written, and choose what an
     * approval to prod is announced to; a name that is no notifier is refused naming those that are.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theNotifiersTimeoutsAndAnEnvironmentsNotifiersRoundTrip() throws Exception {
        String doc = Files.readString(NotifiersCascTest.DOC);
        Matcher m = Pattern.compile("(?s)```yaml\n(credentials:.*?)```").matcher(doc);
        assertThat(m.find()).isTrue();
        Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(m.group(1));
        Map<String, Object> guli = (Map<String, Object>) ((Map<String, Object>) root.get("unclassified")).get("guli");
        List<GuliNotifier> notifiers = new ArrayList<>();
        for (Map<String, Object> n : (List<Map<String, Object>>) guli.get("notifiers")) {
            GuliNotifier notifier = new GuliNotifier((String) n.get("name"));
            n.forEach((k, v) -> {
                if (!k.equals("name")) {
                    set(notifier, k, v);
                }
            });
            notifiers.add(notifier);
        }
        GuliNotifier ding = notifiers.get(0);
        assertThat(ding.getConnectTimeoutSeconds()).isEqualTo(2);
        assertThat(ding.getTimeoutSeconds()).isEqualTo(10);
        assertThat(notifiers.get(1).getConnectTimeoutSeconds())
                .as("the default")
                .isEqualTo(3);
        assertThat(notifiers.get(1).getTimeoutSeconds()).as("the default").isEqualTo(5);

        Matcher rule = Pattern.compile("(?s)```yaml\n(unclassified:\n  guli:\n    approvers:.*?)```")
                .matcher(doc);
        assertThat(rule.find()).isTrue();
        Map<String, Object> prodYaml = ((List<Map<String, Object>>) ((Map<String, Object>)
                                ((Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions()))
                                                .<Map<String, Object>>load(rule.group(1))
                                                .get("unclassified"))
                                        .get("guli"))
                        .get("environments"))
                .get(0);
        GuliEnvironment prod = new GuliEnvironment("prod");
        set(prod, "notifiers", prodYaml.get("notifiers"));
        assertThat(prod.getNotifiers()).isEqualTo("ops-dingtalk");
        assertThat(NotifierChoice.of("prod", List.of(prod), notifiers))
                .extracting(GuliNotifier::getName)
                .containsExactly("ops-dingtalk");
        assertThat(NotifierChoice.of(null, List.of(prod), notifiers))
                .as("a build's own deploy: all of them")
                .hasSize(2);
        prod.setNotifiers("ops-dingtalk, ops-dingtak");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> NotifierChoice.checkAll(List.of(prod), notifiers))
                .hasMessage("environment 'prod' names the notifier(s) ops-dingtak, which are not configured: the "
                        + "notifiers are ops-dingtalk, dev-wecom (Manage Jenkins > System > guli-pipeline > "
                        + "Notifiers; blank: all of them)");
    }

    private static void set(Object target, String key, Object value) {
        String name = "set" + Character.toUpperCase(key.charAt(0)) + key.substring(1);
        for (Method s : target.getClass().getMethods()) {
            if (!s.getName().equals(name)
                    || s.getParameterCount() != 1
                    || !s.isAnnotationPresent(DataBoundSetter.class)) {
                continue;
            }
            Class<?> type = s.getParameterTypes()[0];
            if (type.isInstance(value)
                    || type == int.class && value instanceof Integer
                    || type == boolean.class && value instanceof Boolean) {
                try {
                    s.invoke(target, value);
                    return;
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        }
        throw new AssertionError("docs/approvals.md sets '" + key + "', which "
                + target.getClass().getSimpleName() + " has no @DataBoundSetter " + name
                + " of that type for (JCasC would refuse it)");
    }
}
