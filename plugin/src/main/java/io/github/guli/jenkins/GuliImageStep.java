package io.github.guli.jenkins;

import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.ListBoxModel;
import io.github.guli.engine.Blank;
import io.github.guli.engine.Log;
import io.github.guli.engine.UsernamePassword;
import io.github.guli.engine.image.GeneratedImage;
import io.github.guli.engine.image.ImageBuild;
import io.github.guli.engine.image.ImageRequest;
import io.github.guli.engine.image.ImageResult;
import io.github.guli.engine.image.ImageTags;
import io.github.guli.engine.image.LayerCache;
import io.github.guli.engine.process.Commands;
import java.io.File;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
 * {@code guliImage}: builds the service image: a module's Dockerfile with the Docker engine of the agent, a Spring
 * Boot module without one as a layered image assembled from its jar and pushed with no Docker engine (or with the
 * engine from a generated Dockerfile, {@code daemon: true}), tags it {@code SNAPSHOT-<branch>-<build>} and {@code latest}
 * plus any given tags, and pushes it. Every parameter is optional. Returns a map: image, tags, digest, pinned
 * ({@code image@digest}, for the deploy step), imageId, dockerfile, layers, savedTo.
 */
public class GuliImageStep extends Step {
    static final String PREFIX = "[guliImage] ";

    private String projectName;
    private String module;
    private String dockerfile;
    private String jar;
    private String registry;
    private String namespace;
    private String registryCredentialsId;
    private List<String> tags = List.of();
    private boolean latest = true;
    private boolean push = true;
    private String saveTo;
    private String baseImage;
    private int port = GeneratedImage.DEFAULT_PORT;
    private String profile = GeneratedImage.DEFAULT_PROFILE;
    private String javaOptions = GeneratedImage.DEFAULT_JAVA_OPTIONS;
    private boolean daemon;

    @DataBoundConstructor
    public GuliImageStep() {}

    public String getProjectName() {
        return projectName;
    }

    @DataBoundSetter
    public void setProjectName(String v) {
        projectName = Blank.toNull(v);
    }

    public String getModule() {
        return module;
    }

    @DataBoundSetter
    public void setModule(String v) {
        module = Blank.toNull(v);
    }

    public String getDockerfile() {
        return dockerfile;
    }

    @DataBoundSetter
    public void setDockerfile(String v) {
        dockerfile = Blank.toNull(v);
    }

    public String getJar() {
        return jar;
    }

