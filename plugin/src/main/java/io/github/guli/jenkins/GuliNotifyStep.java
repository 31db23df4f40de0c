package io.github.guli.jenkins;

import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.approval.ApprovalNotice;
import io.github.guli.engine.approval.ApprovalOutcome;
import io.github.guli.engine.approval.Commit;
import io.github.guli.engine.approval.Delivery;
import io.github.guli.engine.approval.Notifier;
import io.github.guli.engine.approval.NotifierConfig;
import io.github.guli.engine.approval.NotifierKind;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code guliNotify event: 'waiting'|'approved'|'rejected'|'timedOut', ...}: announces an approval, or how it ended,
 * to every notifier the admins configured. Runs on the controller (an approval holds no agent); the webhook URLs and
 * secrets are looked up for the run when sending. It never fails the build: whatever goes wrong is one warning.
 */
public class GuliNotifyStep extends Step {
    static final String PREFIX = "[guliNotify] ";
    static final List<String> EVENTS = List.of("waiting", "approved", "rejected", "timedOut");

    private final String event;
    private String service;
    private String version;
    private String digest;
    private String environment;
    private String approvers;
    private String by;
    private String reason;
    private String diff;
    private String commits;

    @DataBoundConstructor
    public GuliNotifyStep(String event) {
        this.event = Blank.toNull(event);
    }

    public String getEvent() {
        return event;
    }

    public String getService() {
        return service;
    }

