package io.github.guli.jenkins;

import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.deploy.Deploy;
import io.github.guli.engine.deploy.DeployRequest;
import io.github.guli.engine.deploy.DeployResult;
import io.github.guli.engine.deploy.Kubeconfig;
import io.github.guli.engine.deploy.ManifestGlobs;
import java.io.File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
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
    public GuliDeployK8sStep() {
    }

    public String getProjectName() { return projectName; }
    @DataBoundSetter public void setProjectName(String v) { projectName = Values.trimToNull(v); }
    public String getConfigs() { return configs; }
    @DataBoundSetter public void setConfigs(String v) { configs = Values.trimToNull(v); }
    public boolean isEnableConfigSubstitution() { return enableConfigSubstitution; }
    @DataBoundSetter public void setEnableConfigSubstitution(boolean v) { enableConfigSubstitution = v; }
    public String getKubeconfigId() { return kubeconfigId; }
    @DataBoundSetter public void setKubeconfigId(String v) { kubeconfigId = Values.trimToNull(v); }
    public String getNamespace() { return namespace; }
    @DataBoundSetter public void setNamespace(String v) { namespace = Values.trimToNull(v); }
    public String getContext() { return context; }
    @DataBoundSetter public void setContext(String v) { context = Values.trimToNull(v); }
    public boolean isWait() { return wait; }
    @DataBoundSetter public void setWait(boolean v) { wait = v; }
    public int getTimeout() { return timeout; }
    @DataBoundSetter public void setTimeout(int v) { timeout = v > 0 ? v : DeployRequest.DEFAULT_TIMEOUT_SECONDS; }
    public boolean isRollbackOnFailure() { return rollbackOnFailure; }
    @DataBoundSetter public void setRollbackOnFailure(boolean v) { rollbackOnFailure = v; }
    public boolean isDryRun() { return dryRun; }
    @DataBoundSetter public void setDryRun(boolean v) { dryRun = v; }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    /** Resolves the parameters on the controller, where credentials live, then deploys from the workspace's agent. */
    static final class Execution extends WorkspaceStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final transient GuliDeployK8sStep step;

        Execution(GuliDeployK8sStep step, StepContext context) {
            super(context, PREFIX);
            this.step = step;
        }

        @Override
        Map<String, Object> run(Run<?, ?> run, TaskListener listener, FilePath workspace, EnvVars env) throws Exception {
            DeployRequest request;
            String configs = step.configs;
            if (configs == null) {
                String module = Values.firstGiven(step.projectName, env.get("PROJECT_NAME"));
                if (module == null) {
                    throw new GuliException("no manifests given: pass configs (e.g. configs: 'gulimall-auth-server/"
                            + "deploy/**') or projectName, or set PROJECT_NAME: <PROJECT_NAME>/deploy/** is the default");
                }
                configs = module + "/deploy/**";
            }
            String credentialsId = Values.firstGiven(step.kubeconfigId, GuliConfiguration.get().getKubeconfigCredentialsId());
            Kubeconfig kubeconfig = null;
            CredentialsLookup credentials = new CredentialsLookup(CredentialsLookup.JENKINS);
            if (!step.dryRun && credentialsId != null) {
                String text = credentials.fileOrSecretText(credentialsId, run,
                        "kubeconfig");
                kubeconfig = new Kubeconfig("credentials '" + credentialsId + "'", text);
            }
            request = new DeployRequest(workspace.getRemote(), configs, step.enableConfigSubstitution,
                    new HashMap<>(env), kubeconfig, step.context, step.namespace, step.wait, step.timeout,
                    step.rollbackOnFailure, step.dryRun);
            DeployResult result = new OnAgent(request, listener).masking(credentials.secrets()).runOn(workspace);
            GuliSummary.add(run, "guliDeployK8s", result.summary(), null);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("dryRun", result.dryRun());
            out.put("created", new ArrayList<>(result.created()));
            out.put("changed", new ArrayList<>(result.changed()));
            out.put("unchanged", new ArrayList<>(result.unchanged()));
            out.put("rollout", result.rollout());
            out.put("warnings", result.warnings());
            return out;
        }
    }

    /** Runs on the agent that holds the workspace: the manifests are there, and so is the way to the cluster. */
    static final class OnAgent extends EngineOnAgent<DeployResult> {
        private static final long serialVersionUID = 1L;
        private final DeployRequest request;

        OnAgent(DeployRequest request, TaskListener listener) {
            super(listener, PREFIX);
            this.request = request;
        }

        @Override
        DeployResult call(File workspace, Log log) {
            return new Deploy(log, log).run(request);
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "guliDeployK8s";
        }

        @Override
        public String getDisplayName() {
            return "Deploy to Kubernetes: validate, apply, wait for the rollout, roll back on failure";
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
