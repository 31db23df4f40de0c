package io.github.guli.jenkins;

import hudson.FilePath;
import hudson.model.Run;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.deploy.RolloutState;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * A durable step that applied something and waits for its rollout ({@link PollingStepExecution}): each look is a
 * short call to the workspace's agent; a failed rollout, a failed look, a deadline passed while the agent is away and
 * an abort all roll back, from the controller when the agent is gone. What was applied ({@code S}) is kept by the
 * subclass in its own fields, which are saved with the build; this class keeps nothing there, so the subclasses'
 * saved form does not depend on it.
 */
abstract class RolloutStepExecution<S extends Serializable> extends PollingStepExecution {
    private static final long serialVersionUID = 1L;
    static final Duration POLL_EVERY = Duration.ofSeconds(3);
    private final String prefix;
    private transient boolean agentAway;

    RolloutStepExecution(StepContext context, String prefix) {
        super(context, prefix);
        this.prefix = prefix;
    }

    /** What was applied, as updated by the last look; null while the apply is under way. */
    abstract S applied();

    /** Keeps what a look returned. */
    abstract void looked(S state);

    /** The rollout of what was applied. */
    abstract RolloutState rollout(S state);

    /** One look, from the agent, with the credentials looked up again. */
    abstract EngineOnAgent<S> pollOnAgent(S state, Run<?, ?> run) throws Exception;

    /** The rollback, with the credentials looked up again; its value is the failure's message. */
    abstract EngineOnAgent<String> rollBackOnAgent(S state, String reason, Run<?, ?> run) throws Exception;

    /** Whether the rollback may run on the controller when the agent is gone (its credentials are the controller's). */
    abstract boolean rollsBackFromController(Run<?, ?> run);

    /** The step's value once the rollout completed. */
    abstract Object result(Run<?, ?> run, S state);

    /** The failure when even the rollback could not run: what to check by hand. */
    abstract String notRolledBack(String reason, S state, Exception e);

    /** What the step does before there is a rollout to wait for ("applying the manifests"): its status, and messages. */
    abstract String applying();

    /** Whether the step has ended. */
    abstract boolean over();

    /** True for the first caller only: the step ends once, whether the rollout finished, failed or was aborted. */
    abstract boolean finish();

    @Override
    public void onResume() {
        S state = applied();
        if (state == null) {
            resumeApplying();
            return;
        }
        if (!over()) {
            RolloutState r = rollout(state);
            log().info("Jenkins restarted while waiting: looking at the rollout of " + String.join(", ", r.workloads())
                    + " on " + r.server() + " again");
            schedule(Duration.ZERO);
        }
    }

    /** After a restart that came while the step was still applying. */
    void resumeApplying() {
        context.onFailure(StepErrors.abort(
                prefix, "Jenkins restarted while " + applying() + ": look at the cluster, then run the build again"));
    }

    /** An abort: the rollback still runs (bounded), on the timer, then the step ends with the abort's cause. */
    @Override
    public void stop(Throwable cause) throws Exception {
        cancelNext();
        if (!finish()) {
            return; // the step has ended already
        }
        if (applied() == null) { // still applying: start() rolls back once the apply is done
            context.onFailure(cause);
            return;
        }
        later(
                () -> {
                    log().info(rollBack("the build was aborted while waiting for the rollout"));
                    context.onFailure(cause);
                },
                Duration.ZERO);
    }

    @Override
    public String getStatus() {
        S state = applied();
        if (state == null) {
            return applying();
        }
        RolloutState r = rollout(state);
        return "waiting for the rollout of " + String.join(", ", r.workloads()) + " on " + r.server() + ": "
                + r.last().message();
    }

    /** One look at the rollout; schedules the next one while it progresses, rolls back when it failed. */
    @Override
    void poll() {
        try {
            Run<?, ?> run = context.get(Run.class);
            S looked = onAgent(pollOnAgent(applied(), run));
            agentAway = false;
            looked(looked);
            switch (rollout(looked).last().state()) {
                case COMPLETE -> {
                    if (finish()) {
                        context.onSuccess(result(run, looked));
                    }
                }
                case FAILED -> failWithRollback(rollout(looked).last().message());
                default -> schedule(POLL_EVERY);
            }
        } catch (GuliException e) { // a read failed: what was applied goes back, as when it fails
            failWithRollback(e.getMessage());
        } catch (IOException e) { // the agent is not connected (yet: it reconnects after a restart): look again
            if (System.currentTimeMillis() < rollout(applied()).deadlineMillis()) {
                if (!agentAway) {
                    log().info("the workspace's agent, which reaches the cluster, is not connected (" + e.getMessage()
                            + "): looking again until the rollout's deadline");
                }
                agentAway = true;
                schedule(POLL_EVERY);
            } else {
                failWithRollback("the rollout's deadline passed while the workspace's agent was not connected ("
                        + e.getMessage() + ")");
            }
        } catch (Exception e) {
            failWithRollback("the rollout could not be looked at: " + e);
        }
    }

    private void failWithRollback(String reason) {
        if (finish()) {
            context.onFailure(StepErrors.abort(prefix, masked(rollBack(reason))));
        }
    }

    /**
     * Rolls back from the workspace's agent; when that agent is gone and the credentials are the controller's, from
     * the controller. Says why the step failed and what was put back.
     */
    final String rollBack(String reason) {
        S state = applied();
        try {
            return onAgentOrController(rollBackOnAgent(state, reason, context.get(Run.class)));
        } catch (Exception e) {
            return notRolledBack(reason, state, e);
        }
    }

    /**
     * Runs a call that puts something back on the workspace's agent; when that agent is not connected and the
     * credentials are the controller's, on the controller (else the agent's {@link IOException}). Its value, or the
     * engine's error.
     */
    final String onAgentOrController(EngineOnAgent<String> call) throws Exception {
        Run<?, ?> run = context.get(Run.class);
        try {
            return onAgent(call);
        } catch (IOException e) {
            if (!rollsBackFromController(run)) {
                throw e;
            }
            log().info("the workspace's agent is not connected (" + e.getMessage() + "): rolling back from "
                    + "the controller");
            EngineOnAgent.Outcome<String> here = call.masking(secrets(run)).invoke(null, null);
            return here.error() != null ? here.error() : here.value();
        }
    }

    /** Runs an engine call on the workspace's agent, the step's secrets masked in what it prints. */
    <T extends Serializable> T onAgent(EngineOnAgent<T> call) throws Exception {
        return call.masking(secrets(context.get(Run.class))).runOn(context.get(FilePath.class));
    }
}
