package io.github.guli.jenkins;

import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.github.guli.engine.Blank;
import io.github.guli.engine.image.GeneratedImage;
import io.github.guli.engine.image.ImageRequest;
import io.github.guli.engine.pipeline.PipelineSettings;
import io.github.guli.engine.registry.ImageRef;
import io.github.guli.engine.registry.RegistryEndpoint;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.GlobalConfiguration;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * Manage Jenkins > System > guli-pipeline: the defaults every step falls back to. Each field has a
 * {@code @DataBoundSetter} so Configuration as Code can set it under {@code unclassified: guli:}.
 */
@Extension
@Symbol("guli")
public class GuliConfiguration extends GlobalConfiguration {
    public static final String DEFAULT_BASE_IMAGE = GeneratedImage.DEFAULT_BASE_IMAGE;
    public static final int DEFAULT_APPROVAL_TIMEOUT_MINUTES = PipelineSettings.DEFAULT_APPROVAL_TIMEOUT_MINUTES;

    private String registry = RegistryEndpoint.DEFAULT;
    private String namespace;
    private String registryCredentialsId;
    private String gitCredentialsId;
    private String sonarUrl;
    private String sonarCredentialsId;
    private String kubeconfigCredentialsId;
    private String mavenSettings;
    private String mavenSettingsCredentialsId;
    private String baseImage = DEFAULT_BASE_IMAGE;
    private String allowedBaseImages;
    private int approvalTimeoutMinutes = DEFAULT_APPROVAL_TIMEOUT_MINUTES;
    private String approvers;
    private int requiredApprovals = 1;
    private boolean starterMayApprove = true;
    private String freezeWindows;
    private String freezeZone;
    private String container;
    private String concurrency;
    private List<GuliEnvironment> environments = new ArrayList<>();
    private List<GuliNotifier> notifiers = new ArrayList<>();

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
    public void setRegistry(String v) {
        registry = Blank.orDefault(v, RegistryEndpoint.DEFAULT);
        save();
    }

    public String getNamespace() {
        return namespace;
    }

    @DataBoundSetter
    public void setNamespace(String v) {
        namespace = Blank.toNull(v);
        save();
    }

    public String getRegistryCredentialsId() {
        return registryCredentialsId;
    }

    @DataBoundSetter
    public void setRegistryCredentialsId(String v) {
        registryCredentialsId = Blank.toNull(v);
        save();
    }

    public String getGitCredentialsId() {
        return gitCredentialsId;
    }

    @DataBoundSetter
    public void setGitCredentialsId(String v) {
        gitCredentialsId = Blank.toNull(v);
        save();
    }

    public String getSonarUrl() {
        return sonarUrl;
    }

    @DataBoundSetter
    public void setSonarUrl(String v) {
        sonarUrl = Blank.toNull(v);
        save();
    }

    public String getSonarCredentialsId() {
        return sonarCredentialsId;
    }

    @DataBoundSetter
    public void setSonarCredentialsId(String v) {
        sonarCredentialsId = Blank.toNull(v);
        save();
    }

    public String getKubeconfigCredentialsId() {
        return kubeconfigCredentialsId;
    }

    @DataBoundSetter
    public void setKubeconfigCredentialsId(String v) {
        kubeconfigCredentialsId = Blank.toNull(v);
        save();
    }

    public String getMavenSettings() {
        return mavenSettings;
    }

    @DataBoundSetter
    public void setMavenSettings(String v) {
        mavenSettings = Blank.toNull(v);
        save();
    }

    public String getMavenSettingsCredentialsId() {
        return mavenSettingsCredentialsId;
    }

    @DataBoundSetter
    public void setMavenSettingsCredentialsId(String v) {
        mavenSettingsCredentialsId = Blank.toNull(v);
        save();
    }

    public String getBaseImage() {
        return baseImage;
    }

    @DataBoundSetter
    public void setBaseImage(String v) {
        baseImage = Blank.orDefault(v, DEFAULT_BASE_IMAGE);
        save();
    }

    /** The base images outside the namespace that the registry login may read, one per line. */
    public String getAllowedBaseImages() {
        return allowedBaseImages;
    }

    @DataBoundSetter
    public void setAllowedBaseImages(String v) {
        allowedBaseImages = Blank.toNull(v);
        save();
    }

    public int getApprovalTimeoutMinutes() {
        return approvalTimeoutMinutes;
    }

    @DataBoundSetter
    public void setApprovalTimeoutMinutes(int v) {
        approvalTimeoutMinutes = v > 0 ? v : DEFAULT_APPROVAL_TIMEOUT_MINUTES;
        save();
    }

    public String getApprovers() {
        return approvers;
    }

    @DataBoundSetter
    public void setApprovers(String v) {
        approvers = Blank.toNull(v);
        save();
    }

    /** How many different people must approve a deploy or release (1 to 10); an environment has its own. */
    public int getRequiredApprovals() {
        return requiredApprovals;
    }

    @DataBoundSetter
    public void setRequiredApprovals(int v) {
        requiredApprovals = v > 0 ? v : 1;
        save();
    }

    public boolean isStarterMayApprove() {
        return starterMayApprove;
    }

