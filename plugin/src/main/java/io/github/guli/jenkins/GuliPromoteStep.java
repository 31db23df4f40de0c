package io.github.guli.jenkins;

import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.deploy.Kubeconfig;
import io.github.guli.engine.environment.Environment;
import io.github.guli.engine.environment.EnvironmentRequest;
import io.github.guli.engine.environment.EnvironmentResult;
import io.github.guli.engine.environment.Environments;
import io.github.guli.engine.environment.Promotion;
import io.github.guli.engine.environment.RollbackTo;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code guliPromote}: deploys to environment {@code to} the digest its predecessor runs, rolled out healthy; with
 * {@code rollbackTo}, rolls {@code to} back to that release. The environments, their clusters and credentials come
 * from the global configuration only. Returns a map: environment, version, digest, image, replaced, config.
 */
public class GuliPromoteStep extends Step {
    static final String PREFIX = "[guliPromote] ";

    private final String service;
    private final String to;
    private String version;
    private String digest;
    private String rollbackTo;
    private String configs;
    private String commit;
    private String configState;
    private int timeout;

    @DataBoundConstructor
    public GuliPromoteStep(String service, String to) {
        this.service = Blank.toNull(service);
        this.to = Blank.toNull(to);
    }

    public String getService() {
        return service;
    }

    public String getTo() {
        return to;
    }

    public String getVersion() {
        return version;
    }

    @DataBoundSetter
    public void setVersion(String v) {
        version = Blank.toNull(v);
    }

    public String getDigest() {
        return digest;
    }

    @DataBoundSetter
    public void setDigest(String v) {
        digest = Blank.toNull(v);
    }

    public String getRollbackTo() {
        return rollbackTo;
    }

    @DataBoundSetter
    public void setRollbackTo(String v) {
        rollbackTo = Blank.toNull(v);
    }

    public String getConfigs() {
        return configs;
    }

    @DataBoundSetter
    public void setConfigs(String v) {
        configs = Blank.toNull(v);
    }

    public String getCommit() {
        return commit;
    }

    /** The commit the workspace must have checked out (the one the preview read); refused when it differs. */
    @DataBoundSetter
    public void setCommit(String v) {
        commit = Blank.toNull(v);
    }

    public String getConfigState() {
        return configState;
    }

    /** What the preview read in the target's Nacos (its {@code configState}); refused when Nacos holds other now. */
    @DataBoundSetter
    public void setConfigState(String v) {
        configState = Blank.toNull(v);
    }

