package io.github.guli.jenkins;

import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.verb.POST;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.AncestorInPath;
import hudson.util.ListBoxModel;
import hudson.model.Item;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.sonar.QualityGate;
import io.github.guli.engine.sonar.QualityGateRequest;
import java.io.File;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

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
    public GuliQualityGateStep() {
    }

    public String getModule() { return module; }
    @DataBoundSetter public void setModule(String v) { module = Values.trimToNull(v); }
    public String getDir() { return dir; }
    @DataBoundSetter public void setDir(String v) { dir = Values.trimToNull(v); }
    public String getReportTask() { return reportTask; }
    @DataBoundSetter public void setReportTask(String v) { reportTask = Values.trimToNull(v); }
    public String getProjectKey() { return projectKey; }
    @DataBoundSetter public void setProjectKey(String v) { projectKey = Values.trimToNull(v); }
    public String getSonarUrl() { return sonarUrl; }
    @DataBoundSetter public void setSonarUrl(String v) { sonarUrl = Values.trimToNull(v); }
    public String getSonarCredentialsId() { return sonarCredentialsId; }
    @DataBoundSetter public void setSonarCredentialsId(String v) { sonarCredentialsId = Values.trimToNull(v); }
    public int getTimeout() { return timeout; }
    @DataBoundSetter public void setTimeout(int v) { timeout = v; }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    static final class Execution extends WorkspaceStepExecution<Map<String, String>> {
        private static final long serialVersionUID = 1L;
        private final transient GuliQualityGateStep step;

        Execution(GuliQualityGateStep step, StepContext context) {
            super(context, PREFIX);
            this.step = step;
        }

        @Override
        Map<String, String> run(Run<?, ?> run, TaskListener listener, FilePath workspace, EnvVars env) throws Exception {
            QualityGateRequest request;
            CredentialsLookup credentials = new CredentialsLookup(CredentialsLookup.JENKINS);
            request = request(run, env, GuliConfiguration.get(), credentials);
            QualityGate.Result r = new OnAgent(request, listener).masking(credentials.secrets()).runOn(workspace);
            GuliSummary.add(run, "guliQualityGate",
                    "quality gate of " + r.projectKey() + ": " + r.status(), r.dashboardUrl());
            Map<String, String> out = new LinkedHashMap<>();
            out.put("status", r.status());
            out.put("projectKey", r.projectKey());
            out.put("dashboard", r.dashboardUrl());
            return out;
        }

        QualityGateRequest request(Run<?, ?> run, EnvVars env, GuliConfiguration global, CredentialsLookup credentials) {
            if (step.timeout < 1) {
                throw new GuliException("timeout is in minutes and must be at least 1, not " + step.timeout);
            }
            return new QualityGateRequest(step.dir,
                    step.reportTask != null ? null : Values.firstGiven(step.module, env.get("PROJECT_NAME")),
                    step.reportTask,
                    step.projectKey != null ? step.projectKey : GuliSonarProjects.only(run),
                    Values.firstGiven(step.sonarUrl, global.getSonarUrl()),
                    credentials.secretText(Values.firstGiven(step.sonarCredentialsId, global.getSonarCredentialsId()),
                            run, "SonarQube token"),
                    Duration.ofMinutes(step.timeout));
        }
    }

    /** Runs on the agent that holds the workspace: report-task.txt is there, and that agent reached SonarQube. */
    static final class OnAgent extends EngineOnAgent<QualityGate.Result> {
        private static final long serialVersionUID = 1L;
        private final QualityGateRequest request;

        OnAgent(QualityGateRequest request, TaskListener listener) {
            super(listener, PREFIX);
            this.request = request;
        }

        @Override
        QualityGate.Result call(File workspace, Log log) {
            return new QualityGate(log).check(workspace, request);
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @POST
        public ListBoxModel doFillSonarCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String sonarCredentialsId) {
            return Forms.credentials(item, sonarCredentialsId, StringCredentials.class);
        }

        @Override
        public String getFunctionName() {
            return "guliQualityGate";
        }

        @Override
        public String getDisplayName() {
            return "Wait for the SonarQube quality gate of a GuliMall module's analysis";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class, FilePath.class, EnvVars.class);
        }
    }
}
