package io.github.guli.jenkins;

import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.UsernamePassword;
import io.github.guli.engine.deploy.Kubeconfig;
import io.github.guli.engine.environment.Environment;
import io.github.guli.engine.environment.EnvironmentRequest;
import io.github.guli.engine.environment.Environments;
import java.util.ArrayList;
import java.util.List;
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
        return new GuliPromoteExecution(this, context);
    }

    /** What this step asks for; the kubeconfigs and logins of the target and its predecessor looked up. */
    EnvironmentRequest request(
            Run<?, ?> run, EnvVars env, String workspace, GuliConfiguration global, CredentialsLookup lookup) {
        if (rollbackTo != null && (version != null || digest != null)) {
            throw new GuliException("give rollbackTo, or version/digest to promote, not both");
        }
        return new EnvironmentRequest()
                .service(service)
                .to(to)
                .version(rollbackTo != null ? rollbackTo : version)
                .digest(digest)
                .commit(commit)
                .configState(configState)
                .environments(environments(global, run, lookup))
                .workspace(workspace)
                .configs(configs)
                .env(env)
                .registry(global.getRegistry())
                .registryCredentials(lookup.usernamePassword(global.getRegistryCredentialsId(), run, "registry"))
                .timeoutSeconds(timeout);
    }

    /**
     * The configured environments; only those this step reaches get their secrets: the target and its predecessor
     * their kubeconfigs, the target its Nacos login.
     */
    private Environments environments(GuliConfiguration global, Run<?, ?> run, CredentialsLookup lookup) {
        List<GuliEnvironment> configured = global.getEnvironments();
        List<String> names = configured.stream().map(GuliEnvironment::getName).toList();
        int target = names.indexOf(to);
        List<Environment> out = new ArrayList<>();
        for (int i = 0; i < configured.size(); i++) {
            GuliEnvironment g = configured.get(i);
            Environment e = withoutSecrets(g);
            if (i == target || i == target - 1) {
                e.kubeconfig(kubeconfig(kubeconfigId(global, g), g.getName(), run, lookup));
            }
            if (i == target) { // only the target's configuration is published
                e.nacosCredentials(nacosLogin(g.getNacosCredentialsId(), g.getName(), run, lookup));
            }
            out.add(e);
        }
        return Environments.of(out);
    }

    /** The credentials ID of the environment's kubeconfig: its own, else the global one. */
    static String kubeconfigId(GuliConfiguration global, GuliEnvironment g) {
        return Blank.firstGiven(g.getKubeconfigCredentialsId(), global.getKubeconfigCredentialsId());
    }

    /** The kubeconfig of environment {@code name} from credentials {@code id}; null without an ID. */
    static Kubeconfig kubeconfig(String id, String name, Run<?, ?> run, CredentialsLookup lookup) {
        String text = lookup.fileOrSecretText(id, run, "kubeconfig of environment '" + name + "'");
        return text == null ? null : new Kubeconfig("credentials '" + id + "'", text);
    }

    /** The Nacos login of environment {@code name} from credentials {@code id}; null without an ID. */
    static UsernamePassword nacosLogin(String id, String name, Run<?, ?> run, CredentialsLookup lookup) {
        return lookup.usernamePassword(id, run, "Nacos of environment '" + name + "'");
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
                .nacosGroup(g.getNacosGroup())
                .imageRepository(g.getImageRepository());
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
