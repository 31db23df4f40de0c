package io.github.guli.jenkins;

import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.build.ChangedServices;
import io.github.guli.engine.environment.Environment;
import io.github.guli.engine.maven.Reactor;
import io.github.guli.engine.pipeline.PipelineSettings;
import io.github.guli.engine.pipeline.SettingsRequest;
import io.github.guli.engine.pipeline.SinceRelease;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code guliSettings}: what the shared library's guliPipeline asks before and after checkout. It merges the
 * Jenkinsfile's map, the repository's guli.yaml (given as text: this step needs no workspace) and the global
 * configuration, checks them and the build parameters, and returns the plan: stages to run or skip and why, each
 * step's arguments, the approvals, the parameters form. All decisions are the engine's
 * ({@link PipelineSettings}); guliPipeline only runs them. After checkout (inside node, given {@code scm}) it reads
 * the services of the workspace's reactor on the agent for the PROJECT_NAME choices; with PROJECT_NAME
 * {@code (changed)} it also asks the agent which of them the commits since the last successful build changed
 * ({@link ChangedServices}: git history and the same reactor).
 */
public class GuliSettingsStep extends Step {
    static final String PREFIX = "[guliPipeline] ";
    /** The build parameters and variables the settings depend on. */
    static final List<String> ENV = List.of(
            "PROJECT_NAME",
            "PROJECT_VERSION",
            "DEPLOY",
            "BRANCH_NAME",
            "BUILD_NUMBER",
            "PROMOTE_TO",
            "PROMOTE_DIGEST",
            "ROLLBACK_TO",
            "ENVIRONMENT");

    private Map<String, Object> call;
    private String file;
    private Map<String, Object> scm;
    private String kind = PipelineSettings.MAVEN;
    private boolean returnFreeze;

    @DataBoundConstructor
    public GuliSettingsStep() {}

    public Map<String, Object> getCall() {
        return call;
    }

    @DataBoundSetter
    public void setCall(Map<String, Object> v) {
        call = v;
    }

    public String getFile() {
        return file;
    }

    @DataBoundSetter
    public void setFile(String v) {
        file = v;
    }

    public Map<String, Object> getScm() {
        return scm;
    }

    @DataBoundSetter
    public void setScm(Map<String, Object> v) {
        scm = v;
    }

    public String getKind() {
        return kind;
    }

    @DataBoundSetter
    public void setKind(String v) {
        kind = Blank.orDefault(v, PipelineSettings.MAVEN);
    }

    /** Whether a freeze's refusal is answered ({@code frozen}) instead of failing the step: the var sets the form first. */
    public boolean isReturnFreeze() {
        return returnFreeze;
    }

    @DataBoundSetter
    public void setReturnFreeze(boolean v) {
        returnFreeze = v;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    /** Runs on the controller; only the reactor's services and the (changed) comparison are read on the agent. */
    static final class Execution extends WorkspaceStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final transient GuliSettingsStep step;

        Execution(GuliSettingsStep step, StepContext context) {
            super(context, PREFIX);
            this.step = step;
        }

        /** {@code workspace} is null outside node. */
        @Override
        Map<String, Object> run(Run<?, ?> run, TaskListener listener, FilePath workspace, EnvVars env)
                throws Exception {
            // after checkout (scm given, inside node) the choices are the workspace's reactor, read on the agent
            // with the bounded pom reader, as (changed) reads it: the branch's pom.xml never reaches the controller
            List<String> services =
                    step.scm != null && workspace != null ? new Services(listener).runOn(workspace) : null;
            ChangedServices.Result changes = null;
            if (PipelineSettings.CHANGED.equals(Blank.toNull(env.get("PROJECT_NAME"))) && step.scm != null) {
                if (workspace == null) {
                    throw new GuliException("PROJECT_NAME " + PipelineSettings.CHANGED + " compares the commits in "
                            + "the workspace: call guliSettings inside node, after checkout");
                }
                Object previous = step.scm.get("GIT_PREVIOUS_SUCCESSFUL_COMMIT");
                changes = new Changes(
                                listener,
                                previous != null ? previous.toString() : env.get("GIT_PREVIOUS_SUCCESSFUL_COMMIT"),
                                env.get("CHANGE_TARGET"))
                        .runOn(workspace);
            }
            GuliConfiguration global = GuliConfiguration.get();
            // an environment naming a notifier that is not configured fails here, before any agent
            NotifierChoice.checkAll(global.getEnvironments(), global.getNotifiers());
            SettingsRequest request = request(
                    step,
                    run.getParent().getFullName(),
                    env,
                    global.getApprovers(),
                    global.getApprovalTimeoutMinutes(),
                    StepDescriptor.byFunctionName("lock") != null,
                    global.getContainer(),
                    services,
                    global.getConcurrency(),
                    changes,
                    global.getEnvironments().stream()
                            .map(GuliPromoteStep::withoutSecrets)
                            .toList(),
                    !global.getNotifiers().isEmpty());
            request.approvalPolicy(ApprovalPolicies.global(global))
                    .environmentPolicies(ApprovalPolicies.environments(global))
                    .sinceRelease(sinceRelease(step, env, workspace, listener));
            String build = run.getParent().getFullName() + "/" + run.getNumber();
            return FreezeOverride.resolve(
                    request,
                    env.get(FreezeOverride.PARAMETER),
                    run,
                    build,
                    People.jenkins(),
                    GuliAudit.dir(),
                    listener.getLogger());
        }
    }

