package io.github.guli.jenkins;

import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.github.guli.engine.Blank;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code guliLock(resource: 'guli-deploy:shop:gulimall-order') { ... }}: runs the body while holding a named lock;
 * builds asking for a held lock wait in the order they asked. guliPipeline uses it where the Lockable Resources
 * plugin is not installed. With {@code newest: true}, a build that starts waiting drops the older builds waiting for
 * the same lock (they end ABORTED, naming the newer build); the holder is never dropped. Holders and waiters outlive
 * a controller restart ({@link GuliLocks}).
 */
public class GuliLockStep extends Step {
    static final String PREFIX = "[guliLock] ";

    private final String resource;
    private boolean newest;

    @DataBoundConstructor
    public GuliLockStep(String resource) {
        this.resource = Blank.toNull(resource);
    }

    public String getResource() {
        return resource;
    }

    public boolean isNewest() {
        return newest;
    }

    @DataBoundSetter
    public void setNewest(boolean v) {
        newest = v;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        if (resource == null) {
            throw StepErrors.abort(PREFIX, "resource is not set: guliLock(resource: 'name') { ... }");
        }
        return new GuliLockStepExecution(context, resource, newest);
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "guliLock";
        }

        @Override
        public String getDisplayName() {
            return Messages.get("GuliLockStep.DisplayName");
        }

        @Override
        public boolean takesImplicitBlockArgument() {
            return true;
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }
    }
}
