package io.github.guli.jenkins;

import hudson.Extension;
import hudson.ExtensionList;
import io.github.guli.engine.pipeline.PipelineSettings;
import io.github.guli.engine.registry.RegistryEndpoint;
import jenkins.model.GlobalConfiguration;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * Manage Jenkins > System > guli-pipeline: the defaults every step falls back to. Each field has a
 * {@code @DataBoundSetter} so Configuration as Code can set it under {@code unclassified: guli:}.
 */
@Extension
@Symbol("guli")
public class GuliConfiguration extends GlobalConfiguration {
    private String registry = RegistryEndpoint.DEFAULT;
    private String namespace;
    private String registryCredentialsId;
    private String gitCredentialsId;
    private String approvers;
    private int approvalTimeoutMinutes = PipelineSettings.DEFAULT_APPROVAL_TIMEOUT_MINUTES;

    public GuliConfiguration() {
        load();
    }

    public static GuliConfiguration get() {
        return ExtensionList.lookupSingleton(GuliConfiguration.class);
    }

    public String getRegistry() {
        return registry;
    }

    @DataBoundSetter
    public void setRegistry(String registry) {
        this.registry = Values.orDefault(registry, RegistryEndpoint.DEFAULT);
        save();
    }

    public String getNamespace() {
        return namespace;
    }

    @DataBoundSetter
    public void setNamespace(String namespace) {
        this.namespace = Values.trimToNull(namespace);
        save();
    }

    public String getRegistryCredentialsId() {
        return registryCredentialsId;
    }

    @DataBoundSetter
    public void setRegistryCredentialsId(String registryCredentialsId) {
        this.registryCredentialsId = Values.trimToNull(registryCredentialsId);
        save();
    }

    public String getGitCredentialsId() {
        return gitCredentialsId;
    }

    @DataBoundSetter
    public void setGitCredentialsId(String gitCredentialsId) {
        this.gitCredentialsId = Values.trimToNull(gitCredentialsId);
        save();
    }

    public String getApprovers() {
        return approvers;
    }

    /** guliPipeline's approvals: comma-separated user IDs or group names; none means anyone who may build. */
    @DataBoundSetter
    public void setApprovers(String approvers) {
        this.approvers = Values.trimToNull(approvers);
        save();
    }

    public int getApprovalTimeoutMinutes() {
        return approvalTimeoutMinutes;
    }

    @DataBoundSetter
    public void setApprovalTimeoutMinutes(int approvalTimeoutMinutes) {
        this.approvalTimeoutMinutes = approvalTimeoutMinutes > 0 ? approvalTimeoutMinutes
                : PipelineSettings.DEFAULT_APPROVAL_TIMEOUT_MINUTES;
        save();
    }
}
