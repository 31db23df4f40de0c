package io.github.guli.jenkins;

import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.github.guli.engine.Blank;
import io.github.guli.engine.deploy.DeployRequest;
import io.github.guli.engine.deploy.ManifestGlobs;
import java.util.Set;
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
 * {@code guliDeployK8s}: kubernetesDeploy's parameters (configs, enableConfigSubstitution, kubeconfigId) and more;
 * validates every manifest before anything is applied, applies, waits for the rollout and rolls back when it fails.
 * Returns a map: dryRun, created, changed, unchanged, rollout, warnings.
 */
public class GuliDeployK8sStep extends Step {
    static final String PREFIX = "[guliDeployK8s] ";

    private String projectName;
    private String configs;
    private boolean enableConfigSubstitution = true;
    private String kubeconfigId;
    private String namespace;
    private String context;
    private boolean wait = true;
    private int timeout = DeployRequest.DEFAULT_TIMEOUT_SECONDS;
    private boolean rollbackOnFailure = true;
    private boolean dryRun;

    @DataBoundConstructor
    public GuliDeployK8sStep() {}

    public String getProjectName() {
        return projectName;
    }

    @DataBoundSetter
    public void setProjectName(String v) {
        projectName = Blank.toNull(v);
    }

    public String getConfigs() {
        return configs;
    }

    @DataBoundSetter
    public void setConfigs(String v) {
        configs = Blank.toNull(v);
    }

    public boolean isEnableConfigSubstitution() {
        return enableConfigSubstitution;
    }

    @DataBoundSetter
    public void setEnableConfigSubstitution(boolean v) {
        enableConfigSubstitution = v;
    }

    public String getKubeconfigId() {
        return kubeconfigId;
    }

    @DataBoundSetter
    public void setKubeconfigId(String v) {
        kubeconfigId = Blank.toNull(v);
    }

    public String getNamespace() {
        return namespace;
    }

    @DataBoundSetter
    public void setNamespace(String v) {
        namespace = Blank.toNull(v);
    }

    public String getContext() {
        return context;
    }

    @DataBoundSetter
    public void setContext(String v) {
        context = Blank.toNull(v);
    }

    public boolean isWait() {
        return wait;
    }

    @DataBoundSetter
    public void setWait(boolean v) {
        wait = v;
    }

    public int getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(int v) {
        timeout = v > 0 ? v : DeployRequest.DEFAULT_TIMEOUT_SECONDS;
    }

    public boolean isRollbackOnFailure() {
        return rollbackOnFailure;
    }

    @DataBoundSetter
    public void setRollbackOnFailure(boolean v) {
        rollbackOnFailure = v;
    }

    public boolean isDryRun() {
        return dryRun;
    }

    @DataBoundSetter
    public void setDryRun(boolean v) {
        dryRun = v;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new GuliDeployK8sExecution(this, context);
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "guliDeployK8s";
        }

        @Override
        public String getDisplayName() {
            return Messages.get("GuliDeployK8sStep.DisplayName");
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class, FilePath.class, EnvVars.class);
        }

        // Form methods (Snippet Generator, job configuration): POST only, and only for who may configure the job.

        @POST
        public FormValidation doCheckConfigs(@AncestorInPath Item item, @QueryParameter String value) {
            return Forms.check(item, value, () -> ManifestGlobs.check(value));
        }

        @POST
        public ListBoxModel doFillKubeconfigIdItems(@AncestorInPath Item item, @QueryParameter String kubeconfigId) {
            return Forms.credentials(item, kubeconfigId, FileCredentials.class, StringCredentials.class);
        }
    }
}
