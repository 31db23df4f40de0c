package org.jenkinsci.plugins.workflow.steps;

import hudson.ExtensionList;
import hudson.model.Descriptor;
import java.util.Map;
import java.util.Set;

public abstract class StepDescriptor extends Descriptor<Step> {
    public abstract Set<? extends Class<?>> getRequiredContext();

    public Set<? extends Class<?>> getProvidedContext() {
        throw new UnsupportedOperationException();
    }

    public abstract String getFunctionName();

    public boolean takesImplicitBlockArgument() {
        throw new UnsupportedOperationException();
    }

    public boolean isAdvanced() {
        throw new UnsupportedOperationException();
    }

    public Step newInstance(Map<String, Object> arguments) throws Exception {
        throw new UnsupportedOperationException();
    }

    public static ExtensionList<StepDescriptor> all() {
        throw new UnsupportedOperationException();
    }

    public static StepDescriptor byFunctionName(String name) {
        throw new UnsupportedOperationException();
    }
}