    @DataBoundSetter
    public void setJar(String v) {
        jar = Blank.toNull(v);
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

    public String getRegistryCredentialsId() {
        return registryCredentialsId;
    }

    @DataBoundSetter
    public void setRegistryCredentialsId(String v) {
        registryCredentialsId = Blank.toNull(v);
    }

    public List<String> getTags() {
        return tags;
    }

    @DataBoundSetter
    public void setTags(List<String> v) {
        tags = v == null ? List.of() : new ArrayList<>(v);
    }

    public boolean isLatest() {
        return latest;
    }

    @DataBoundSetter
    public void setLatest(boolean v) {
        latest = v;
    }

    public boolean isPush() {
        return push;
    }

    @DataBoundSetter
    public void setPush(boolean v) {
        push = v;
    }

    public String getSaveTo() {
        return saveTo;
    }

    @DataBoundSetter
    public void setSaveTo(String v) {
        saveTo = Blank.toNull(v);
    }

    public String getBaseImage() {
        return baseImage;
    }

    @DataBoundSetter
    public void setBaseImage(String v) {
        baseImage = Blank.toNull(v);
    }

    public int getPort() {
        return port;
    }

    @DataBoundSetter
    public void setPort(int v) {
        port = v;
    }

    public String getProfile() {
        return profile;
    }

    @DataBoundSetter
    public void setProfile(String v) {
        profile = v == null ? null : v.trim();
    }

    public String getJavaOptions() {
        return javaOptions;
    }

    @DataBoundSetter
    public void setJavaOptions(String v) {
        javaOptions = v == null ? null : v.trim();
    }

    public boolean isDaemon() {
        return daemon;
    }

    @DataBoundSetter
    public void setDaemon(boolean v) {
        daemon = v;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    /** Resolves the parameters on the controller, where credentials live, then builds on the workspace's agent. */
    static final class Execution extends WorkspaceStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final transient GuliImageStep step;

        Execution(GuliImageStep step, StepContext context) {
            super(context, PREFIX);
            this.step = step;
        }

        @Override
        Map<String, Object> run(Run<?, ?> run, TaskListener listener, FilePath workspace, EnvVars env)
                throws Exception {
            CredentialsLookup credentials = new CredentialsLookup(CredentialsLookup.JENKINS);
            ImageRequest request =
                    request(run, env, GuliConfiguration.get(), credentials).workspace(workspace.getRemote());
            String layersKey = GuliUpstreamDigests.key(
                            run.getParent().getFullName(),
                            Blank.firstGiven(env.get("BRANCH_NAME"), env.get("GIT_BRANCH")))
                    + " image " + request.name();
            Built built = new OnAgent(
                            request,
                            commands(workspace, LaunchRules.DOCKER, credentials.secrets()),
                            listener,
                            GuliUpstreamDigests.recorded(run, layersKey))
                    .masking(credentials.secrets())
                    .runOn(workspace);
            if (built.layerDigests() != null) {
                GuliUpstreamDigests.record(run, layersKey, built.layerDigests());
            }
            ImageResult result = built.result();
            listener.getLogger().println(PREFIX + result.summary());
            GuliSummary.add(run, "guliImage", result.summary(), null);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("image", result.image());
            out.put("tags", new ArrayList<>(result.tags()));
            out.put("digest", result.digest());
            out.put("pinned", result.pinned());
            out.put("imageId", result.imageId());
            out.put("dockerfile", result.dockerfile());
            out.put("layers", new ArrayList<>(result.layers()));
            out.put("savedTo", result.savedTo());
            return out;
        }

        /**
         * What to build, from the step's fields, the build's environment (PROJECT_NAME, the branch and build number
         * of the snapshot tag) and the global configuration. Where the image goes and with which login come from the
         * step or the global configuration only, never from the environment; the login is looked up only to push.
         * The workspace is left to the caller, which knows the agent's.
         */
        ImageRequest request(Run<?, ?> run, EnvVars env, GuliConfiguration global, CredentialsLookup credentials) {
            List<String> tags = ImageTags.of(
                    Blank.firstGiven(env.get("BRANCH_NAME"), env.get("GIT_BRANCH")),
                    env.get("BUILD_NUMBER"),
                    step.latest,
                    step.tags);
            String loginId = Blank.firstGiven(step.registryCredentialsId, global.getRegistryCredentialsId());
            UsernamePassword login = step.push ? credentials.usernamePassword(loginId, run, "registry") : null;
            return new ImageRequest()
                    .module(step.module)
                    .dockerfile(step.dockerfile)
                    .jar(step.jar)
                    .name(Blank.firstGiven(step.projectName, env.get("PROJECT_NAME")))
                    .registry(Blank.firstGiven(step.registry, global.getRegistry()))
                    .namespace(Blank.firstGiven(step.namespace, global.getNamespace()))
                    .tags(tags)
                    .credentials(login)
                    .allowedBaseImages(
                            Blank.isBlank(global.getAllowedBaseImages())
                                    ? List.of()
                                    : List.of(global.getAllowedBaseImages().split("\\R")))
                    .push(step.push)
                    .saveTo(step.saveTo)
                    .generated(new GeneratedImage(
                            Blank.firstGiven(step.baseImage, global.getBaseImage()),
                            step.port,
                            step.profile,
                            step.javaOptions,
                            step.daemon))
                    .env(env);
        }
    }

    /** The image, and the digests of the layers kept on the agent (for the controller to record; null: none). */
    record Built(ImageResult result, Map<String, String> layerDigests) implements Serializable {}

    /**
     * Runs on the agent that holds the workspace, with that agent's Docker engine. A generated image's layers are
     * kept beside the workspace ({@link LayerCache#in}), reused only with the digests the controller recorded.
     */
    static final class OnAgent extends EngineOnAgent<Built> {
        private static final long serialVersionUID = 1L;
        private final ImageRequest request;
        private final Commands commands;
        private final TreeMap<String, String> recorded;

        OnAgent(ImageRequest request, Commands commands, TaskListener listener, Map<String, String> recorded) {
            super(listener, PREFIX);
            this.request = request;
            this.commands = commands;
            this.recorded = new TreeMap<>(recorded);
        }

        @Override
        Built call(File workspace, Log log) {
            Path kept = LayerCache.in(workspace.toPath(), request.name());
            ImageBuild build = new ImageBuild(log, commands);
            ImageResult r = build.run(request.layerCache(kept.toString(), recorded));
            return new Built(r, build.layerDigests() == null ? null : new TreeMap<>(build.layerDigests()));
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @POST
        public ListBoxModel doFillRegistryCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String registryCredentialsId) {
            return Forms.credentials(item, registryCredentialsId, StandardUsernamePasswordCredentials.class);
        }

        @Override
        public String getFunctionName() {
            return "guliImage";
        }

        @Override
        public String getDisplayName() {
            return Messages.get("GuliImageStep.DisplayName");
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class, FilePath.class, EnvVars.class, Launcher.class);
        }
    }
}
