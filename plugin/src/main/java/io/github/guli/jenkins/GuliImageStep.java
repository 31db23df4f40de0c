package io.github.guli.jenkins;

import hudson.Extension;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.kohsuke.stapler.DataBoundConstructor;

/** {@code guliImage}: reserved; fails with a clear message until its engine lands. */
public class GuliImageStep extends NotYetAvailableStep {
    @DataBoundConstructor
    public GuliImageStep() {
    }

    @Extension
    public static final class DescriptorImpl extends NotYetAvailableStep.PlannedDescriptor {
        public DescriptorImpl() {
            super("guliImage", "docker build/push in sh steps");
        }

        @Override
        Step create() {
            return new GuliImageStep();
        }
    }
}
