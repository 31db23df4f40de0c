package io.github.guli.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.EnvVars;
import io.github.guli.engine.build.BuildRequest;
import io.github.guli.engine.sonar.QualityGateRequest;
import io.github.guli.engine.sonar.SonarAnalysis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How guliBuild and guliQualityGate resolve their parameters on the controller: build parameters, the global
 * configuration, and which credentials type each ID must be. (The secrets themselves are read in the real Jenkins:
 * the stand-ins cannot hold one.)
 */
class GuliBuildStepTest {
    static GuliConfiguration global(String sonarUrl, String sonarCredentialsId) {
        GuliConfiguration g = new GuliConfiguration() {
            @Override
            public synchronized void load() {}

            @Override
            public synchronized void save() {}
        };
        g.setSonarUrl(sonarUrl);
        g.setSonarCredentialsId(sonarCredentialsId);
        return g;
    }

    static EnvVars env(Map<String, String> vars) {
        EnvVars env = new EnvVars();
        env.putAll(vars);
        return env;
    }

    private static BuildRequest build(
            GuliBuildStep step, EnvVars env, GuliConfiguration global, FakeCredentialsStore store) throws Exception {
        return new GuliBuildStep.Execution(step, null)
                .request(new TestRun(), env, global, new CredentialsLookup(store));
    }

    @Test
    void theModuleIsProjectNameTheGoalsAndOptionsAreSplitAndTheEnvironmentIsTheBuilds() throws Exception {
        GuliBuildStep step = new GuliBuildStep();
        step.setGoals("clean   verify");
        step.setMavenOptions("-T 2 '-Dmsg=a b'");
        step.setSettings("mvn-settings.xml");
        BuildRequest r = build(
                step,
                env(Map.of("PROJECT_NAME", "gulimall-order", "PATH", "/opt/maven/bin:/usr/bin")),
                global(null, null),
                new FakeCredentialsStore(Map.of()));
        assertThat(r.modules()).containsExactly("gulimall-order");
        assertThat(r.goals()).containsExactly("clean", "verify");
        assertThat(r.mavenOptions()).containsExactly("-T", "2", "-Dmsg=a b");
        assertThat(r.settings()).isEqualTo("mvn-settings.xml");
        assertThat(r.env()).containsEntry("PATH", "/opt/maven/bin:/usr/bin");
        assertThat(r.checkout()).isNull();
        assertThat(r.sonar()).isNull();

        step.setModule("gulimall-gateway");
        step.setGoals(" ");
        r = build(
                step,
                env(Map.of("PROJECT_NAME", "gulimall-order")),
                global(null, null),
                new FakeCredentialsStore(Map.of()));
        assertThat(r.modules()).containsExactly("gulimall-gateway");
        assertThat(r.goals()).containsExactly("clean", "package");
    }

    @Test
    void severalModulesAreAListAndAJoinedModuleIsRefusedNamingTheList() throws Exception {
        GuliBuildStep step = new GuliBuildStep();
        step.setModules(List.of("gulimall-order", "gulimall-product"));
        FakeCredentialsStore none = new FakeCredentialsStore(Map.of());
        assertThat(build(step, env(Map.of("PROJECT_NAME", "(changed)")), global(null, null), none)
                        .modules())
                .containsExactly("gulimall-order", "gulimall-product");
        step.setModule("gulimall-cart");
        assertThatThrownBy(() -> build(step, env(Map.of()), global(null, null), none))
                .hasMessage("give module (one) or modules (a list), not both");
        GuliBuildStep joined = new GuliBuildStep();
        joined.setModule("gulimall-order,gulimall-product");
        assertThatThrownBy(() -> build(joined, env(Map.of()), global(null, null), none))
                .hasMessage("module is one module, not 'gulimall-order,gulimall-product': give several as a list, "
                        + "modules: ['gulimall-order', 'gulimall-product']");
    }

    @Test
    void theMavenSettingsAreTheStepsElseTheGlobalConfigurations() throws Exception {
        FakeCredentialsStore store = new FakeCredentialsStore(Map.of());
        GuliConfiguration g = global(null, null);
        g.setMavenSettings("ci/mvn-settings.xml");
        BuildRequest r = build(new GuliBuildStep(), env(Map.of()), g, store);
        assertThat(r.settings()).as("the global settings file").isEqualTo("ci/mvn-settings.xml");
        assertThat(r.settingsFile()).isNull();

        GuliBuildStep own = new GuliBuildStep();
        own.setSettings("mvn-settings.xml");
        g.setMavenSettingsCredentialsId("maven-settings");
        r = build(own, env(Map.of()), g, store);
        assertThat(r.settings())
                .as("the step's file wins over both global settings")
                .isEqualTo("mvn-settings.xml");
        assertThat(store.lookups).as("the global credentials are not looked up").isEmpty();

        assertThatThrownBy(() -> build(new GuliBuildStep(), env(Map.of()), g, store))
                .as("the global secret file, looked up for the run")
                .hasMessageStartingWith("no credentials with ID 'maven-settings' (Maven settings) are visible");
        assertThat(store.lookups).startsWith("maven-settings as FileCredentials for TestRun");
    }

