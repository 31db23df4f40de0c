package io.github.guli.jenkins;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.deploy.Deploy;
import io.github.guli.engine.deploy.DeployRequest;
import io.github.guli.engine.deploy.DeployResult;
import io.github.guli.engine.deploy.Kubeconfig;
import io.github.guli.engine.deploy.RolloutState;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * {@code guliDeployK8s}' execution, asynchronous and durable. {@code start} resolves the parameters on the controller
 * (where credentials live) and applies from the workspace's agent (the manifests are there, and so is the way to the
 * cluster); the rollout wait is then a short call to that agent every few seconds, scheduled on Jenkins' timer, so
 * no thread is held.
 * What was applied (each object's previous state, the deadline) is a field of this execution, saved with the
 * build's program: {@code onResume} looks again after a controller restart, until the same deadline, and rolls
 * back from it. The kubeconfig is not saved (each call looks the credentials up again for the run), nor is the
 * previous content of a Secret the deploy changed. This class' name is saved with running builds: renaming it stops
 * them from resuming.
 */
class GuliDeployK8sExecution extends RolloutStepExecution<RolloutState> {
    private static final long serialVersionUID = 1L;
    private static final String PREFIX = GuliDeployK8sStep.PREFIX;
    private final transient GuliDeployK8sStep step;
    private String credentialsId;
    /** What was applied, fit to be saved: no Secret's previous content. Null until the apply is done. */
    private RolloutState saved;
    /** The same with Secrets' previous content, while this controller runs: the rollback before a restart. */
    private transient RolloutState live;

    private volatile boolean over;

    GuliDeployK8sExecution(GuliDeployK8sStep step, StepContext context) {
        super(context, PREFIX);
        this.step = step;
    }

    /** An execution in the state {@link #start} leaves it: waiting for the rollout of what {@code applied} says. */
    GuliDeployK8sExecution(StepContext context, String credentialsId, RolloutState applied) {
        this(null, context);
        this.credentialsId = credentialsId;
        this.live = applied;
        this.saved = applied.withoutSecrets();
    }

    @Override
    public boolean start() throws Exception {
        Run<?, ?> run = context.get(Run.class);
        TaskListener listener = context.get(TaskListener.class);
        try {
            credentialsId = step.isDryRun()
                    ? null
                    : Blank.firstGiven(
                            step.getKubeconfigId(), GuliConfiguration.get().getKubeconfigCredentialsId());
            Kubeconfig kubeconfig = kubeconfig(run);
            DeployRequest request = new DeployRequest()
                    .workspace(context.get(FilePath.class).getRemote())
                    .configs(configs(context.get(EnvVars.class)))
                    .substitute(step.isEnableConfigSubstitution())
                    .env(context.get(EnvVars.class))
                    .kubeconfig(kubeconfig)
                    .context(step.getContext())
                    .namespace(step.getNamespace())
                    .waitForRollout(step.isWait())
                    .timeoutSeconds(step.getTimeout())
                    .rollbackOnFailure(step.isRollbackOnFailure())
                    .dryRun(step.isDryRun());
            if (step.isDryRun()) {
                context.onSuccess(result(run, onAgent(new OnAgent(request, listener))));
                return true;
            }
            live = onAgent(new ApplyOnAgent(request, listener));
            saved = live.withoutSecrets();
            if (over) { // aborted meanwhile: stop() ended the step, what was applied goes back
                log().info(rollBack("the build was aborted while the manifests were being applied"));
                return false;
            }
            if (live.workloads().isEmpty() && finish()) { // wait: false, or no workload: nothing to look at
                context.onSuccess(result(run, live.result()));
                return true;
            }
        } catch (GuliException e) {
            throw StepErrors.abort(PREFIX, e);
        }
        schedule(Duration.ZERO);
        return false;
    }

    private String configs(EnvVars env) {
        if (step.getConfigs() != null) {
            return step.getConfigs();
        }
        String module = Blank.firstGiven(step.getProjectName(), env.get("PROJECT_NAME"));
        if (module == null) {
            throw new GuliException("no manifests given: pass configs (e.g. configs: 'gulimall-auth-server/"
                    + "deploy/**') or projectName, or set PROJECT_NAME: <PROJECT_NAME>/deploy/** is the default");
        }
        return module + "/deploy/**";
    }

    @Override
    RolloutState applied() {
        return live != null ? live : saved;
    }

    @Override
    void looked(RolloutState looked) {
        if (live != null) {
            live = looked;
        }
        saved = looked.withoutSecrets();
    }

    @Override
    RolloutState rollout(RolloutState state) {
        return state;
    }

    @Override
    EngineOnAgent<RolloutState> pollOnAgent(RolloutState state, Run<?, ?> run) throws Exception {
        return new PollOnAgent(state, kubeconfig(run), context.get(TaskListener.class));
    }

    @Override
    EngineOnAgent<String> rollBackOnAgent(RolloutState state, String reason, Run<?, ?> run) throws Exception {
        return new RollBackOnAgent(state, kubeconfig(run), reason, context.get(TaskListener.class));
    }

    @Override
    boolean rollsBackFromController(Run<?, ?> run) {
        return kubeconfig(run) != null;
    }

    @Override
    Object result(Run<?, ?> run, RolloutState state) {
        return result(run, state.result());
    }

    @Override
    String notRolledBack(String reason, RolloutState state, Exception e) {
        DeployResult applied = state.result();
        return reason + "; NOT ROLLED BACK (" + e.getMessage() + "): check by hand what this deploy created "
                + applied.created() + " and changed " + applied.changed();
    }

    @Override
    String applying() {
        return "applying the manifests";
    }

    @Override
    boolean over() {
        return over;
    }

    @Override
    synchronized boolean finish() {
        boolean first = !over;
        over = true;
        return first;
    }

    private static Map<String, Object> result(Run<?, ?> run, DeployResult result) {
        GuliSummary.add(run, "guliDeployK8s", result.summary(), null);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dryRun", result.dryRun());
        out.put("created", new ArrayList<>(result.created()));
        out.put("changed", new ArrayList<>(result.changed()));
        out.put("unchanged", new ArrayList<>(result.unchanged()));
        out.put("rollout", result.rollout());
        out.put("warnings", result.warnings());
        return out;
    }

    /** The kubeconfig, looked up for the run at each use (never saved with the build); null for the agent's own. */
    Kubeconfig kubeconfig(Run<?, ?> run) {
        if (credentialsId == null) {
            return null;
        }
        return new Kubeconfig(
                "credentials '" + credentialsId + "'",
                new CredentialsLookup(CredentialsLookup.JENKINS).fileOrSecretText(credentialsId, run, "kubeconfig"));
    }

    @Override
    Collection<String> secrets(Run<?, ?> run) {
        Kubeconfig kubeconfig = kubeconfig(run);
        return kubeconfig == null ? Set.of() : MaskingOutputStream.secretsIn(kubeconfig.content());
    }

    /** A dry run, or a deploy that does not wait: the whole deploy at once, on the workspace's agent. */
    static final class OnAgent extends EngineOnAgent<DeployResult> {
        private static final long serialVersionUID = 1L;
        private final DeployRequest request;

        OnAgent(DeployRequest request, TaskListener listener) {
            super(listener, PREFIX);
            this.request = request;
        }

        @Override
        DeployResult call(File workspace, Log log) {
            return new Deploy(log, log).run(request);
        }
    }

    /** Validates and applies on the workspace's agent: the manifests are there, and so is the way to the cluster. */
    static final class ApplyOnAgent extends EngineOnAgent<RolloutState> {
        private static final long serialVersionUID = 1L;
        private final DeployRequest request;

        ApplyOnAgent(DeployRequest request, TaskListener listener) {
            super(listener, PREFIX);
            this.request = request;
        }

        @Override
        RolloutState call(File workspace, Log log) {
            return new Deploy(log, log).apply(request);
        }
    }

    /** One look at the rollout from the workspace's agent; returns the state as updated by the look. */
    static final class PollOnAgent extends EngineOnAgent<RolloutState> {
        private static final long serialVersionUID = 1L;
        private final RolloutState state;
        private final Kubeconfig kubeconfig;

        PollOnAgent(RolloutState state, Kubeconfig kubeconfig, TaskListener listener) {
            super(listener, PREFIX);
            this.state = state;
            this.kubeconfig = kubeconfig;
        }

        @Override
        RolloutState call(File workspace, Log log) {
            new Deploy(log, log).poll(state, kubeconfig);
            return state;
        }
    }

    /** The rollback from the workspace's agent; returns the failure's message (why, and what was put back). */
    static final class RollBackOnAgent extends EngineOnAgent<String> {
        private static final long serialVersionUID = 1L;
        private final RolloutState state;
        private final Kubeconfig kubeconfig;
        private final String reason;

        RollBackOnAgent(RolloutState state, Kubeconfig kubeconfig, String reason, TaskListener listener) {
            super(listener, PREFIX);
            this.state = state;
            this.kubeconfig = kubeconfig;
            this.reason = reason;
        }

        @Override
        String call(File workspace, Log log) {
            return new Deploy(log, log).rollBack(state, kubeconfig, reason).getMessage();
        }
    }
}
