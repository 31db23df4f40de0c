package io.github.guli.jenkins;

import hudson.Extension;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.github.guli.engine.Blank;
import io.github.guli.engine.approval.NotifierConfig;
import io.github.guli.engine.approval.NotifierKind;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * One approval notifier of Manage Jenkins > System > guli-pipeline > Notifiers (JCasC: {@code notifiers:} under
 * {@code guli:}). Its webhook URL and signing secret are Secret text credentials, looked up only when sending. Admins
 * only: no file of a branch adds a notifier or a recipient.
 */
public class GuliNotifier extends AbstractDescribableImpl<GuliNotifier> {
    static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = (int) NotifierConfig.DEFAULT_CONNECT_TIMEOUT.toSeconds();
    static final int DEFAULT_TIMEOUT_SECONDS = (int) NotifierConfig.DEFAULT_TIMEOUT.toSeconds();
    /** A notifier never holds up the build for long: what NotifierConfig takes at most. */
    static final int MAX_TIMEOUT_SECONDS = 60;

    private final String name;
    private String kind = "webhook";
    private String webhookCredentialsId;
    private String secretCredentialsId;
    private int connectTimeoutSeconds = DEFAULT_CONNECT_TIMEOUT_SECONDS;
    private int timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;

    @DataBoundConstructor
    public GuliNotifier(String name) {
        this.name = Blank.toNull(name);
    }

    public String getName() {
        return name;
    }

    /** dingtalk, wecom, feishu (or lark), webhook. */
    public String getKind() {
        return kind;
    }

    @DataBoundSetter
    public void setKind(String v) {
        kind = Blank.orDefault(v, "webhook");
    }

    /** Secret text credentials holding the whole webhook URL (it carries the robot's token). */
    public String getWebhookCredentialsId() {
        return webhookCredentialsId;
    }

    @DataBoundSetter
    public void setWebhookCredentialsId(String v) {
        webhookCredentialsId = Blank.toNull(v);
    }

    /** Secret text credentials holding the signing secret, or none (unsigned). */
    public String getSecretCredentialsId() {
        return secretCredentialsId;
    }

    @DataBoundSetter
    public void setSecretCredentialsId(String v) {
        secretCredentialsId = Blank.toNull(v);
    }

    /** How long connecting may take, in seconds (1 to 60; 0 or less: the default, 3). */
    public int getConnectTimeoutSeconds() {
        return connectTimeoutSeconds;
    }

    @DataBoundSetter
    public void setConnectTimeoutSeconds(int v) {
        connectTimeoutSeconds = v > 0 ? v : DEFAULT_CONNECT_TIMEOUT_SECONDS;
    }

    /** How long the whole exchange (connect, answer and body) may take, in seconds (1 to 60; 0 or less: 5). */
    public int getTimeoutSeconds() {
        return timeoutSeconds;
    }

    @DataBoundSetter
    public void setTimeoutSeconds(int v) {
        timeoutSeconds = v > 0 ? v : DEFAULT_TIMEOUT_SECONDS;
    }

    /** A notifier saved before the timeouts existed reads as the defaults. */
    protected Object readResolve() {
        setConnectTimeoutSeconds(connectTimeoutSeconds);
        setTimeoutSeconds(timeoutSeconds);
        return this;
    }

    @Extension
    public static final class DescriptorImpl extends Descriptor<GuliNotifier> {
        @Override
        public String getDisplayName() {
            return Messages.get("GuliNotifier.DisplayName");
        }

        @POST
        public ListBoxModel doFillKindItems() {
            if (!Forms.mayConfigure(null)) {
                return new ListBoxModel();
            }
            ListBoxModel m = new ListBoxModel();
            for (String k : new String[] {"dingtalk", "wecom", "feishu", "webhook"}) {
                m.add(NotifierKind.parse(k).label(), k);
            }
            return m;
        }

        @POST
        public FormValidation doCheckName(@QueryParameter String value) {
            if (!Forms.mayConfigure(null) || value != null && !value.isBlank()) {
                return FormValidation.ok();
            }
            return FormValidation.error(Messages.get("GuliNotifier.NameRequired"));
        }

        @POST
        public FormValidation doCheckWebhookCredentialsId(@QueryParameter String value) {
            if (!Forms.mayConfigure(null) || value != null && !value.isBlank()) {
                return FormValidation.ok();
            }
            return FormValidation.error(Messages.get("GuliNotifier.WebhookRequired"));
        }

        @POST
        public FormValidation doCheckConnectTimeoutSeconds(@QueryParameter String value) {
            return checkSeconds(value);
        }

        @POST
        public FormValidation doCheckTimeoutSeconds(@QueryParameter String value) {
            return checkSeconds(value);
        }

        private static FormValidation checkSeconds(String value) {
            if (!Forms.mayConfigure(null) || value == null || value.isBlank()) {
                return FormValidation.ok();
            }
            try {
                int v = Integer.parseInt(value.trim());
                if (v >= 1 && v <= MAX_TIMEOUT_SECONDS) {
                    return FormValidation.ok();
                }
            } catch (NumberFormatException e) {
                // named below
            }
            return FormValidation.error(Messages.get("GuliNotifier.TimeoutRange", MAX_TIMEOUT_SECONDS));
        }

        @POST
        public ListBoxModel doFillWebhookCredentialsIdItems(@QueryParameter String webhookCredentialsId) {
            return Forms.credentials(null, webhookCredentialsId, StringCredentials.class);
        }

        @POST
        public ListBoxModel doFillSecretCredentialsIdItems(@QueryParameter String secretCredentialsId) {
            return Forms.credentials(null, secretCredentialsId, StringCredentials.class);
        }
    }
}
