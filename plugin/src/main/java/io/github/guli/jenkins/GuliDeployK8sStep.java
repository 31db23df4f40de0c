package io.github.guli.jenkins;

import hudson.Extension;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.kohsuke.stapler.DataBoundConstructor;

/** {@code guliDeployK8s}: reserved; fails with a clear message until its engine lands. */
public class GuliDeployK8sStep extends NotYetAvailableStep {
    @DataBoundConstructor
    public GuliDeployK8sStep() {
    }

    @Extension
    public static final class DescriptorImpl extends NotYetAvailableStep.PlannedDescriptor {
        public DescriptorImpl() {
            super("guliDeployK8s", "kubectl apply in an sh step");
        }

        @Override
        Step create() {
            return new GuliDeployK8sStep();
        }
    }
}
