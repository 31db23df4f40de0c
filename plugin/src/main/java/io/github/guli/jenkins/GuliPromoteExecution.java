package io.github.guli.jenkins;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.UsernamePassword;
import io.github.guli.engine.deploy.Deploy;
import io.github.guli.engine.deploy.Kubeconfig;
import io.github.guli.engine.deploy.RolloutState;
import io.github.guli.engine.environment.EnvironmentRequest;
import io.github.guli.engine.environment.EnvironmentResult;
import io.github.guli.engine.environment.PinnedRollout;
import io.github.guli.engine.environment.Promotion;
import io.github.guli.engine.environment.RollbackTo;
import java.io.File;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * {@code guliPromote}'s execution, asynchronous and durable like guliDeployK8s' ({@link RolloutStepExecution}):
 * {@code start} resolves the environments and credentials on the controller, then checks, publishes the target's
 * configuration and applies from the workspace's agent; the rollout wait is a look every few seconds on Jenkins'
 * timer. What was applied ({@link PinnedRollout#withoutSecrets}: the objects' previous state, the deadline, and of
 * the Nacos configuration each dataId's MD5, never its content) is a field of this execution, saved with the build's
 * program, so a restart resumes the wait and a failure or an abort after it puts back the image and the configuration
 * (the content found again in Nacos' history). The kubeconfig and the Nacos login are looked up again by their IDs at
 * each use, never saved. This class' name is saved with running builds: renaming it stops them from resuming.
 */
class GuliPromoteExecution extends RolloutStepExecution<PinnedRollout> {
    private static final long serialVersionUID = 1L;
    private static final String PREFIX = GuliPromoteStep.PREFIX;
    private final transient GuliPromoteStep step;
    private String service;
    private boolean rollback;
    private String kubeconfigId;
    private String nacosCredentialsId;
    /** What was applied, fit to be saved. Null until the apply is done. */
    private PinnedRollout saved;
    /** The same with the previous configuration's content and Secrets', while this controller runs. */
    private transient PinnedRollout live;

    private volatile boolean over;

    GuliPromoteExecution(GuliPromoteStep step, StepContext context) {
        super(context, PREFIX);
        this.step = step;
    }

    /** An execution in the state {@link #start} leaves it: waiting for the rollout of what {@code applied} says. */
    GuliPromoteExecution(
            StepContext context,
            String service,
            boolean rollback,
            String kubeconfigId,
            String nacosCredentialsId,
            PinnedRollout applied) {
        this(null, context);
        this.service = service;
        this.rollback = rollback;
        this.kubeconfigId = kubeconfigId;
        this.nacosCredentialsId = nacosCredentialsId;
        this.live = applied;
        this.saved = applied.withoutSecrets();
    }

    @Override
    public boolean start() throws Exception {
        Run<?, ?> run = context.get(Run.class);
        TaskListener listener = context.get(TaskListener.class);
        try {
            GuliConfiguration global = GuliConfiguration.get();
            CredentialsLookup credentials = new CredentialsLookup(CredentialsLookup.JENKINS);
            EnvironmentRequest request = step.request(
                    run, context.get(EnvVars.class), context.get(FilePath.class).getRemote(), global, credentials);
            service = step.getService();
            rollback = step.getRollbackTo() != null;
            for (GuliEnvironment g : global.getEnvironments()) {
                if (g.getName().equals(step.getTo())) {
                    kubeconfigId = GuliPromoteStep.kubeconfigId(global, g);
                    nacosCredentialsId = g.getNacosCredentialsId();
                }
            }
            live = onAgent(new ApplyOnAgent(request, rollback, listener).masking(credentials.secrets()));
            saved = live.withoutSecrets();
            if (over) { // aborted meanwhile: stop() ended the step, what was applied goes back
                log().info(rollBack("the build was aborted while the promotion was being applied"));
                return false;
            }
            if (live.rollout().workloads().isEmpty() && finish()) {
                context.onSuccess(result(run, live));
                return true;
            }
        } catch (GuliException e) {
            throw StepErrors.abort(PREFIX, e);
        }
        schedule(Duration.ZERO);
        return false;
    }

    @Override
    PinnedRollout applied() {
        return live != null ? live : saved;
    }

    @Override
    void looked(PinnedRollout looked) {
        if (live != null) {
            live = looked;
        }
        saved = looked.withoutSecrets();
    }

    @Override
    RolloutState rollout(PinnedRollout state) {
        return state.rollout();
    }

    @Override
    EngineOnAgent<PinnedRollout> pollOnAgent(PinnedRollout state, Run<?, ?> run) throws Exception {
        return new PollOnAgent(state, kubeconfig(run), context.get(TaskListener.class));
    }

    @Override
    EngineOnAgent<String> rollBackOnAgent(PinnedRollout state, String reason, Run<?, ?> run) throws Exception {
        return new RollBackOnAgent(state, kubeconfig(run), nacosLogin(run), reason, context.get(TaskListener.class));
    }

    @Override
    boolean rollsBackFromController(Run<?, ?> run) {
        return kubeconfig(run) != null;
    }

    @Override
    Object result(Run<?, ?> run, PinnedRollout state) {
        EnvironmentResult result = state.result();
        log().info((rollback ? "rolled " + service + " back: " : "promoted " + service + ": ") + result.summary());
        GuliSummary.add(run, "guliPromote", result.summary(), null);
        GuliEnvironmentsSummary.deployed(run, result);
        Map<String, String> out = new LinkedHashMap<>();
        out.put("environment", result.environment());
        out.put("version", result.version());
        out.put("digest", result.digest());
        out.put("image", result.image());
        out.put("replaced", result.replaced() == null ? null : result.replaced().describe());
        out.put("config", result.config() == null ? null : result.config().toString());
        return out;
    }

    @Override
    String notRolledBack(String reason, PinnedRollout state, Exception e) {
        return reason + "; NOT ROLLED BACK (" + e.getMessage() + "): check by hand environment '"
                + state.environment() + "' (this deploy changed "
                + state.rollout().result().changed() + ", created "
                + state.rollout().result().created() + ") and its Nacos configuration";
    }

    @Override
    String applying() {
        return "applying the promotion";
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

    /** The target's kubeconfig, looked up for the run at each use (never saved); null for the agent's own. */
    Kubeconfig kubeconfig(Run<?, ?> run) {
        return GuliPromoteStep.kubeconfig(
                kubeconfigId, applied().environment(), run, new CredentialsLookup(CredentialsLookup.JENKINS));
    }

    /** The target's Nacos login, looked up for the run at each use (never saved); null without one. */
    UsernamePassword nacosLogin(Run<?, ?> run) {
        return GuliPromoteStep.nacosLogin(
                nacosCredentialsId, applied().environment(), run, new CredentialsLookup(CredentialsLookup.JENKINS));
    }

    @Override
    Collection<String> secrets(Run<?, ?> run) {
        if (applied() == null) {
            return Set.of();
        }
        Set<String> secrets = new LinkedHashSet<>();
        Kubeconfig kubeconfig = kubeconfig(run);
        if (kubeconfig != null) {
            secrets.addAll(MaskingOutputStream.secretsIn(kubeconfig.content()));
        }
        UsernamePassword nacos = nacosLogin(run);
        if (nacos != null) {
            secrets.add(nacos.password());
        }
        return secrets;
    }

    /** Checks, publishes and applies on the workspace's agent: the manifests are there, and the way to both clusters. */
    static final class ApplyOnAgent extends EngineOnAgent<PinnedRollout> {
        private static final long serialVersionUID = 1L;
        private final EnvironmentRequest request;
        private final boolean rollback;

        ApplyOnAgent(EnvironmentRequest request, boolean rollback, TaskListener listener) {
            super(listener, PREFIX);
            this.request = request;
            this.rollback = rollback;
        }

        @Override
        PinnedRollout call(File workspace, Log log) {
            return rollback ? new RollbackTo(log).apply(request) : new Promotion(log).apply(request);
        }
    }

    /** One look at the target's rollout from the workspace's agent; returns the state as updated by the look. */
    static final class PollOnAgent extends EngineOnAgent<PinnedRollout> {
        private static final long serialVersionUID = 1L;
        private final PinnedRollout state;
        private final Kubeconfig kubeconfig;

        PollOnAgent(PinnedRollout state, Kubeconfig kubeconfig, TaskListener listener) {
            super(listener, PREFIX);
            this.state = state;
            this.kubeconfig = kubeconfig;
        }

        @Override
        PinnedRollout call(File workspace, Log log) {
            state.poll(new Deploy(log, log), kubeconfig);
            return state;
        }
    }

    /** Puts back the image and the configuration; returns the failure's message (why, and what was put back). */
    static final class RollBackOnAgent extends EngineOnAgent<String> {
        private static final long serialVersionUID = 1L;
        private final PinnedRollout state;
        private final Kubeconfig kubeconfig;
        private final UsernamePassword nacosLogin;
        private final String reason;

        RollBackOnAgent(
                PinnedRollout state,
                Kubeconfig kubeconfig,
                UsernamePassword nacosLogin,
                String reason,
                TaskListener listener) {
            super(listener, PREFIX);
            this.state = state;
            this.kubeconfig = kubeconfig;
            this.nacosLogin = nacosLogin;
            this.reason = reason;
        }

        @Override
        String call(File workspace, Log log) {
            return state.rollBack(new Deploy(log, log), log, kubeconfig, nacosLogin, reason)
                    .getMessage();
        }
    }
}
