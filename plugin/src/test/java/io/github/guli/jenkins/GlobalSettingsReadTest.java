package io.github.guli.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * An admin's setting that nothing reads is silently ignored: every global setting (a getter of GuliConfiguration) is
 * named here with the steps that read it, and each of those sources must call it.
 */
class GlobalSettingsReadTest {
    static final Map<String, List<String>> READERS = Map.ofEntries(
            Map.entry("getRegistry", List.of("GuliImageStep", "GuliReleaseStep")),
            Map.entry("getNamespace", List.of("GuliImageStep", "GuliReleaseStep")),
            Map.entry("getRegistryCredentialsId", List.of("GuliImageStep", "GuliReleaseStep")),
            Map.entry("getGitCredentialsId", List.of("GuliBuildStep", "GuliReleaseStep")),
            Map.entry("getSonarUrl", List.of("GuliBuildStep", "GuliQualityGateExecution")),
            Map.entry("getSonarCredentialsId", List.of("GuliBuildStep", "GuliQualityGateExecution")),
            Map.entry("getKubeconfigCredentialsId", List.of("GuliDeployK8sExecution")),
            Map.entry("getMavenSettings", List.of("GuliBuildStep")),
            Map.entry("getMavenSettingsCredentialsId", List.of("GuliBuildStep")),
            Map.entry("getBaseImage", List.of("GuliImageStep")),
            Map.entry("getAllowedBaseImages", List.of("GuliImageStep")),
            Map.entry("getApprovalTimeoutMinutes", List.of("GuliSettingsStep")),
            Map.entry("getApprovers", List.of("GuliSettingsStep")),
            Map.entry("getContainer", List.of("GuliSettingsStep")),
            Map.entry("getConcurrency", List.of("GuliSettingsStep")),
            Map.entry("getEnvironments", List.of("GuliPromoteStep", "GuliSettingsStep")),
            Map.entry("getNotifiers", List.of("GuliNotifyStep", "GuliSettingsStep")),
            Map.entry("getRequiredApprovals", List.of("ApprovalPolicies")),
            Map.entry("isStarterMayApprove", List.of("ApprovalPolicies")),
            Map.entry("getFreezeWindows", List.of("ApprovalPolicies")),
            Map.entry("getFreezeZone", List.of("ApprovalPolicies")));
    /** The settings of each environment, read where the environments are resolved. */
    static final List<String> ENVIRONMENT_READER = List.of("GuliPromoteStep");
    /** Its approval rule and freeze windows, read where the approval policies are made. */
    static final List<String> ENVIRONMENT_APPROVAL_GETTERS =
            List.of("getRequiredApprovals", "isStarterMayApprove", "getFreezeWindows", "getFreezeZone");

    /** The settings of each notifier, read where the notifiers send. */
    static final List<String> NOTIFIER_READER = List.of("GuliNotifyStep");

    static final Path SOURCES = Path.of("src/main/java/io/github/guli/jenkins");

    @Test
    void everySettingOfAnEnvironmentIsRead() throws IOException {
        List<String> unread = new ArrayList<>();
        for (String getter : getters(GuliEnvironment.class)) {
            List<String> readers = ENVIRONMENT_APPROVAL_GETTERS.contains(getter)
                    ? List.of("ApprovalPolicies")
                    : getter.equals("getNotifiers") ? List.of("NotifierChoice") : ENVIRONMENT_READER;
            for (String reader : readers) {
                if (!Files.readString(SOURCES.resolve(reader + ".java")).contains("." + getter + "()")) {
                    unread.add(reader + " does not read " + getter);
                }
            }
        }
        assertThat(getters(GuliEnvironment.class)).hasSize(16);
        assertThat(unread).isEmpty();
    }

    @Test
    void everySettingOfANotifierIsRead() throws IOException {
        List<String> unread = new ArrayList<>();
        for (String getter : getters(GuliNotifier.class)) {
            for (String reader : NOTIFIER_READER) {
                if (!Files.readString(SOURCES.resolve(reader + ".java")).contains("." + getter + "()")) {
                    unread.add(reader + " does not read " + getter);
                }
            }
        }
        assertThat(getters(GuliNotifier.class)).hasSize(6);
        assertThat(unread).isEmpty();
    }

    private static List<String> getters(Class<?> c) {
        return Arrays.stream(c.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
                .map(Method::getName)
                .filter(n -> n.startsWith("get") || n.startsWith("is"))
                .toList();
    }

    @Test
    void everyGlobalSettingIsReadByTheStepsNamedForIt() throws IOException {
        List<String> getters = Arrays.stream(GuliConfiguration.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
                .map(Method::getName)
                .filter(n -> n.startsWith("get") || n.startsWith("is"))
                .toList();
        assertThat(new TreeSet<>(getters))
                .as("each global setting with the steps that read it (a setting no step reads is removed)")
                .isEqualTo(new TreeSet<>(READERS.keySet()));
        List<String> unread = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : READERS.entrySet()) {
            for (String reader : e.getValue()) {
                String code = Files.readString(SOURCES.resolve(reader + ".java"));
                if (!code.matches("(?s).*\\." + e.getKey() + "\\(\\).*")) {
                    unread.add(reader + " does not read " + e.getKey());
                }
            }
        }
        assertThat(unread).isEmpty();
    }
}
