package io.github.guli.jenkins;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.ListBoxModel;
import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.build.BuildRequest;
import io.github.guli.engine.build.BuildResult;
import io.github.guli.engine.build.MavenBuild;
import io.github.guli.engine.build.MavenClassArchive;
import io.github.guli.engine.git.CheckoutRequest;
import io.github.guli.engine.git.GitCheckout;
import io.github.guli.engine.process.Commands;
import io.github.guli.engine.sonar.ScannerCache;
import io.github.guli.engine.sonar.SonarAnalysis;
import java.io.File;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code guliBuild}: builds one module of a multi-module Maven repository on the agent that holds the workspace
 * ({@code mvn -B -pl <module> -am clean package}), after a checkout when a repository URL is given, with an
 * optional SonarQube analysis of the module. Every parameter is optional: the module defaults to the build
 * parameter PROJECT_NAME, the SonarQube server and token to Manage Jenkins > System. Returns a map: modules (one map
 * per module built: module, artifactId, testReports, sonarProjectKey, sonarDashboard, reportTask) and commit, with
 * each module key also at the top (several modules' values comma-joined) for Jenkinsfiles that read them.
 */
public class GuliBuildStep extends Step {
    static final String PREFIX = "[guliBuild] ";

    private String module;
    private List<String> modules;
    private String dir;
    private String goals;
    private boolean skipTests;
    private boolean rebuildUpstream;
    private String settings;
    private String settingsCredentialsId;
    private String maven;
    private String mavenOptions;
    private String mavenOpts;
    private String url;
    private String branch;
    private String credentialsId;
    private boolean sonar;
    private String sonarUrl;
    private String sonarCredentialsId;
    private String sonarProjectKey;
    private String sonarBranch;
    private String sonarScannerVersion;

    @DataBoundConstructor
    public GuliBuildStep() {}

    public String getModule() {
        return module;
    }

    @DataBoundSetter
    public void setModule(String v) {
        module = Blank.toNull(v);
    }

    public List<String> getModules() {
        return modules;
    }

    @DataBoundSetter
    public void setModules(List<String> v) {
        modules = v == null || v.isEmpty() ? null : List.copyOf(v);
    }

    public String getDir() {
        return dir;
    }

    @DataBoundSetter
    public void setDir(String v) {
        dir = Blank.toNull(v);
    }

    public String getGoals() {
        return goals;
    }

    @DataBoundSetter
    public void setGoals(String v) {
        goals = Blank.toNull(v);
    }

    public boolean isSkipTests() {
        return skipTests;
    }

    @DataBoundSetter
    public void setSkipTests(boolean v) {
        skipTests = v;
    }

    public boolean isRebuildUpstream() {
        return rebuildUpstream;
    }

    @DataBoundSetter
    public void setRebuildUpstream(boolean v) {
        rebuildUpstream = v;
    }

    public String getSettings() {
        return settings;
    }

    @DataBoundSetter
    public void setSettings(String v) {
        settings = Blank.toNull(v);
    }

    public String getSettingsCredentialsId() {
        return settingsCredentialsId;
    }

    @DataBoundSetter
    public void setSettingsCredentialsId(String v) {
        settingsCredentialsId = Blank.toNull(v);
    }

    public String getMaven() {
        return maven;
    }

    @DataBoundSetter
    public void setMaven(String v) {
        maven = Blank.toNull(v);
    }

    public String getMavenOptions() {
        return mavenOptions;
    }

    @DataBoundSetter
    public void setMavenOptions(String v) {
        mavenOptions = Blank.toNull(v);
    }

    public String getMavenOpts() {
        return mavenOpts;
    }

    @DataBoundSetter
    public void setMavenOpts(String v) {
        mavenOpts = Blank.toNull(v);
    }

    public String getUrl() {
        return url;
    }

    @DataBoundSetter
    public void setUrl(String v) {
        url = Blank.toNull(v);
    }

    public String getBranch() {
        return branch;
    }

    @DataBoundSetter
    public void setBranch(String v) {
        branch = Blank.toNull(v);
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String v) {
        credentialsId = Blank.toNull(v);
    }

    public boolean isSonar() {
        return sonar;
    }

    @DataBoundSetter
    public void setSonar(boolean v) {
        sonar = v;
    }

    public String getSonarUrl() {
        return sonarUrl;
    }

    @DataBoundSetter
    public void setSonarUrl(String v) {
        sonarUrl = Blank.toNull(v);
    }

    public String getSonarCredentialsId() {
        return sonarCredentialsId;
    }

    @DataBoundSetter
    public void setSonarCredentialsId(String v) {
        sonarCredentialsId = Blank.toNull(v);
    }

    public String getSonarProjectKey() {
        return sonarProjectKey;
    }

    @DataBoundSetter
    public void setSonarProjectKey(String v) {
        sonarProjectKey = Blank.toNull(v);
    }

    public String getSonarBranch() {
        return sonarBranch;
    }

    @DataBoundSetter
    public void setSonarBranch(String v) {
        sonarBranch = Blank.toNull(v);
    }

    public String getSonarScannerVersion() {
        return sonarScannerVersion;
    }

    @DataBoundSetter
    public void setSonarScannerVersion(String v) {
        sonarScannerVersion = Blank.toNull(v);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    /** Resolves the parameters and credentials on the controller, then builds on the workspace's agent. */
    static final class Execution extends WorkspaceStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final transient GuliBuildStep step;

        Execution(GuliBuildStep step, StepContext context) {
            super(context, PREFIX);
            this.step = step;
        }

        @Override
        Map<String, Object> run(Run<?, ?> run, TaskListener listener, FilePath workspace, EnvVars env)
                throws Exception {
            long started = System.currentTimeMillis(); // the controller's clock: the analysis is submitted after
            BuildRequest request;
            CredentialsLookup credentials = new CredentialsLookup(CredentialsLookup.JENKINS);
            request = request(run, env, GuliConfiguration.get(), credentials);
            String cacheKey = GuliUpstreamDigests.key(
                    run.getParent().getFullName(), Blank.firstGiven(step.branch, env.get("BRANCH_NAME")));
            GuliBuildRecords.read(run, cacheKey, request.upstreamKey(cacheKey));
            Set<String> maven = LaunchRules.maven(request.maven(), workspace.getRemote(), request.dir());
            Built built = new OnAgent(request, commands(workspace, maven, credentials.secrets()), listener)
                    .masking(credentials.secrets())
                    .runOn(workspace);
            GuliBuildRecords.write(run, cacheKey, built);
            BuildResult r = built.result();
            listener.getLogger().println(PREFIX + r.summary());
            return GuliBuildOutput.of(run, r, started);
        }

        BuildRequest request(Run<?, ?> run, EnvVars env, GuliConfiguration global, CredentialsLookup credentials) {
            boolean ownSettings = step.settings != null || step.settingsCredentialsId != null;
            BuildRequest r = new BuildRequest()
                    .modules(step.modules(env))
                    .dir(step.dir)
                    .goals(BuildRequest.split(step.goals))
                    .skipTests(step.skipTests)
                    // the step's settings (file or credentials) else the global ones, never a mix of the two
                    .settings(ownSettings ? step.settings : global.getMavenSettings())
                    .settingsFile(credentials.secretFile(
                            ownSettings ? step.settingsCredentialsId : global.getMavenSettingsCredentialsId(),
                            run,
                            "Maven settings"))
                    .maven(step.maven)
                    .mavenOptions(BuildRequest.split(step.mavenOptions))
                    .mavenOpts(step.mavenOpts)
                    .upstreamCache(!step.rebuildUpstream)
                    .env(new TreeMap<>(env));
            if (step.url != null) {
                boolean ssh = GitCheckout.isSsh(step.url);
                String id = Blank.firstGiven(step.credentialsId, ssh ? null : global.getGitCredentialsId());
                r.checkout(new CheckoutRequest()
                        .url(step.url)
                        .ref(step.branch)
                        .password(ssh ? null : credentials.usernamePassword(id, run, "git checkout"))
                        .sshKey(ssh ? credentials.sshKey(id, run, "git checkout") : null));
            } else if (step.branch != null || step.credentialsId != null) {
                throw new GuliException("branch and credentialsId are for a checkout: give the repository url too, or "
                        + "drop them to build the workspace as it is (after checkout scm)");
            }
            if (step.sonar) {
                String server = Blank.firstGiven(step.sonarUrl, global.getSonarUrl());
                if (server == null) {
                    throw new GuliException("sonar: true needs a SonarQube URL: give sonarUrl, or set it in Manage "
                            + "Jenkins > System > guli-pipeline");
                }
                r.sonar(new SonarAnalysis()
                        .serverUrl(server)
                        .token(credentials.secretText(
                                Blank.firstGiven(step.sonarCredentialsId, global.getSonarCredentialsId()),
                                run,
                                "SonarQube token"))
                        .projectKey(step.sonarProjectKey)
                        .branch(Blank.firstGiven(step.sonarBranch, env.get("BRANCH_NAME")))
                        .scannerVersion(step.sonarScannerVersion));
            }
            return r;
        }
    }

    /** One module (the step's, else PROJECT_NAME) or the list given; a list as a list, never a joined string. */
    List<String> modules(Map<String, String> env) {
        if (modules != null) {
            if (module != null) {
                throw new GuliException("give module (one) or modules (a list), not both");
            }
            return modules;
        }
        String one = Blank.firstGiven(module, env.get("PROJECT_NAME"));
        if (one != null && one.contains(",")) {
            throw new GuliException("module is one module, not '" + one + "': give several as a list, " + "modules: ['"
                    + String.join("', '", one.split("\\s*,\\s*")) + "']");
        }
        return one == null ? List.of() : List.of(one);
    }

    /**
     * What the build did, and the records of what it kept (for the controller to keep): the upstream jars, the
     * scanner's cache (null: no analysis), Maven's class-data archive (null: none).
     */
    record Built(
            BuildResult result,
            Map<String, String> upstreamDigests,
            Map<String, String> scannerDigests,
            Map<String, String> archiveDigests)
            implements Serializable {}

    /**
     * Runs on the agent that holds the workspace: the checkout, Maven and the scanner all run there. The scanner's
     * cache and Maven's class-data archive are kept beside the workspace ({@link ScannerCache#in}, {@link
     * MavenClassArchive#in}), used only as the controller recorded them.
     */
    static final class OnAgent extends EngineOnAgent<Built> {
        private static final long serialVersionUID = 1L;
        private final BuildRequest request;
        private final Commands commands;

        OnAgent(BuildRequest request, Commands commands, TaskListener listener) {
            super(listener, PREFIX);
            this.request = request;
            this.commands = commands;
        }

        @Override
        Built call(File workspace, Log log) {
            if (request.sonar() != null) {
                request.sonar().cacheHome(ScannerCache.in(workspace.toPath()).toString());
            }
            request.classArchive(MavenClassArchive.in(workspace.toPath()).toString());
            MavenBuild build = new MavenBuild(log, console(), commands);
            BuildResult r = build.run(workspace, request);
            return new Built(
                    r, copy(build.upstreamDigests()), copy(build.scannerDigests()), copy(build.archiveDigests()));
        }

        private static TreeMap<String, String> copy(Map<String, String> m) {
            return m == null ? null : new TreeMap<>(m);
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @POST
        public ListBoxModel doFillSettingsCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String settingsCredentialsId) {
            return Forms.credentials(item, settingsCredentialsId, FileCredentials.class);
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return Forms.credentials(
                    item, credentialsId, StandardUsernamePasswordCredentials.class, SSHUserPrivateKey.class);
        }

        @POST
        public ListBoxModel doFillSonarCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String sonarCredentialsId) {
            return Forms.credentials(item, sonarCredentialsId, StringCredentials.class);
        }

        @Override
        public String getFunctionName() {
            return "guliBuild";
        }

        @Override
        public String getDisplayName() {
            return Messages.get("GuliBuildStep.DisplayName");
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class, FilePath.class, EnvVars.class, Launcher.class);
        }
    }
}
