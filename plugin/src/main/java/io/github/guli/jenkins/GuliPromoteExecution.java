package io.github.guli.jenkins;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.UsernamePassword;
import io.github.guli.engine.deploy.Kubeconfig;
import io.github.guli.engine.deploy.RolloutState;
import io.github.guli.engine.environment.ApplyJournal;
import io.github.guli.engine.environment.EnvironmentRequest;
import io.github.guli.engine.environment.EnvironmentResult;
import io.github.guli.engine.environment.PinnedRollout;
import io.github.guli.engine.environment.PutBack;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * {@code guliPromote}'s execution, asynchronous and durable like guliDeployK8s' ({@link RolloutStepExecution}):
 * {@code start} resolves the environments and credentials on the controller; then, on Jenkins' timer (not the
 * Pipeline's thread, which saves the build), the workspace's agent checks, publishes the target's configuration and
 * applies; the rollout wait is a look every few seconds on the timer. Before the apply's first change, what it would
 * have to put back ({@link PutBack}: no content, no secret) is a field of this execution and the build is saved, so a
 * restart during the apply puts that back and fails the step. What was applied ({@link PinnedRollout#withoutSecrets}: the objects' previous state, the deadline, and of
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
    private String registryCredentialsId;
    /** What the apply would have to put back, recorded before its first change. Null until then. */
    private volatile PutBack putBack;
    /** What was applied, fit to be saved. Null until the apply is done. */
    private volatile PinnedRollout saved;
    /** The same with the previous configuration's content and Secrets', while this controller runs. */
    private transient PinnedRollout live;
    /** The request, with its credentials, from start() to the apply. */
    private transient EnvironmentRequest request;

    private transient Collection<String> requestSecrets;
    /** When the put-back after a restart began looking for the workspace's agent. */
    private transient long puttingBackSince;

    private volatile boolean over;
    /** How long a put-back after a restart waits for the workspace's agent, when only it reaches the cluster. */
    static final Duration AGENT_WAIT = Duration.ofMinutes(10);

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

    /** An execution in the state {@link #start} leaves it: about to {@link #apply} {@code request}. */
    GuliPromoteExecution(
            StepContext context,
            String service,
            String kubeconfigId,
            String nacosCredentialsId,
            String registryCredentialsId,
            EnvironmentRequest request) {
        this(null, context);
        this.service = service;
        this.kubeconfigId = kubeconfigId;
        this.nacosCredentialsId = nacosCredentialsId;
        this.registryCredentialsId = registryCredentialsId;
        this.request = request;
        this.requestSecrets = Set.of();
    }

    @Override
    public boolean start() throws Exception {
        Run<?, ?> run = context.get(Run.class);
        try {
            GuliConfiguration global = GuliConfiguration.get();
            CredentialsLookup credentials = new CredentialsLookup(CredentialsLookup.JENKINS);
            request = step.request(
                    run, context.get(EnvVars.class), context.get(FilePath.class).getRemote(), global, credentials);
            requestSecrets = credentials.secrets();
            service = step.getService();
            rollback = step.getRollbackTo() != null;
            registryCredentialsId = global.getRegistryCredentialsId();
            for (GuliEnvironment g : global.getEnvironments()) {
                if (g.getName().equals(step.getTo())) {
                    kubeconfigId = GuliPromoteStep.kubeconfigId(global, g);
                    nacosCredentialsId = g.getNacosCredentialsId();
                }
            }
        } catch (GuliException e) {
            throw StepErrors.abort(PREFIX, e);
        }
        later(this::apply, Duration.ZERO);
        return false;
    }

    /** Checks, records what it would put back, publishes and applies; then the rollout wait, or the step's end. */
    void apply() {
        try {
            Run<?, ?> run = context.get(Run.class);
            ApplyJournal journal = exported(this::recorded);
            live = onAgent(
                    new GuliPromoteOnAgent.ApplyOnAgent(request, rollback, journal, context.get(TaskListener.class))
                            .masking(requestSecrets));
            saved = live.withoutSecrets();
            request = null;
            save();
            if (over) { // aborted meanwhile: stop() ended the step, what was applied goes back
                log().info(rollBack("the build was aborted while the promotion was being applied"));
                return;
            }
            if (live.rollout().workloads().isEmpty() && finish()) {
                context.onSuccess(result(run, live));
                return;
            }
            schedule(Duration.ZERO);
        } catch (GuliException e) { // refused before any change, or failed and put back: the message says which
            if (finish()) {
                context.onFailure(StepErrors.abort(PREFIX, e));
            }
        } catch (Exception e) { // the agent went away (or this thread stopped) midway: put back what was recorded
            if (putBack == null) {
                if (finish()) {
                    context.onFailure(StepErrors.abort(
                            PREFIX, "the promotion stopped before it changed anything (" + e + "): run it again"));
                }
                return;
            }
            putBackRecorded("the promotion stopped while it was being applied (" + e + ")");
        }
    }

    /** The workspace agent's way to {@link #recorded}: an object exported on its channel (itself on the controller). */
    ApplyJournal exported(ApplyJournal journal) throws Exception {
        return context.get(FilePath.class).getChannel().export(ApplyJournal.class, journal);
    }

    /** Keeps what the apply would have to put back and saves the build, before the apply's first change. */
    void recorded(PutBack recorded) {
        putBack = recorded;
        try {
            save().get(1, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new GuliException("the build could not be saved before changing environment '"
                    + recorded.environment() + "' (" + e + "): nothing was changed; run it again");
        }
    }

    /** Asks Pipeline to save the build's program, this execution with it; done when the future is. */
    Future<Void> save() {
        return context.saveState();
    }

    /** A restart during the apply: puts back what may have changed, then fails the step saying what. */
    @Override
    void resumeApplying() {
        if (putBack == null) {
            context.onFailure(StepErrors.abort(
                    PREFIX,
                    "Jenkins restarted while " + applying() + ", before it "
                            + "changed anything (it had recorded no change to put back): run the build again"));
            return;
        }
        log().info("Jenkins restarted while " + applying() + " to environment '" + putBack.environment()
                + "': putting back what it may have changed");
        later(() -> putBackRecorded("Jenkins restarted while " + applying()), Duration.ZERO);
    }

    /**
     * Puts back what {@link #putBack} recorded, from the workspace's agent (waiting up to {@link #AGENT_WAIT} for it
     * to connect) or the controller; fails the step with {@code reason} and what was put back.
     */
    void putBackRecorded(String reason) {
        PutBack p = putBack;
        String message;
        try {
            Run<?, ?> run = context.get(Run.class);
            message = onAgentOrController(new GuliPromoteOnAgent.PutBackOnAgent(
                    p, kubeconfig(run), nacosLogin(run), registryLogin(run), reason, context.get(TaskListener.class)));
        } catch (IOException e) { // the agent, which reaches the cluster, is not back yet
            long now = System.currentTimeMillis();
            puttingBackSince = puttingBackSince == 0 ? now : puttingBackSince;
            if (now - puttingBackSince < AGENT_WAIT.toMillis()) {
                later(() -> putBackRecorded(reason), POLL_EVERY);
                return;
            }
            message = notPutBack(reason, p, e);
        } catch (Exception e) {
            message = notPutBack(reason, p, e);
        }
        if (finish()) {
            context.onFailure(StepErrors.abort(PREFIX, masked(message)));
        }
    }

    private static String notPutBack(String reason, PutBack p, Exception e) {
        return reason + "; NOT PUT BACK (" + e.getMessage() + "): check by hand environment '" + p.environment() + "' ("
                + p.server() + ") and its Nacos configuration";
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
        return new GuliPromoteOnAgent.PollOnAgent(state, kubeconfig(run), context.get(TaskListener.class));
    }

    @Override
    EngineOnAgent<String> rollBackOnAgent(PinnedRollout state, String reason, Run<?, ?> run) throws Exception {
        return new GuliPromoteOnAgent.RollBackOnAgent(
                state, kubeconfig(run), nacosLogin(run), registryLogin(run), reason, context.get(TaskListener.class));
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

    /** The target environment's name; null before anything was recorded. */
    private String environment() {
        return applied() != null ? applied().environment() : putBack != null ? putBack.environment() : null;
    }

    /** The target's kubeconfig, looked up for the run at each use (never saved); null for the agent's own. */
    Kubeconfig kubeconfig(Run<?, ?> run) {
        return GuliPromoteStep.kubeconfig(
                kubeconfigId, environment(), run, new CredentialsLookup(CredentialsLookup.JENKINS));
    }

    /** The target's Nacos login, looked up for the run at each use (never saved); null without one. */
    UsernamePassword nacosLogin(Run<?, ?> run) {
        return GuliPromoteStep.nacosLogin(
                nacosCredentialsId, environment(), run, new CredentialsLookup(CredentialsLookup.JENKINS));
    }

    /** The registry login (a mounted image is deleted with it), looked up at each use; null without one. */
    UsernamePassword registryLogin(Run<?, ?> run) {
        return new CredentialsLookup(CredentialsLookup.JENKINS)
                .usernamePassword(registryCredentialsId, run, "registry");
    }

    @Override
    Collection<String> secrets(Run<?, ?> run) {
        if (environment() == null) {
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
        UsernamePassword registry = registryLogin(run);
        if (registry != null) {
            secrets.add(registry.password());
        }
        return secrets;
    }
}
