package io.github.guli.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.approval.ApprovalPolicy;
import io.github.guli.engine.approval.FreezeWindow;
import io.github.guli.engine.environment.Environment;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The admins' approval rules and freeze windows in the settings guliPipeline runs. */
class ApprovalGatesTest {
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    /** A Saturday, inside "Fri 18:00 - Mon 08:00" in Shanghai. */
    static final Instant WEEKEND = Instant.parse("2026-12-12T04:00:00Z");
    /** A Wednesday, outside it. */
    static final Instant WEDNESDAY = Instant.parse("2026-12-09T04:00:00Z");

    Map<String, Object> call = new LinkedHashMap<>(Map.of("service", "gulimall-order"));
    Map<String, String> env = new HashMap<>(Map.of("BUILD_NUMBER", "7", "PROJECT_VERSION", "v1.4.0"));
    String file;
    ApprovalPolicy global = ApprovalPolicy.defaults();
    Map<String, ApprovalPolicy> perEnvironment = Map.of();
    Instant now = WEDNESDAY;
    String override;
    String overrideRefused;
    boolean returnFreeze;

    Map<String, Object> resolve() {
        return PipelineSettings.resolve(new SettingsRequest()
                .call(call)
                .file(file)
                .scm(PipelineSettingsTest.SCM)
                .env(env)
                .global(Map.of("approvers", "alice,ops"))
                .kind(PipelineSettings.MAVEN)
                .lockAvailable(true)
                .jobFullName("shop/gulimall")
                .environments(List.of(new Environment("staging"), new Environment("prod")))
                .approvalPolicy(global)
                .environmentPolicies(perEnvironment)
                .now(now)
                .freezeOverride(override)
                .freezeOverrideRefused(overrideRefused)
                .returnFreeze(returnFreeze));
    }

