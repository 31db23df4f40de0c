package io.github.guli.jenkins;

import hudson.Extension;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.kohsuke.stapler.DataBoundConstructor;

/** {@code guliBuild}: reserved; fails with a clear message until its engine lands. */
public class GuliBuildStep extends NotYetAvailableStep {
    @DataBoundConstructor
    public GuliBuildStep() {
    }

    @Extension
    public static final class DescriptorImpl extends NotYetAvailableStep.PlannedDescriptor {
        public DescriptorImpl() {
            super("guliBuild", "sh 'mvn -pl <module> -am clean package'");
        }

        @Override
        Step create() {
            return new GuliBuildStep();
        }
    }
}
