package io.github.guli.jenkins;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.ListBoxModel;
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
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
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
 * {@code guliQualityGate}: waits for the SonarQube quality gate of the analysis guliBuild (or mvn sonar:sonar) made
 * in this workspace, read from the module's {@code target/sonar/report-task.txt}; fails the build when the gate
 * fails, naming each failed condition and the dashboard. Bounded by {@code timeout} minutes (default 60, as the
 * course's {@code timeout(time: 1, unit: 'HOURS') { waitForQualityGate true }}). The analysis must be of the project
 * guliBuild analysed ({@code projectKey}, else the one guliBuild recorded in this build) and the server the configured
 * one: report-task.txt is written by the build. Returns a map: status, projectKey, dashboard.
 */
public class GuliQualityGateStep extends Step {
    static final String PREFIX = "[guliQualityGate] ";

    private String module;
    private String dir;
    private String reportTask;
    private String projectKey;
    private String sonarUrl;
    private String sonarCredentialsId;
    private int timeout = (int) QualityGate.DEFAULT_TIMEOUT.toMinutes();

    @DataBoundConstructor
    public GuliQualityGateStep() {}

    public String getModule() {
        return module;
    }

    @DataBoundSetter
    public void setModule(String v) {
        module = Blank.toNull(v);
    }

    public String getDir() {
        return dir;
    }

    @DataBoundSetter
    public void setDir(String v) {
        dir = Blank.toNull(v);
    }

    public String getReportTask() {
        return reportTask;
    }

    @DataBoundSetter
    public void setReportTask(String v) {
        reportTask = Blank.toNull(v);
    }

    public String getProjectKey() {
        return projectKey;
    }

    @DataBoundSetter
    public void setProjectKey(String v) {
        projectKey = Blank.toNull(v);
    }

    public String getSonarUrl() {
        return sonarUrl;
    }

    @DataBoundSetter
    public void setSonarUrl(String v) {
        sonarUrl = Blank.toNull(v);
    }

    public String getSonarCredentialsId() {
        return sonarCredentialsId;
    }

    @DataBoundSetter
    public void setSonarCredentialsId(String v) {
        sonarCredentialsId = Blank.toNull(v);
    }

    public int getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(int v) {
        timeout = v;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    /**
     * Asynchronous and durable: {@code start} reads report-task.txt on the workspace's agent and returns; the wait
     * is a poll of SonarQube from the controller every few seconds on Jenkins' timer, so it holds no thread. What
     * it waits for (server, task, project, deadline) is a field of this execution, saved with the build's program,
     * and {@code onResume} takes the wait up again after a controller restart. The token is not saved: each poll
     * looks the credentials up again for the run.
     */
    static class Execution extends PollingStepExecution {
        private static final long serialVersionUID = 1L;
        static final Duration POLL_EVERY = Duration.ofSeconds(5);
        private final transient GuliQualityGateStep step;
        private String credentialsId;
        private QualityGate.Pending pending;
        private transient QualityGate gate;

        Execution(GuliQualityGateStep step, StepContext context) {
            super(context, PREFIX);
            this.step = step;
        }

        /** An execution in the state {@link #start} leaves it: waiting for {@code pending}. */
        Execution(StepContext context, String credentialsId, QualityGate.Pending pending) {
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
                credentialsId = Blank.firstGiven(step.sonarCredentialsId, global.getSonarCredentialsId());
                token(run); // a missing or wrong credentials ID fails now, not at the first poll
                pending = new OnAgent(request, listener).runOn(context.get(FilePath.class));
            } catch (GuliException e) {
                throw new AbortException(PREFIX + e.getMessage());
            }
            schedule(Duration.ZERO);
            return false;
        }

        @Override
        public void onResume() {
            if (pending == null) { // the restart came while start() was still reading report-task.txt
                context.onFailure(
                        new AbortException(PREFIX + "Jenkins restarted before the wait began: run the build again"));
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
            if (step.timeout < 1) {
                throw new GuliException("timeout is in minutes and must be at least 1, not " + step.timeout);
            }
            // no token: it is looked up on the controller at each poll, never sent to the agent
            String module = step.reportTask != null ? null : Blank.firstGiven(step.module, env.get("PROJECT_NAME"));
            // the project guliBuild analysed for this module: the gate finds its own among several
            String projectKey = step.projectKey != null ? step.projectKey : GuliSonarProjects.forModule(run, module);
            return new QualityGateRequest()
                    .dir(step.dir)
                    .module(module)
                    .reportTask(step.reportTask)
                    .projectKey(projectKey)
                    .submittedAfter(GuliSonarProjects.started(run, projectKey))
                    .commit(GuliSonarProjects.commit(run, projectKey))
                    .serverUrl(Blank.firstGiven(step.sonarUrl, global.getSonarUrl()))
                    .timeout(Duration.ofMinutes(step.timeout));
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
                        run,
                        "guliQualityGate",
                        "quality gate of " + r.projectKey() + ": " + r.status(),
                        r.dashboardUrl());
                Map<String, String> out = new LinkedHashMap<>();
                out.put("status", r.status());
                out.put("projectKey", r.projectKey());
                out.put("dashboard", r.dashboardUrl());
                context.onSuccess(out);
            } catch (GuliException e) {
                context.onFailure(new AbortException(PREFIX + masked(e.getMessage())));
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

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @POST
        public ListBoxModel doFillSonarCredentialsIdItems(
                @AncestorInPath Item item, @QueryParameter String sonarCredentialsId) {
            return Forms.credentials(item, sonarCredentialsId, StringCredentials.class);
        }

        @Override
        public String getFunctionName() {
            return "guliQualityGate";
        }

        @Override
        public String getDisplayName() {
            return Messages.get("GuliQualityGateStep.DisplayName");
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class, FilePath.class, EnvVars.class);
        }
    }
}