    @Test
    void eachGateFindsTheProjectGuliBuildAnalysedForItsModule() throws Exception {
        TestRun run = new TestRun();
        GuliSonarProjects.record(run, "gulimall-order", "gulimall-order", "guli:gulimall-order", 0L, null);
        GuliSonarProjects.record(run, "services/product", "gulimall-product", "guli:gulimall-product", 0L, null);
        for (Map.Entry<String, String> e : Map.of(
                        "gulimall-order", "guli:gulimall-order",
                        "gulimall-product", "guli:gulimall-product",
                        "services/product", "guli:gulimall-product")
                .entrySet()) {
            GuliQualityGateStep step = new GuliQualityGateStep();
            step.setModule(e.getKey());
            assertThat(new GuliQualityGateExecution(step, null)
                            .request(run, env(Map.of()), global("http://sonar:9000", null))
                            .projectKey())
                    .as(e.getKey())
                    .isEqualTo(e.getValue());
        }
        GuliQualityGateStep other = new GuliQualityGateStep();
        assertThat(new GuliQualityGateExecution(other, null)
                        .request(run, env(Map.of("PROJECT_NAME", "gulimall-order")), global("http://sonar:9000", null))
                        .projectKey())
                .as("PROJECT_NAME's module")
                .isEqualTo("guli:gulimall-order");
        other.setModule("gulimall-cart");
        assertThatThrownBy(() -> new GuliQualityGateExecution(other, null)
                        .request(run, env(Map.of()), global("http://sonar:9000", null)))
                .hasMessageStartingWith("this build analysed several SonarQube projects");
    }

    @Test
    void sonarNeedsAUrlFromTheStepOrTheGlobalConfiguration() {
        GuliBuildStep step = new GuliBuildStep();
        step.setSonar(true);
        assertThatThrownBy(() -> build(step, env(Map.of()), global(null, null), new FakeCredentialsStore(Map.of())))
                .hasMessage("sonar: true needs a SonarQube URL: give sonarUrl, or set it in Manage Jenkins > System > "
                        + "guli-pipeline");
    }

    @Test
    void theAnalysisTakesEachValueFromTheStepElseTheGlobalConfigurationOrTheBuild() throws Exception {
        GuliBuildStep step = new GuliBuildStep();
        step.setSonar(true);
        step.setSonarProjectKey("guli");
        step.setSonarScannerVersion("4.0.0.4121");
        FakeCredentialsStore none = new FakeCredentialsStore(Map.of());
        SonarAnalysis a = build(
                        step, env(Map.of("BRANCH_NAME", "feature/cart")), global("http://sonar:9000", null), none)
                .sonar();
        assertThat(a.serverUrl()).isEqualTo("http://sonar:9000");
        assertThat(a.token()).as("no credentials ID: anonymous").isNull();
        assertThat(a.projectKey()).isEqualTo("guli");
        assertThat(a.projectName()).as("the module's artifactId").isNull();
        assertThat(a.branch()).isEqualTo("feature/cart");
        assertThat(a.scannerVersion()).isEqualTo("4.0.0.4121");

        step.setSonarUrl("http://sonar.example.com:9000");
        step.setSonarBranch("release");
        a = build(step, env(Map.of("BRANCH_NAME", "feature/cart")), global("http://sonar:9000", null), none)
                .sonar();
        assertThat(a.serverUrl()).isEqualTo("http://sonar.example.com:9000");
        assertThat(a.branch()).isEqualTo("release");
    }

    @Test
    void theTokenMustBeSecretTextAndTheSettingsASecretFile() {
        GuliBuildStep step = new GuliBuildStep();
        step.setSonar(true);
        FakeCredentialsStore store = new FakeCredentialsStore(Map.of());
        // the global token ID is looked up as secret text (the course's SONAR_CREDENTIAL_ID, sonar-qube)
        assertThatThrownBy(() -> build(step, env(Map.of()), global("http://sonar:9000", "sonar-qube"), store))
                .hasMessage("no credentials with ID 'sonar-qube' (SonarQube token) are visible to this build: add "
                        + "'Secret text' credentials with that ID in Manage Jenkins > Credentials (or in the job's "
                        + "folder), or fix the ID");
        step.setSonar(false);
        step.setSettingsCredentialsId("sonar-qube");
        FakeCredentialsStore wrongType =
                new FakeCredentialsStore(Map.of("sonar-qube", new CredentialsLookupTest.StringCredentialsImpl()));
        assertThatThrownBy(() -> build(step, env(Map.of()), global(null, null), wrongType))
                .hasMessageContaining("credentials 'sonar-qube' (Maven settings) are of type StringCredentials, but "
                        + "'Secret file' is needed");
    }

