package io.github.guli.jenkins;

import hudson.AbortException;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * A step whose function name is reserved but whose engine has not landed yet. It accepts any arguments, so
 * that a Jenkinsfile written for a later version fails with this message, not with "unknown parameter".
 */
public abstract class NotYetAvailableStep extends Step {
    @Override
    public StepExecution start(StepContext context) throws Exception {
        throw new AbortException(getDescriptor().getFunctionName() + " is not yet available in this version of "
                + "guli-pipeline; until it lands, use " + ((PlannedDescriptor) getDescriptor()).instead);
    }

    abstract static class PlannedDescriptor extends StepDescriptor {
        private final String functionName;
        private final String instead;

        PlannedDescriptor(String functionName, String instead) {
            this.functionName = functionName;
            this.instead = instead;
        }

        @Override
        public String getFunctionName() {
            return functionName;
        }

        @Override
        public String getDisplayName() {
            return functionName + " (not yet available)";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of();
        }

        @Override
        public Step newInstance(Map<String, Object> arguments) throws Exception {
            return create();
        }

        abstract Step create();
    }
}