    /**
     * After checkout, for the approvals of the build's own deploy and release: the commits since the last release of
     * the service picked (none for (changed), whose services each have their own), read on the agent.
     */
    static SinceRelease sinceRelease(
            GuliSettingsStep step, Map<String, String> env, FilePath workspace, TaskListener listener)
            throws Exception {
        Object service = Blank.toNull(env.get("PROJECT_NAME"));
        if (service == null && step.call != null) {
            service = step.call.get("service");
        }
        if (step.scm == null || workspace == null || service == null || PipelineSettings.CHANGED.equals(service)) {
            return null;
        }
        return new Since(listener, service.toString(), Blank.toNull(env.get("PROJECT_VERSION"))).runOn(workspace);
    }

    /** {@link SinceRelease} of a service, computed on the agent from the checkout's history and release tags. */
    static final class Since extends EngineOnAgent<SinceRelease> {
        private static final long serialVersionUID = 1L;
        private final String service;
        private final String releasing;

        Since(TaskListener listener, String service, String releasing) {
            super(listener, PREFIX);
            this.service = service;
            this.releasing = releasing;
        }

        @Override
        SinceRelease call(File workspace, Log log) {
            return SinceRelease.read(workspace, service, releasing);
        }
    }

    /**
     * The services the commits changed, computed on the agent: since the job's last successful build
     * (GIT_PREVIOUS_SUCCESSFUL_COMMIT), or for a pull request since the merge base with its target (CHANGE_TARGET).
     */
    static final class Changes extends EngineOnAgent<ChangedServices.Result> {
        private static final long serialVersionUID = 1L;
        private final String previousCommit;
        private final String changeTarget;

        Changes(TaskListener listener, String previousCommit, String changeTarget) {
            super(listener, PREFIX);
            this.previousCommit = previousCommit;
            this.changeTarget = changeTarget;
        }

        @Override
        ChangedServices.Result call(File workspace, Log log) {
            return ChangedServices.compute(new ChangedServices.Request(workspace, previousCommit, changeTarget));
        }
    }

    /** The services of the workspace's reactor, read on the agent: the PROJECT_NAME choices; null without a pom.xml. */
    static final class Services extends EngineOnAgent<ArrayList<String>> {
        private static final long serialVersionUID = 1L;

        Services(TaskListener listener) {
            super(listener, PREFIX);
        }

        @Override
        ArrayList<String> call(File workspace, Log log) {
            if (!new File(workspace, "pom.xml").exists()) {
                return null; // not a Maven repository (a front-end one): no services to choose from
            }
            return new ArrayList<>(Reactor.read(workspace).serviceNames());
        }
    }

    /** The engine call, apart from Jenkins' singletons so a test can make it. */
    static Map<String, Object> resolve(
            GuliSettingsStep step,
            String jobFullName,
            Map<String, String> env,
            String approvers,
            int approvalTimeoutMinutes,
            boolean lockAvailable) {
        return resolve(
                step,
                jobFullName,
                env,
                approvers,
                approvalTimeoutMinutes,
                lockAvailable,
                null,
                null,
                null,
                null,
                List.of(),
                false);
    }

    /**
     * @param jobFullName the build's job, {@code folder/job}: the lock names carry it
     * @param services the workspace's services ({@link Services}), or null outside node
     * @param concurrency the global configuration's concurrency, or null
     * @param environments the admins' environments, their secrets not looked up: PROMOTE_TO and ROLLBACK_TO
     * @param notifiers whether the admins configured notifiers: each approval then calls guliNotify
     */
    static Map<String, Object> resolve(
            GuliSettingsStep step,
            String jobFullName,
            Map<String, String> env,
            String approvers,
            int approvalTimeoutMinutes,
            boolean lockAvailable,
            String container,
            List<String> services,
            String concurrency,
            ChangedServices.Result changes,
            List<Environment> environments,
            boolean notifiers) {
        return PipelineSettings.resolve(request(
                step,
                jobFullName,
                env,
                approvers,
                approvalTimeoutMinutes,
                lockAvailable,
                container,
                services,
                concurrency,
                changes,
                environments,
                notifiers));
    }

    /** The engine's request, the approval policies and the freeze override still to add. */
    static SettingsRequest request(
            GuliSettingsStep step,
            String jobFullName,
            Map<String, String> env,
            String approvers,
            int approvalTimeoutMinutes,
            boolean lockAvailable,
            String container,
            List<String> services,
            String concurrency,
            ChangedServices.Result changes,
            List<Environment> environments,
            boolean notifiers) {
        Map<String, String> vars = new LinkedHashMap<>();
        for (String name : ENV) {
            if (env.get(name) != null) {
                vars.put(name, env.get(name));
            }
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("approvers", approvers);
        settings.put("approvalTimeoutMinutes", String.valueOf(approvalTimeoutMinutes));
        settings.put("container", container);
        settings.put("concurrency", concurrency);
        Map<String, String> scm = null;
        if (step.scm != null) {
            scm = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : step.scm.entrySet()) {
                scm.put(e.getKey(), e.getValue() == null ? null : e.getValue().toString());
            }
        }
        return new SettingsRequest()
                .call(step.call)
                .file(step.file)
                .services(services)
                .scm(scm)
                .env(vars)
                .global(settings)
                .kind(step.kind)
                .lockAvailable(lockAvailable)
                .jobFullName(jobFullName)
                .changes(changes)
                .environments(environments)
                .notifiers(notifiers)
                .returnFreeze(step.returnFreeze);
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "guliSettings";
        }

        @Override
        public String getDisplayName() {
            return Messages.get("GuliSettingsStep.DisplayName");
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(EnvVars.class, Run.class);
        }

        /** The shared library calls it; pipeline authors call guliPipeline. */
        @Override
        public boolean isAdvanced() {
            return true;
        }
    }
}