    @Test
    void anSshUrlTakesSshKeyCredentialsAndAnHttpUrlUsernamePassword() {
        GuliBuildStep step = new GuliBuildStep();
        step.setUrl("git@gitee.com:leifengyang/gulimall.git");
        step.setCredentialsId("gitee-id");
        FakeCredentialsStore store = new FakeCredentialsStore(Map.of());
        assertThatThrownBy(() -> build(step, env(Map.of()), global(null, null), store))
                .hasMessageContaining("add 'SSH Username with private key' credentials with that ID");
        step.setUrl("https://gitee.com/leifengyang/gulimall.git");
        assertThatThrownBy(() -> build(step, env(Map.of()), global(null, null), store))
                .hasMessageContaining("add 'Username with password' credentials with that ID");
        assertThat(store.lookups)
                .contains(
                        "gitee-id as SSHUserPrivateKey for TestRun",
                        "gitee-id as StandardUsernamePasswordCredentials for TestRun");
    }

    @Test
    void aBranchWithoutARepositoryIsRefused() {
        GuliBuildStep step = new GuliBuildStep();
        step.setBranch("master");
        assertThatThrownBy(() -> build(step, env(Map.of()), global(null, null), new FakeCredentialsStore(Map.of())))
                .hasMessageStartingWith("branch and credentialsId are for a checkout: give the repository url too");
    }

    @Test
    void theQualityGateIsThatOfTheProjectGuliBuildAnalysedInThisBuild() throws Exception {
        GuliQualityGateStep step = new GuliQualityGateStep();
        TestRun run = new TestRun();
        assertThatThrownBy(() -> new GuliQualityGateExecution(step, null)
                        .request(run, env(Map.of()), global("http://sonar:9000", null)))
                .hasMessageStartingWith("give projectKey, the sonarProjectKey guliBuild returned: no guliBuild with "
                        + "sonar: true ran in this build before");
        GuliSonarProjects.record(run, null, null, "gulimall-product", 1_000_000L, "c0ffee");
        QualityGateRequest product =
                new GuliQualityGateExecution(step, null).request(run, env(Map.of()), global("http://sonar:9000", null));
        assertThat(product.projectKey()).isEqualTo("gulimall-product");
        assertThat(product.submittedAfter())
                .as("an analysis submitted before guliBuild started is an older one")
                .isEqualTo(java.time.Instant.ofEpochMilli(1_000_000L));
        assertThat(product.commit()).isEqualTo("c0ffee");
        GuliSonarProjects.record(run, null, null, "gulimall-order", 2_000_000L, null);
        assertThatThrownBy(() -> new GuliQualityGateExecution(step, null)
                        .request(run, env(Map.of()), global("http://sonar:9000", null)))
                .hasMessageStartingWith("this build analysed several SonarQube projects (gulimall-product, "
                        + "gulimall-order): give projectKey");
        step.setProjectKey("gulimall-order");
        assertThat(new GuliQualityGateExecution(step, null)
                        .request(run, env(Map.of()), global("http://sonar:9000", null))
                        .projectKey())
                .isEqualTo("gulimall-order");
    }

    @Test
    void theQualityGateReadsTheModuleOfProjectNameForAnHourByDefault() throws Exception {
        GuliQualityGateStep step = new GuliQualityGateStep();
        step.setProjectKey("gulimall-product");
        QualityGateRequest r = new GuliQualityGateExecution(step, null)
                .request(
                        new TestRun(),
                        env(Map.of("PROJECT_NAME", "gulimall-product")),
                        global("http://sonar:9000", null));
        assertThat(r.module()).isEqualTo("gulimall-product");
        assertThat(r.serverUrl()).isEqualTo("http://sonar:9000");
        assertThat(r.token()).as("the token never goes to the agent").isNull();
        assertThat(r.timeout()).isEqualTo(Duration.ofMinutes(60));

        step.setReportTask("target/sonar/report-task.txt");
        step.setTimeout(0);
        assertThatThrownBy(() -> new GuliQualityGateExecution(step, null)
                        .request(new TestRun(), env(Map.of()), global(null, null)))
                .hasMessage("timeout is in minutes and must be at least 1, not 0");
    }
}
