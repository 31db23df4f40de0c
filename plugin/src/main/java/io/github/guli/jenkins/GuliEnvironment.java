package io.github.guli.jenkins;

import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.Extension;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
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
 * {@code guli:}): its cluster, namespace, approvals and Nacos. Admins only: no file of a branch names any of it.
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
        public ListBoxModel doFillNacosCredentialsIdItems(@QueryParameter String nacosCredentialsId) {
            return Forms.credentials(null, nacosCredentialsId, StandardUsernamePasswordCredentials.class);
        }
    }
}
