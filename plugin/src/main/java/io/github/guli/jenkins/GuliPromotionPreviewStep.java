package io.github.guli.jenkins;

import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.github.guli.engine.Log;
import io.github.guli.engine.approval.Commit;
import io.github.guli.engine.environment.EnvironmentRequest;
import io.github.guli.engine.environment.Preview;
import io.github.guli.engine.environment.PromotionPreview;
import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * {@code guliPromotionPreview}: takes guliPromote's arguments and makes every check guliPromote makes (the digest
 * passed in the predecessor, the version released, the configuration files and the Nacos login), changing nothing.
 * Returns a map: environment, from, version, digest, image, current, currentVersion, currentDigest, diff (masked),
 * configState, builtCommit (the commit the image was built from, whose manifests and configuration are deployed; null
 * when the image does not say), commits (one per line, subject TAB author), commitsNote, and message (all of it, for
 * the approver).
 */
public class GuliPromotionPreviewStep extends GuliPromoteStep {
    static final String PREFIX = "[guliPromotionPreview] ";

    @DataBoundConstructor
    public GuliPromotionPreviewStep(String service, String to) {
        super(service, to);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(this, context);
    }

    static final class Execution extends WorkspaceStepExecution<Map<String, String>> {
        private static final long serialVersionUID = 1L;
        private final transient GuliPromotionPreviewStep step;

        Execution(GuliPromotionPreviewStep step, StepContext context) {
            super(context, PREFIX);
            this.step = step;
        }

        @Override
        Map<String, String> run(Run<?, ?> run, TaskListener listener, FilePath workspace, EnvVars env)
                throws Exception {
            CredentialsLookup credentials = new CredentialsLookup(CredentialsLookup.JENKINS);
            // guliPromote's own request: the same environments, credentials and checks
            EnvironmentRequest request =
                    step.request(run, env, workspace.getRemote(), GuliConfiguration.get(), credentials);
            Preview p = new OnAgent(request, step.getRollbackTo() != null, listener)
                    .masking(credentials.secrets())
                    .runOn(workspace);
            GuliEnvironmentsSummary.previewed(run, p);
            return answer(p);
        }
    }

    static Map<String, String> answer(Preview p) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("environment", p.environment());
        out.put("from", p.from());
        out.put("version", p.version());
        out.put("digest", p.digest());
        out.put("image", p.image());
        out.put("current", p.current() == null ? null : p.current().describe());
        out.put("currentVersion", p.current() == null ? null : p.current().version());
        out.put("currentDigest", p.current() == null ? null : p.current().digest());
        out.put("diff", p.configDiff());
        out.put("configState", p.configState());
        out.put("builtCommit", p.builtCommit());
        out.put(
                "commits",
                p.commits().commits().stream()
                        .map(GuliPromotionPreviewStep::line)
                        .collect(Collectors.joining("\n")));
        out.put("commitsNote", p.commits().note());
        out.put("message", p.text());
        return out;
    }

    /** "subject TAB author", as guliNotify's {@code commits} reads it back; a tab inside either becomes a space. */
    private static String line(Commit c) {
        return c.subject().replace('\t', ' ') + "\t" + c.author().replace('\t', ' ');
    }

    /** Runs on the workspace's agent: the checkout (manifests, configuration, tags) is there. */
    static final class OnAgent extends EngineOnAgent<Preview> {
        private static final long serialVersionUID = 1L;
        private final EnvironmentRequest request;
        private final boolean rollback;

        OnAgent(EnvironmentRequest request, boolean rollback, TaskListener listener) {
            super(listener, PREFIX);
            this.request = request;
            this.rollback = rollback;
        }

        @Override
        Preview call(File workspace, Log log) {
            return new PromotionPreview(log).run(request, rollback);
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "guliPromotionPreview";
        }

        @Override
        public String getDisplayName() {
            return Messages.get("GuliPromotionPreviewStep.DisplayName");
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class, FilePath.class, EnvVars.class);
        }
    }
}