    public int getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(int v) {
        timeout = Math.max(v, 0);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    /** Resolves the environments and credentials on the controller, then promotes from the workspace's agent. */
    static final class Execution extends WorkspaceStepExecution<Map<String, String>> {
        private static final long serialVersionUID = 1L;
        private final transient GuliPromoteStep step;

        Execution(GuliPromoteStep step, StepContext context) {
            super(context, PREFIX);
            this.step = step;
        }

        @Override
        Map<String, String> run(Run<?, ?> run, TaskListener listener, FilePath workspace, EnvVars env)
                throws Exception {
            CredentialsLookup credentials = new CredentialsLookup(CredentialsLookup.JENKINS);
            EnvironmentRequest request = request(run, env, workspace.getRemote(), GuliConfiguration.get(), credentials);
            EnvironmentResult result = new OnAgent(request, step.rollbackTo != null, listener)
                    .masking(credentials.secrets())
                    .runOn(workspace);
            GuliSummary.add(run, "guliPromote", result.summary(), null);
            GuliEnvironmentsSummary.deployed(run, result);
            Map<String, String> out = new LinkedHashMap<>();
            out.put("environment", result.environment());
            out.put("version", result.version());
            out.put("digest", result.digest());
            out.put("image", result.image());
            out.put(
                    "replaced",
                    result.replaced() == null ? null : result.replaced().describe());
            out.put("config", result.config() == null ? null : result.config().toString());
            return out;
        }

        /** What this step asks for; the kubeconfigs and logins of the target and its predecessor looked up. */
        EnvironmentRequest request(
                Run<?, ?> run, EnvVars env, String workspace, GuliConfiguration global, CredentialsLookup lookup) {
            if (step.rollbackTo != null && (step.version != null || step.digest != null)) {
                throw new GuliException("give rollbackTo, or version/digest to promote, not both");
            }
            Environments environments = environments(global, run, lookup);
            return new EnvironmentRequest()
                    .service(step.service)
                    .to(step.to)
                    .version(step.rollbackTo != null ? step.rollbackTo : step.version)
                    .digest(step.digest)
                    .commit(step.commit)
                    .configState(step.configState)
                    .environments(environments)
                    .workspace(workspace)
                    .configs(step.configs)
                    .env(env)
                    .registry(global.getRegistry())
                    .registryCredentials(lookup.usernamePassword(global.getRegistryCredentialsId(), run, "registry"))
                    .timeoutSeconds(step.timeout);
        }

        /**
         * The configured environments; only those this step reaches get their secrets: the target and its predecessor
         * their kubeconfigs, the target its Nacos login.
         */
        private Environments environments(GuliConfiguration global, Run<?, ?> run, CredentialsLookup lookup) {
            List<GuliEnvironment> configured = global.getEnvironments();
            List<String> names =
                    configured.stream().map(GuliEnvironment::getName).toList();
            int target = names.indexOf(step.to);
            List<Environment> out = new ArrayList<>();
            for (int i = 0; i < configured.size(); i++) {
                GuliEnvironment g = configured.get(i);
                Environment e = withoutSecrets(g);
                if (i == target || i == target - 1) {
                    String id = Blank.firstGiven(g.getKubeconfigCredentialsId(), global.getKubeconfigCredentialsId());
                    String purpose = "kubeconfig of environment '" + g.getName() + "'";
                    String text = lookup.fileOrSecretText(id, run, purpose);
                    e.kubeconfig(text == null ? null : new Kubeconfig("credentials '" + id + "'", text));
                }
                if (i == target) { // only the target's configuration is published
                    String purpose = "Nacos of environment '" + g.getName() + "'";
                    e.nacosCredentials(lookup.usernamePassword(g.getNacosCredentialsId(), run, purpose));
                }
                out.add(e);
            }
            return Environments.of(out);
        }
    }

    /** An environment as configured, its kubeconfig and Nacos login not looked up. */
    static Environment withoutSecrets(GuliEnvironment g) {
        return new Environment(g.getName())
                .namespace(g.getNamespace())
                .approvalRequired(g.isApprovalRequired())
                .approvers(
                        g.getApprovers() == null
                                ? List.of()
                                : List.of(g.getApprovers().split("\\s*,\\s*")))
                .releasePoint(g.isReleasePoint())
                .nacosUrl(g.getNacosUrl())
                .nacosNamespace(g.getNacosNamespace())
                .nacosGroup(g.getNacosGroup());
    }

    /** Runs on the workspace's agent: the manifests are there, and so is the way to both clusters. */
    static final class OnAgent extends EngineOnAgent<EnvironmentResult> {
        private static final long serialVersionUID = 1L;
        private final EnvironmentRequest request;
        private final boolean rollback;

        OnAgent(EnvironmentRequest request, boolean rollback, TaskListener listener) {
            super(listener, PREFIX);
            this.request = request;
            this.rollback = rollback;
        }

        @Override
        EnvironmentResult call(File workspace, Log log) {
            return rollback ? new RollbackTo(log).run(request) : new Promotion(log).run(request);
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "guliPromote";
        }

        @Override
        public String getDisplayName() {
            return Messages.get("GuliPromoteStep.DisplayName");
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class, FilePath.class, EnvVars.class);
        }
    }
}