    static List<FreezeWindow> weekend() {
        return FreezeWindow.parseAll(List.of("weekend = Fri 18:00 - Mon 08:00"), SHANGHAI);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> rule(Map<String, Object> approval) {
        return (Map<String, Object>) approval.get("rule");
    }

    @Test
    void eachApprovalCarriesTheAdminsRuleAsGuliApprovalsArguments() {
        global = new ApprovalPolicy(2, false, List.of());
        Map<String, Object> s = resolve();
        assertThat(rule(PipelineSettingsTest.stage(s, "approval")))
                .containsEntry("id", "deploy-gulimall-order")
                .containsEntry("what", "deploy gulimall-order to the cluster")
                .containsEntry("approvers", "alice,ops")
                .containsEntry("requiredApprovals", 2)
                .containsEntry("starterMayApprove", false)
                .containsEntry("service", "gulimall-order")
                .containsEntry("version", "v1.4.0")
                .doesNotContainKey("environment");
        assertThat(rule(PipelineSettingsTest.stage(s, "releaseApproval")))
                .containsEntry("id", "release-gulimall-order")
                .containsEntry("requiredApprovals", 2);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPromotionTakesItsEnvironmentsRule() {
        perEnvironment = Map.of("prod", new ApprovalPolicy(3, false, List.of()));
        env.put("PROMOTE_TO", "prod");
        Map<String, Object> approval =
                (Map<String, Object>) ((Map<String, Object>) resolve().get("promotion")).get("approval");
        assertThat(rule(approval))
                .containsEntry("environment", "prod")
                .containsEntry("requiredApprovals", 3)
                .containsEntry("starterMayApprove", false);
    }

    @Test
    void aSkippedApprovalHasNoRule() {
        env.put("DEPLOY", "false");
        env.remove("PROJECT_VERSION");
        assertThat(PipelineSettingsTest.stage(resolve(), "approval")).doesNotContainKey("rule");
    }

    @Test
    void aFreezeRefusesADeployNamingTheWindowAndItsEnd() {
        global = new ApprovalPolicy(1, true, weekend());
        assertThat(resolve()).containsEntry("freeze", null);
        now = WEEKEND;
        assertThatThrownBy(this::resolve)
                .isInstanceOf(GuliException.class)
                .hasMessage("deploys and releases to the cluster are frozen by the window 'weekend' until 2026-12-14"
                        + " 08:00 Asia/Shanghai (2026-12-14T00:00:00Z); try again then, or ask an admin to override"
                        + " the freeze with a reason");
        overrideRefused = "FREEZE_OVERRIDE_REASON is ignored: mallory is not an administrator";
        assertThatThrownBy(this::resolve).hasMessageEndingWith("with a reason; " + overrideRefused);
    }

    @Test
    @SuppressWarnings("unchecked")
    void askedForItTheRefusalIsAnsweredWithTheFormThatOffersTheOverride() {
        global = new ApprovalPolicy(1, true, weekend());
        now = WEEKEND;
        returnFreeze = true;
        overrideRefused = "FREEZE_OVERRIDE_REASON is ignored: mallory is not an administrator";
        Map<String, Object> s = resolve();
        assertThat((String) s.get("frozen"))
                .startsWith("[guliPipeline] deploys and releases to the cluster are frozen by the window 'weekend'")
                .endsWith("with a reason; " + overrideRefused);
        assertThat(s).containsEntry("freeze", null);
        assertThat((Map<String, Object>) s.get("parameters")).containsEntry("freezeOverride", true);
        now = WEDNESDAY;
        assertThat(resolve()).doesNotContainKey("frozen");
    }

    @Test
    void nothingToDeployOrReleaseIsNotFrozen() {
        global = new ApprovalPolicy(1, true, weekend());
        now = WEEKEND;
        env.put("DEPLOY", "false");
        env.remove("PROJECT_VERSION");
        assertThat(resolve()).containsEntry("freeze", null);
    }

    @Test
    @SuppressWarnings("unchecked")
    void anAdministratorsOverrideIsGivenBackToAudit() {
        global = new ApprovalPolicy(1, true, weekend());
        now = WEEKEND;
        override = "hotfix for the payment outage";
        assertThat((Map<String, Object>) resolve().get("freeze"))
                .containsEntry("environment", "the cluster")
                .containsEntry("window", "weekend")
                .containsEntry("until", "2026-12-14T00:00:00Z")
                .containsEntry("reason", "hotfix for the payment outage");
        assertThat((Map<String, Object>) resolve().get("parameters")).containsEntry("freezeOverride", true);
    }

    @Test
    void aPromotionIsFrozenByItsEnvironmentsWindows() {
        perEnvironment = Map.of("prod", new ApprovalPolicy(1, true, weekend()));
        now = WEEKEND;
        assertThat(resolve()).as("the plain deploy is not frozen").containsEntry("freeze", null);
        env.put("PROMOTE_TO", "prod");
        assertThatThrownBy(this::resolve).hasMessageStartingWith("deploys and releases to prod are frozen");
    }

    @Test
    @SuppressWarnings("unchecked")
    void withoutWindowsTheFormHasNoOverride() {
        assertThat((Map<String, Object>) resolve().get("parameters")).doesNotContainKey("freezeOverride");
    }

    @Test
    void neitherGuliYamlNorTheJenkinsfileSetsTheRuleTheWindowsOrTheNotifiers() {
        for (String key : List.of(
                "requiredApprovals",
                "starterMayApprove",
                "freezeWindows",
                "freezeZone",
                "notifiers",
                "connectTimeoutSeconds",
                "timeoutSeconds")) {
            file = key + ": x\n";
            assertThatThrownBy(this::resolve)
                    .as(key)
                    .hasMessageStartingWith("unknown configuration key '" + key + "' in guli.yaml");
            file = null;
            call.put(key, "x");
            assertThatThrownBy(this::resolve)
                    .as(key)
                    .hasMessageStartingWith("unknown configuration key '" + key + "' in the Jenkinsfile");
            call.remove(key);
        }
    }
}