    @DataBoundSetter
    public void setService(String v) {
        service = Blank.toNull(v);
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

    public String getEnvironment() {
        return environment;
    }

    @DataBoundSetter
    public void setEnvironment(String v) {
        environment = Blank.toNull(v);
    }

    /** Who may approve, comma-separated (the approval's submitters). */
    public String getApprovers() {
        return approvers;
    }

    @DataBoundSetter
    public void setApprovers(String v) {
        approvers = Blank.toNull(v);
    }

    /** Who approved or rejected. */
    public String getBy() {
        return by;
    }

    @DataBoundSetter
    public void setBy(String v) {
        by = Blank.toNull(v);
    }

    /** Why it was rejected. */
    public String getReason() {
        return reason;
    }

    @DataBoundSetter
    public void setReason(String v) {
        reason = Blank.toNull(v);
    }

    /** The masked configuration diff the deploy publishes (guliPromotionPreview's {@code diff}). */
    public String getDiff() {
        return diff;
    }

    @DataBoundSetter
    public void setDiff(String v) {
        diff = Blank.toNull(v);
    }

    /** The commits it brings, one per line: subject, a tab, author (guliPromotionPreview's {@code commits}). */
    public String getCommits() {
        return commits;
    }

    @DataBoundSetter
    public void setCommits(String v) {
        commits = Blank.toNull(v);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(this, context);
    }

    static final class Execution extends WorkspaceStepExecution<Void> {
        private static final long serialVersionUID = 1L;
        private final transient GuliNotifyStep step;

        Execution(GuliNotifyStep step, StepContext context) {
            super(context, PREFIX);
            this.step = step;
        }

        @Override
        Void run(Run<?, ?> run, TaskListener listener, FilePath workspace, EnvVars env) {
            String root = Jenkins.get().getRootUrl();
            // Jenkins' input page is the build's URL + "input/"; without a root URL the card has no link
            String inputUrl = root == null ? null : root + run.getUrl() + "input/";
            GuliConfiguration global = GuliConfiguration.get();
            send(
                    step,
                    global.getEnvironments(),
                    global.getNotifiers(),
                    new CredentialsLookup(CredentialsLookup.JENKINS),
                    run,
                    inputUrl,
                    listener.getLogger(),
                    Notifier::of);
            return null;
        }
    }

    /**
     * Sends the step's message to each notifier, logging a warning for each that did not take it.
     *
     * @return how many took it
     */
    static int send(
            GuliNotifyStep step,
            List<GuliEnvironment> environments,
            List<GuliNotifier> notifiers,
            CredentialsLookup lookup,
            Run<?, ?> run,
            String inputUrl,
            PrintStream log,
            Function<NotifierConfig, Notifier> notifierOf) {
        List<String> lines = deliver(step, environments, notifiers, lookup, run, inputUrl, notifierOf);
        // masked with the secrets looked up while sending; the build's log stays open
        PrintStream masked =
                new PrintStream(new MaskingOutputStream(log, lookup.secrets()), true, StandardCharsets.UTF_8);
        int delivered = 0;
        for (String line : lines) {
            if (line.isEmpty()) {
                delivered++;
            } else {
                masked.println(line);
            }
        }
        masked.flush();
        return delivered;
    }

    /** One line per notifier: empty when it took the message, else its warning. */
    private static List<String> deliver(
            GuliNotifyStep step,
            List<GuliEnvironment> environments,
            List<GuliNotifier> all,
            CredentialsLookup lookup,
            Run<?, ?> run,
            String inputUrl,
            Function<NotifierConfig, Notifier> notifierOf) {
        List<String> lines = new ArrayList<>();
        Message message;
        List<GuliNotifier> notifiers;
        try {
            message = message(step, inputUrl);
            notifiers = NotifierChoice.of(step.environment, environments, all);
        } catch (GuliException | IllegalArgumentException e) {
            lines.add(warning(e.getMessage() + "; nothing was sent"));
            return lines;
        }
        for (GuliNotifier n : notifiers) {
            try {
                Notifier notifier = notifierOf.apply(config(n, lookup, run));
                Delivery d = message.sendTo(notifier);
                lines.add(d.warning());
            } catch (RuntimeException e) {
                lines.add(warning("notifier '" + n.getName() + "' was not asked: " + words(e)
                        + "; the approval still waits in Jenkins"));
            }
        }
        return lines;
    }

    /** An engine error's message (it names an ID, never a secret); anything else only by its kind. */
    private static String words(RuntimeException e) {
        return e instanceof GuliException
                ? e.getMessage()
                : "an error (" + e.getClass().getSimpleName() + ")";
    }

    private static String warning(String text) {
        return "WARNING: " + PREFIX + text;
    }

    private static NotifierConfig config(GuliNotifier n, CredentialsLookup lookup, Run<?, ?> run) {
        if (n.getWebhookCredentialsId() == null) {
            throw new GuliException("it names no webhook credentials: pick the Secret text credentials holding its URL"
                    + " in Manage Jenkins > System > guli-pipeline > Notifiers");
        }
        String purpose = "notifier " + n.getName();
        return new NotifierConfig(
                n.getName(),
                NotifierKind.parse(n.getKind()),
                lookup.secretText(n.getWebhookCredentialsId(), run, purpose + " webhook URL"),
                lookup.secretText(n.getSecretCredentialsId(), run, purpose + " secret"),
                Duration.ofSeconds(n.getConnectTimeoutSeconds()),
                Duration.ofSeconds(n.getTimeoutSeconds()));
    }

    /** The notice, or the outcome after it. */
    private interface Message {
        Delivery sendTo(Notifier n);
    }

    private static Message message(GuliNotifyStep step, String inputUrl) {
        List<String> approvers = step.approvers == null
                ? List.of()
                : Arrays.stream(step.approvers.split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList();
        ApprovalNotice notice = new ApprovalNotice(
                step.service,
                step.version,
                step.digest,
                step.environment,
                commits(step.commits),
                step.diff,
                approvers,
                inputUrl);
        String event = step.event == null ? "" : step.event;
        switch (event) {
            case "waiting":
                return n -> n.send(notice);
            case "approved":
                return n -> n.send(ApprovalOutcome.approved(notice, step.by));
            case "rejected":
                return n -> n.send(ApprovalOutcome.rejected(notice, step.by, step.reason));
            case "timedOut":
                return n -> n.send(ApprovalOutcome.timedOut(notice));
            default:
                throw new GuliException("unknown event '" + event + "': use one of " + String.join(", ", EVENTS));
        }
    }

    /** Each line "subject TAB author" (a line without a tab: a subject) as a commit. */
    static List<Commit> commits(String text) {
        if (text == null) {
            return List.of();
        }
        List<Commit> out = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            int tab = line.lastIndexOf('\t');
            if (!line.isBlank()) {
                out.add(tab < 0 ? new Commit(line, "") : new Commit(line.substring(0, tab), line.substring(tab + 1)));
            }
        }
        return out;
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "guliNotify";
        }

        @Override
        public String getDisplayName() {
            return Messages.get("GuliNotifyStep.DisplayName");
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        /** guliPipeline calls it around each approval. */
        @Override
        public boolean isAdvanced() {
            return true;
        }
    }
}
