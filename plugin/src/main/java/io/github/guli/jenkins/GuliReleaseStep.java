package io.github.guli.jenkins;

import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.registry.ImageRef;
import io.github.guli.engine.registry.RegistryEndpoint;
import io.github.guli.engine.release.Release;
import io.github.guli.engine.release.ReleaseCheck;
import io.github.guli.engine.release.ReleaseRequest;
import io.github.guli.engine.release.ReleaseResult;
import io.github.guli.engine.release.ReleaseVersion;
import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
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
 * {@code guliRelease}: tags the built image with the release version in the registry and pushes the annotated
 * git tag {@code <PROJECT_NAME>-<PROJECT_VERSION>}. Every parameter is optional: the project and version default
 * to the build parameters PROJECT_NAME and PROJECT_VERSION, the rest to Manage Jenkins > System.
 * Returns a map: version, image, digest, imageOutcome, gitTag, gitOutcome. With {@code checkOnly: true} it changes
 * nothing and fails when the version is taken (run right after checkout, before the image exists); it returns
 * version, image, imageDigest, gitTag, commit.
 */
public class GuliReleaseStep extends Step {
    static final String PREFIX = "[guliRelease] ";

    private String projectName;
    private String projectVersion;
    private String registry;
    private String namespace;
    private String sourceTag;
    private String digest;
    private String configRecord;
    private String registryCredentialsId;
    private String gitCredentialsId;
    private String gitRemote;
    private String commit;
    private boolean tagImage = true;
    private boolean tagGit = true;
    private String taggerName;
    private String taggerEmail;
    private boolean checkOnly;

    @DataBoundConstructor
    public GuliReleaseStep() {}

    public String getProjectName() {
        return projectName;
    }

    @DataBoundSetter
    public void setProjectName(String v) {
        projectName = Blank.toNull(v);
    }

    public String getProjectVersion() {
        return projectVersion;
    }

    @DataBoundSetter
    public void setProjectVersion(String v) {
        projectVersion = Blank.toNull(v);
    }

    public String getRegistry() {
        return registry;
    }

    @DataBoundSetter
    public void setRegistry(String v) {
        registry = Blank.toNull(v);
    }

    public String getNamespace() {
        return namespace;
    }

    @DataBoundSetter
    public void setNamespace(String v) {
        namespace = Blank.toNull(v);
    }

    public String getSourceTag() {
        return sourceTag;
    }

    @DataBoundSetter
    public void setSourceTag(String v) {
        sourceTag = Blank.toNull(v);
    }

    /** The image to release by digest (what a promotion deployed), instead of sourceTag. */
    public String getDigest() {
        return digest;
    }

    @DataBoundSetter
    public void setDigest(String v) {
        digest = Blank.toNull(v);
    }

    /** The configuration the promotion published (guliPromote's {@code config}), a line each, for the tag's message. */
    public String getConfigRecord() {
        return configRecord;
    }

    @DataBoundSetter
    public void setConfigRecord(String v) {
        configRecord = Blank.toNull(v);
    }

    public String getRegistryCredentialsId() {
        return registryCredentialsId;
    }

    @DataBoundSetter
    public void setRegistryCredentialsId(String v) {
        registryCredentialsId = Blank.toNull(v);
    }

    public String getGitCredentialsId() {
        return gitCredentialsId;
    }

    @DataBoundSetter
    public void setGitCredentialsId(String v) {
        gitCredentialsId = Blank.toNull(v);
    }

    public String getGitRemote() {
        return gitRemote;
    }

    @DataBoundSetter
    public void setGitRemote(String v) {
        gitRemote = Blank.toNull(v);
    }

    public String getCommit() {
        return commit;
    }

    @DataBoundSetter
    public void setCommit(String v) {
        commit = Blank.toNull(v);
    }

    public boolean isTagImage() {
        return tagImage;
    }

    @DataBoundSetter
    public void setTagImage(boolean v) {
        tagImage = v;
    }

    public boolean isTagGit() {
        return tagGit;
    }

