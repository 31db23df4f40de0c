package io.github.guli.jenkins;

import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.Extension;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.github.guli.engine.Blank;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * One environment of Manage Jenkins > System > guli-pipeline > Environments (JCasC: {@code environments:} under
 * {@code guli:}): its cluster, namespace, approvals (who, how many, freeze windows) and Nacos. Admins only: no file of a branch names any of it.
 */
public class GuliEnvironment extends AbstractDescribableImpl<GuliEnvironment> {
    private final String name;
    private String namespace;
    private String kubeconfigCredentialsId;
    private String approvers;
    private boolean approvalRequired = true;
    private boolean releasePoint;
    private String nacosUrl;
    private String nacosCredentialsId;
    private String nacosNamespace;
    private String nacosGroup;
    private String imageRepository;
    private int requiredApprovals = 1;
    private boolean starterMayApprove = true;
    private String freezeWindows;
    private String freezeZone;
    private String notifiers;

    @DataBoundConstructor
    public GuliEnvironment(String name) {
        this.name = Blank.toNull(name);
    }

    public String getName() {
        return name;
    }

    public String getNamespace() {
        return namespace;
    }

    @DataBoundSetter
    public void setNamespace(String v) {
        namespace = Blank.toNull(v);
    }

    public String getKubeconfigCredentialsId() {
        return kubeconfigCredentialsId;
    }

    @DataBoundSetter
    public void setKubeconfigCredentialsId(String v) {
        kubeconfigCredentialsId = Blank.toNull(v);
    }

    /** Users and groups, comma-separated, as the global approvers. */
    public String getApprovers() {
        return approvers;
    }

    @DataBoundSetter
    public void setApprovers(String v) {
        approvers = Blank.toNull(v);
    }

    public boolean isApprovalRequired() {
        return approvalRequired;
    }

    @DataBoundSetter
    public void setApprovalRequired(boolean v) {
        approvalRequired = v;
    }

    public boolean isReleasePoint() {
        return releasePoint;
    }

    @DataBoundSetter
    public void setReleasePoint(boolean v) {
        releasePoint = v;
    }

    public String getNacosUrl() {
        return nacosUrl;
    }

    @DataBoundSetter
    public void setNacosUrl(String v) {
        nacosUrl = Blank.toNull(v);
    }

    public String getNacosCredentialsId() {
        return nacosCredentialsId;
    }

    @DataBoundSetter
    public void setNacosCredentialsId(String v) {
        nacosCredentialsId = Blank.toNull(v);
    }

    public String getNacosNamespace() {
        return nacosNamespace;
    }

    @DataBoundSetter
    public void setNacosNamespace(String v) {
        nacosNamespace = Blank.toNull(v);
    }

    /** The Nacos group the configuration is published in; empty: {@code DEFAULT_GROUP}. */
    public String getNacosGroup() {
        return nacosGroup;
    }

    @DataBoundSetter
    public void setNacosGroup(String v) {
        nacosGroup = Blank.toNull(v);
    }

    /** Where the environment's image is mounted (registry/namespace); empty: the repository its predecessor uses. */
    public String getImageRepository() {
        return imageRepository;
    }

    @DataBoundSetter
    public void setImageRepository(String v) {
        imageRepository = Blank.toNull(v);
    }

    /** How many different people must approve a deploy here (1 to 10). */
    public int getRequiredApprovals() {
        return requiredApprovals;
    }

    @DataBoundSetter
    public void setRequiredApprovals(int v) {
        requiredApprovals = v > 0 ? v : 1;
    }

    public boolean isStarterMayApprove() {
        return starterMayApprove;
    }

    @DataBoundSetter
    public void setStarterMayApprove(boolean v) {
        starterMayApprove = v;
    }

    /** One window a line, as FreezeWindow reads it ({@code national day = 2026-10-01 - 2026-10-07}). */
    public String getFreezeWindows() {
        return freezeWindows;
    }

    @DataBoundSetter
    public void setFreezeWindows(String v) {
        freezeWindows = Blank.toNull(v);
    }

    /** The windows' time zone, e.g. Asia/Shanghai; blank: the global one. */
    public String getFreezeZone() {
        return freezeZone;
    }

    @DataBoundSetter
    public void setFreezeZone(String v) {
        freezeZone = Blank.toNull(v);
    }

    /** The names of the global notifiers an approval here is announced to, comma-separated; blank: all of them. */
    public String getNotifiers() {
        return notifiers;
    }

    @DataBoundSetter
    public void setNotifiers(String v) {
        notifiers = Blank.toNull(v);
    }

    @Extension
    public static final class DescriptorImpl extends Descriptor<GuliEnvironment> {
        @Override
        public String getDisplayName() {
            return Messages.get("GuliEnvironment.DisplayName");
        }

        @POST
        public ListBoxModel doFillKubeconfigCredentialsIdItems(@QueryParameter String kubeconfigCredentialsId) {
            return Forms.credentials(null, kubeconfigCredentialsId, FileCredentials.class, StringCredentials.class);
        }

        @POST
        public FormValidation doCheckRequiredApprovals(@QueryParameter String value) {
            return ApprovalPolicies.checkRequired(value);
        }

        @POST
        public FormValidation doCheckFreezeWindows(@QueryParameter String value) {
            return ApprovalPolicies.checkWindows(value);
        }

        /** Against the notifiers saved: add a new notifier and save before naming it here. */
        @POST
        public FormValidation doCheckNotifiers(@QueryParameter String name, @QueryParameter String value) {
            return Forms.check(
                    null,
                    value,
                    () -> NotifierChoice.check(
                            Blank.orDefault(name, "this environment"),
                            value,
                            GuliConfiguration.get().getNotifiers()));
        }

        @POST
        public FormValidation doCheckFreezeZone(@QueryParameter String value) {
            return ApprovalPolicies.checkZone(value);
        }

        @POST
        public ListBoxModel doFillNacosCredentialsIdItems(@QueryParameter String nacosCredentialsId) {
            return Forms.credentials(null, nacosCredentialsId, StandardUsernamePasswordCredentials.class);
        }
    }
}
