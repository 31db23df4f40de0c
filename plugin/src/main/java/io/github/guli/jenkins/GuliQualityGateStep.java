package io.github.guli.jenkins;

import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.ListBoxModel;
import io.github.guli.engine.Blank;
import io.github.guli.engine.sonar.QualityGate;
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
        return new GuliQualityGateExecution(this, context);
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