    @DataBoundSetter
    public void setTagGit(boolean v) {
        tagGit = v;
    }

    public String getTaggerName() {
        return taggerName;
    }

    @DataBoundSetter
    public void setTaggerName(String v) {
        taggerName = Blank.toNull(v);
    }

    public String getTaggerEmail() {
        return taggerEmail;
    }

    @DataBoundSetter
    public void setTaggerEmail(String v) {
        taggerEmail = Blank.toNull(v);
    }

    public boolean isCheckOnly() {
        return checkOnly;
    }

    @DataBoundSetter
    public void setCheckOnly(boolean v) {
        checkOnly = v;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    /** Resolves the parameters on the controller, where credentials live, then releases on the workspace's agent. */
    static final class Execution extends WorkspaceStepExecution<Map<String, String>> {
        private static final long serialVersionUID = 1L;
        private final transient GuliReleaseStep step;

        Execution(GuliReleaseStep step, StepContext context) {
            super(context, PREFIX);
            this.step = step;
        }

        @Override
        Map<String, String> run(Run<?, ?> run, TaskListener listener, FilePath workspace, EnvVars env)
                throws Exception {
            CredentialsLookup credentials = new CredentialsLookup(CredentialsLookup.JENKINS);
            ReleaseRequest request = request(run, env, workspace.getRemote(), GuliConfiguration.get(), credentials);
            Map<String, String> out = new LinkedHashMap<>();
            if (step.checkOnly) {
                ReleaseCheck check = new OnAgent(request, true, listener)
                        .masking(credentials.secrets())
                        .runOn(workspace)
                        .check();
                out.put("version", check.version());
                out.put("image", check.image());
                out.put("imageDigest", check.imageDigest());
                out.put("gitTag", check.gitTag());
                out.put("commit", check.commit());
                return out;
            }
            ReleaseResult result = new OnAgent(request, false, listener)
                    .masking(credentials.secrets())
                    .runOn(workspace)
                    .result();
            listener.getLogger().println(PREFIX + result.summary());
            GuliSummary.add(run, "guliRelease", result.summary(), null);
            out.put("version", result.version());
            out.put("image", result.image());
            out.put("digest", result.digest());
            out.put("imageOutcome", result.imageOutcome());
            out.put("gitTag", result.gitTag());
            out.put("gitOutcome", result.gitOutcome());
            return out;
        }

        /**
         * The release this step asks for: each value from the step, else the build's environment (PROJECT_NAME,
         * PROJECT_VERSION, BRANCH_NAME and BUILD_NUMBER for the source tag, the checkout's GIT_URL and GIT_COMMIT),
         * else the global configuration (registry, namespace, credentials IDs); credentials looked up for the run.
         *
         * @param workspace the workspace's path on its agent: the working tree to tag
         */
        ReleaseRequest request(
                Run<?, ?> run, EnvVars env, String workspace, GuliConfiguration global, CredentialsLookup credentials) {
            String version = Blank.firstGiven(step.projectVersion, env.get("PROJECT_VERSION"));
            ReleaseVersion.parse(version); // a bad version fails before any credentials are looked up
            String remote = Blank.firstGiven(step.gitRemote, env.get("GIT_URL"));
            if (step.tagGit && remote == null) {
                throw new GuliException("no repository URL to push the git tag to: give gitRemote (guliPipeline "
                        + "passes the URL its checkout reported), or tagGit: false. The workspace's .git/config is "
                        + "not read: the build can rewrite it");
            }
            ReleaseRequest r = new ReleaseRequest()
                    .projectName(Blank.firstGiven(step.projectName, env.get("PROJECT_NAME")))
                    .projectVersion(version)
                    .registry(Blank.firstGiven(step.registry, global.getRegistry()))
                    .namespace(Blank.firstGiven(step.namespace, global.getNamespace()))
                    .tagImage(step.tagImage)
                    .taggerName(step.taggerName)
                    .taggerEmail(step.taggerEmail);
            GuliAudit audit = run.getAction(GuliAudit.class);
            if (audit != null) {
                r.approvals(audit.jsonLines()); // who approved travels with the code, in the tag message
            }
            if (step.tagImage) {
                r.sourceTag(step.checkOnly || step.digest != null ? null : sourceTag(env))
                        .sourceDigest(step.digest)
                        .registryCredentials(credentials.usernamePassword(
                                Blank.firstGiven(step.registryCredentialsId, global.getRegistryCredentialsId()),
                                run,
                                "registry"));
            }
            if (step.configRecord != null) {
                r.configRecord(java.util.Arrays.stream(step.configRecord.split("\\r?\\n"))
                        .filter(l -> !l.isBlank())
                        .toList());
            }
            if (step.tagGit) {
                r.gitDir(workspace)
                        .gitRemote(remote)
                        .commit(Blank.firstGiven(step.commit, env.get("GIT_COMMIT")))
                        .gitCredentials(credentials.usernamePassword(
                                Blank.firstGiven(step.gitCredentialsId, global.getGitCredentialsId()), run, "git"));
            }
            return r;
        }

        /** The course's tag, SNAPSHOT-BRANCH-BUILD, unless one is given. */
        private String sourceTag(EnvVars env) {
            if (step.sourceTag != null) {
                return step.sourceTag;
            }
            String branch = Blank.firstGiven(env.get("BRANCH_NAME"));
            if (branch == null) {
                throw new GuliException("cannot tell which image tag to release: BRANCH_NAME is not set "
                        + "(not a multibranch job). Give sourceTag, e.g. guliRelease(sourceTag: 'SNAPSHOT-master-'"
                        + " + env.BUILD_NUMBER)");
            }
            return ImageRef.snapshotTag(branch, env.get("BUILD_NUMBER"));
        }
    }

    /** What ran on the agent: the check's answer, or the release's. */
    record Answer(ReleaseCheck check, ReleaseResult result) implements java.io.Serializable {}

    /** Runs on the agent that holds the workspace: the git tag is made (or looked up) in that working tree. */
    static final class OnAgent extends EngineOnAgent<Answer> {
        private static final long serialVersionUID = 1L;
        private final ReleaseRequest request;
        private final boolean checkOnly;

        OnAgent(ReleaseRequest request, boolean checkOnly, TaskListener listener) {
            super(listener, PREFIX);
            this.request = request;
            this.checkOnly = checkOnly;
        }

        @Override
        Answer call(File workspace, Log log) {
            Release release = new Release(log);
            return checkOnly ? new Answer(release.check(request), null) : new Answer(null, release.run(request));
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "guliRelease";
        }

        @Override
        public String getDisplayName() {
            return Messages.get("GuliReleaseStep.DisplayName");
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class, FilePath.class, EnvVars.class);
        }

        // Form methods (Snippet Generator, job configuration): POST only, and only for who may configure the job.

        @POST
        public FormValidation doCheckProjectVersion(@AncestorInPath Item item, @QueryParameter String value) {
            // ${...} is resolved at run time; only a literal can be checked here
            return value != null && value.contains("$")
                    ? FormValidation.ok()
                    : Forms.check(item, value, () -> ReleaseVersion.parse(value));
        }

        @POST
        public FormValidation doCheckRegistry(@AncestorInPath Item item, @QueryParameter String value) {
            return Forms.check(item, value, () -> RegistryEndpoint.parse(value));
        }

        @POST
        public FormValidation doCheckSourceTag(@AncestorInPath Item item, @QueryParameter String value) {
            return value != null && value.contains("$")
                    ? FormValidation.ok()
                    : Forms.check(item, value, () -> ImageRef.checkTag(value));
        }

        @POST
        public ListBoxModel doFillRegistryCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String registryCredentialsId) {
            return Forms.credentials(item, registryCredentialsId, StandardUsernamePasswordCredentials.class);
        }

        @POST
        public ListBoxModel doFillGitCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String gitCredentialsId) {
            return Forms.credentials(item, gitCredentialsId, StandardUsernamePasswordCredentials.class);
        }
    }
}