    @DataBoundSetter
    public void setStarterMayApprove(boolean v) {
        starterMayApprove = v;
        save();
    }

    /** Windows in which no deploy, release or promotion runs, one a line; each environment's add to them. */
    public String getFreezeWindows() {
        return freezeWindows;
    }

    @DataBoundSetter
    public void setFreezeWindows(String v) {
        freezeWindows = Blank.toNull(v);
        save();
    }

    /** The time zone of the freeze windows, e.g. Asia/Shanghai; blank: the controller's. */
    public String getFreezeZone() {
        return freezeZone;
    }

    @DataBoundSetter
    public void setFreezeZone(String v) {
        freezeZone = Blank.toNull(v);
        save();
    }

    public String getContainer() {
        return container;
    }

    @DataBoundSetter
    public void setContainer(String v) {
        container = Blank.toNull(v);
        save();
    }

    /** How guliPipeline keeps deploys and releases of one service apart: lock (the default) or newest. */
    public String getConcurrency() {
        return concurrency;
    }

    @DataBoundSetter
    public void setConcurrency(String v) {
        concurrency = Blank.toNull(v);
        save();
    }

    /** The environments a release goes through, in order (test, staging, prod). */
    public List<GuliEnvironment> getEnvironments() {
        return environments == null ? List.of() : List.copyOf(environments);
    }

    @DataBoundSetter
    public void setEnvironments(List<GuliEnvironment> v) {
        environments = v == null ? new ArrayList<>() : new ArrayList<>(v);
        save();
    }

    /** Where approvals are announced; admins only, no file of a branch adds one. */
    public List<GuliNotifier> getNotifiers() {
        return notifiers == null ? List.of() : List.copyOf(notifiers);
    }

    @DataBoundSetter
    public void setNotifiers(List<GuliNotifier> v) {
        notifiers = v == null ? new ArrayList<>() : new ArrayList<>(v);
        save();
    }

    // Form methods: POST only (a GET could be forged from another site) and only for administrators.

    @POST
    public FormValidation doCheckRegistry(@QueryParameter String value) {
        return Forms.check(null, value, () -> RegistryEndpoint.parse(value));
    }

    @POST
    public FormValidation doCheckNamespace(@QueryParameter String value) {
        return Forms.check(null, value, () -> ImageRef.checkNamespace(value));
    }

    @POST
    public FormValidation doCheckSonarUrl(@QueryParameter String value) {
        if (!Forms.mayConfigure(null) || value == null || value.isBlank()) {
            return FormValidation.ok();
        }
        try {
            URI u = URI.create(value.trim());
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
                return FormValidation.error(Messages.get("GuliConfiguration.SonarUrlNotHttp"));
            }
            return u.getUserInfo() != null
                    ? FormValidation.error(Messages.get("GuliConfiguration.SonarUrlWithToken"))
                    : FormValidation.ok();
        } catch (IllegalArgumentException e) {
            return FormValidation.error(Messages.get("GuliConfiguration.NotAUrl", e.getMessage()));
        }
    }

    @POST
    public FormValidation doCheckBaseImage(@QueryParameter String value) {
        if (!Forms.mayConfigure(null) || value == null || value.isBlank()) {
            return FormValidation.ok();
        }
        return value.matches("[a-z0-9][a-z0-9._/:@-]*")
                ? FormValidation.ok()
                : FormValidation.error(Messages.get("GuliConfiguration.NotAnImage"));
    }

    @POST
    public FormValidation doCheckAllowedBaseImages(@QueryParameter String value) {
        return Forms.check(null, value, () -> ImageRequest.checkAllowedBaseImages(List.of(value.split("\\R"))));
    }

    @POST
    public FormValidation doCheckRequiredApprovals(@QueryParameter String value) {
        return ApprovalPolicies.checkRequired(value);
    }

    @POST
    public FormValidation doCheckFreezeWindows(@QueryParameter String value) {
        return ApprovalPolicies.checkWindows(value);
    }

    @POST
    public FormValidation doCheckFreezeZone(@QueryParameter String value) {
        return ApprovalPolicies.checkZone(value);
    }

    @POST
    public ListBoxModel doFillRegistryCredentialsIdItems(@QueryParameter String registryCredentialsId) {
        return Forms.credentials(null, registryCredentialsId, StandardUsernamePasswordCredentials.class);
    }

    @POST
    public ListBoxModel doFillGitCredentialsIdItems(@QueryParameter String gitCredentialsId) {
        return Forms.credentials(null, gitCredentialsId, StandardUsernamePasswordCredentials.class);
    }

    @POST
    public ListBoxModel doFillSonarCredentialsIdItems(@QueryParameter String sonarCredentialsId) {
        return Forms.credentials(null, sonarCredentialsId, StringCredentials.class);
    }

    @POST
    public ListBoxModel doFillKubeconfigCredentialsIdItems(@QueryParameter String kubeconfigCredentialsId) {
        return Forms.credentials(null, kubeconfigCredentialsId, FileCredentials.class, StringCredentials.class);
    }

    @POST
    public ListBoxModel doFillMavenSettingsCredentialsIdItems(@QueryParameter String mavenSettingsCredentialsId) {
        return Forms.credentials(null, mavenSettingsCredentialsId, FileCredentials.class);
    }
}
