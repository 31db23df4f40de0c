package io.github.guli.jenkins;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.sonar.QualityGate;
import io.github.guli.engine.sonar.QualityGateRequest;
import io.github.guli.engine.sonar.SonarServer;
import java.io.File;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * {@code guliQualityGate}'s execution, asynchronous and durable: {@code start} reads report-task.txt on the
 * workspace's agent and returns; the wait is a poll of SonarQube from the controller every few seconds on Jenkins'
 * timer, so it holds no thread. What it waits for (server, task, project, deadline) is a field of this execution,
 * saved with the build's program, and {@code onResume} takes the wait up again after a controller restart. The
 * token is not saved: each poll looks the credentials up again for the run. This class' name is saved with running
 * builds: renaming it stops them from resuming.
 */
class GuliQualityGateExecution extends PollingStepExecution {
    private static final long serialVersionUID = 1L;
    private static final String PREFIX = GuliQualityGateStep.PREFIX;
    static final Duration POLL_EVERY = Duration.ofSeconds(5);
    private final transient GuliQualityGateStep step;
    private String credentialsId;
    private QualityGate.Pending pending;
    private transient QualityGate gate;

    GuliQualityGateExecution(GuliQualityGateStep step, StepContext context) {
        super(context, PREFIX);
        this.step = step;
    }

    /** An execution in the state {@link #start} leaves it: waiting for {@code pending}. */
    GuliQualityGateExecution(StepContext context, String credentialsId, QualityGate.Pending pending) {
        this(null, context);
        this.credentialsId = credentialsId;
        this.pending = pending;
    }

    @Override
    public boolean start() throws Exception {
        Run<?, ?> run = context.get(Run.class);
        TaskListener listener = context.get(TaskListener.class);
        try {
            GuliConfiguration global = GuliConfiguration.get();
            QualityGateRequest request = request(run, context.get(EnvVars.class), global);
            credentialsId = Blank.firstGiven(step.getSonarCredentialsId(), global.getSonarCredentialsId());
            token(run); // a missing or wrong credentials ID fails now, not at the first poll
            pending = new OnAgent(request, listener).runOn(context.get(FilePath.class));
        } catch (GuliException e) {
            throw StepErrors.abort(PREFIX, e);
        }
        schedule(Duration.ZERO);
        return false;
    }

    @Override
    public void onResume() {
        if (pending == null) { // the restart came while start() was still reading report-task.txt
            context.onFailure(StepErrors.abort(PREFIX, "Jenkins restarted before the wait began: run the build again"));
            return;
        }
        log().info("Jenkins restarted while waiting: looking at " + pending.what() + " on " + pending.serverUrl()
                + " again");
        schedule(Duration.ZERO);
    }

    @Override
    public void stop(Throwable cause) throws Exception {
        cancelNext();
        context.onFailure(cause);
    }

    @Override
    public String getStatus() {
        return pending == null
                ? "reading report-task.txt"
                : "waiting for the quality gate of " + pending.what() + " on " + pending.serverUrl();
    }

    QualityGateRequest request(Run<?, ?> run, EnvVars env, GuliConfiguration global) {
        if (step.getTimeout() < 1) {
            throw new GuliException("timeout is in minutes and must be at least 1, not " + step.getTimeout());
        }
        // no token: it is looked up on the controller at each poll, never sent to the agent
        String module =
                step.getReportTask() != null ? null : Blank.firstGiven(step.getModule(), env.get("PROJECT_NAME"));
        // the project guliBuild analysed for this module: the gate finds its own among several
        String projectKey =
                step.getProjectKey() != null ? step.getProjectKey() : GuliSonarProjects.forModule(run, module);
        return new QualityGateRequest()
                .dir(step.getDir())
                .module(module)
                .reportTask(step.getReportTask())
                .projectKey(projectKey)
                .submittedAfter(GuliSonarProjects.started(run, projectKey))
                .commit(GuliSonarProjects.commit(run, projectKey))
                .serverUrl(Blank.firstGiven(step.getSonarUrl(), global.getSonarUrl()))
                .timeout(Duration.ofMinutes(step.getTimeout()));
    }

    /** One look at SonarQube; schedules the next one while the analysis is not processed yet. */
    @Override
    void poll() {
        try {
            Run<?, ?> run = context.get(Run.class);
            if (gate == null) {
                gate = new QualityGate(log());
            }
            QualityGate.Result r = gate.poll(new SonarServer(pending.serverUrl(), token(run)), pending);
            if (r == null) {
                schedule(POLL_EVERY);
                return;
            }
            GuliSummary.add(
                    run, "guliQualityGate", "quality gate of " + r.projectKey() + ": " + r.status(), r.dashboardUrl());
            Map<String, String> out = new LinkedHashMap<>();
            out.put("status", r.status());
            out.put("projectKey", r.projectKey());
            out.put("dashboard", r.dashboardUrl());
            context.onSuccess(out);
        } catch (GuliException e) {
            context.onFailure(StepErrors.abort(PREFIX, masked(e.getMessage())));
        } catch (Exception e) {
            context.onFailure(e);
        }
    }

    @Override
    Collection<String> secrets(Run<?, ?> run) {
        String token = token(run);
        return token == null ? Set.of() : Set.of(token);
    }

    /** The SonarQube token, looked up for the run at each use (never saved with the build). */
    String token(Run<?, ?> run) {
        return new CredentialsLookup(CredentialsLookup.JENKINS).secretText(credentialsId, run, "SonarQube token");
    }

    /** Runs on the agent that holds the workspace, where report-task.txt is: what to wait for. */
    static final class OnAgent extends EngineOnAgent<QualityGate.Pending> {
        private static final long serialVersionUID = 1L;
        private final QualityGateRequest request;

        OnAgent(QualityGateRequest request, TaskListener listener) {
            super(listener, PREFIX);
            this.request = request;
        }

        @Override
        QualityGate.Pending call(File workspace, Log log) {
            return new QualityGate(log).pending(workspace, request);
        }
    }
}
