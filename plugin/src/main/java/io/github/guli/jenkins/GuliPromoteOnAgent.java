package io.github.guli.jenkins;

import hudson.model.TaskListener;
import io.github.guli.engine.Log;
import io.github.guli.engine.UsernamePassword;
import io.github.guli.engine.deploy.Deploy;
import io.github.guli.engine.deploy.Kubeconfig;
import io.github.guli.engine.environment.ApplyJournal;
import io.github.guli.engine.environment.EnvironmentRequest;
import io.github.guli.engine.environment.PinnedRollout;
import io.github.guli.engine.environment.Promotion;
import io.github.guli.engine.environment.PutBack;
import io.github.guli.engine.environment.RollbackTo;
import java.io.File;

/** {@code guliPromote}'s calls to the workspace's agent: the manifests are there, and the way to both clusters. */
final class GuliPromoteOnAgent {
    private static final String PREFIX = GuliPromoteStep.PREFIX;

    private GuliPromoteOnAgent() {}

    /** Checks, publishes and applies on the workspace's agent: the manifests are there, and the way to both clusters. */
    static final class ApplyOnAgent extends EngineOnAgent<PinnedRollout> {
        private static final long serialVersionUID = 1L;
        private final EnvironmentRequest request;
        private final boolean rollback;
        /** An exported object: a call to it reaches the controller. */
        private final ApplyJournal journal;

        ApplyOnAgent(EnvironmentRequest request, boolean rollback, ApplyJournal journal, TaskListener listener) {
            super(listener, PREFIX);
            this.request = request;
            this.rollback = rollback;
            this.journal = journal;
        }

        @Override
        PinnedRollout call(File workspace, Log log) {
            return rollback ? new RollbackTo(log).apply(request, journal) : new Promotion(log).apply(request, journal);
        }
    }

    /** Puts back what was recorded before the apply's first change; returns the failure's message. */
    static final class PutBackOnAgent extends EngineOnAgent<String> {
        private static final long serialVersionUID = 1L;
        private final PutBack putBack;
        private final Kubeconfig kubeconfig;
        private final UsernamePassword nacosLogin;
        private final UsernamePassword registryLogin;
        private final String reason;

        PutBackOnAgent(
                PutBack putBack,
                Kubeconfig kubeconfig,
                UsernamePassword nacosLogin,
                UsernamePassword registryLogin,
                String reason,
                TaskListener listener) {
            super(listener, PREFIX);
            this.putBack = putBack;
            this.kubeconfig = kubeconfig;
            this.nacosLogin = nacosLogin;
            this.registryLogin = registryLogin;
            this.reason = reason;
        }

        @Override
        String call(File workspace, Log log) {
            return putBack.putBack(new Deploy(log, log), log, kubeconfig, nacosLogin, registryLogin, reason)
                    .getMessage();
        }
    }

    /** One look at the target's rollout from the workspace's agent; returns the state as updated by the look. */
    static final class PollOnAgent extends EngineOnAgent<PinnedRollout> {
        private static final long serialVersionUID = 1L;
        private final PinnedRollout state;
        private final Kubeconfig kubeconfig;

        PollOnAgent(PinnedRollout state, Kubeconfig kubeconfig, TaskListener listener) {
            super(listener, PREFIX);
            this.state = state;
            this.kubeconfig = kubeconfig;
        }

        @Override
        PinnedRollout call(File workspace, Log log) {
            state.poll(new Deploy(log, log), kubeconfig);
            return state;
        }
    }

    /** Puts back the image and the configuration; returns the failure's message (why, and what was put back). */
    static final class RollBackOnAgent extends EngineOnAgent<String> {
        private static final long serialVersionUID = 1L;
        private final PinnedRollout state;
        private final Kubeconfig kubeconfig;
        private final UsernamePassword nacosLogin;
        private final UsernamePassword registryLogin;
        private final String reason;

        RollBackOnAgent(
                PinnedRollout state,
                Kubeconfig kubeconfig,
                UsernamePassword nacosLogin,
                UsernamePassword registryLogin,
                String reason,
                TaskListener listener) {
            super(listener, PREFIX);
            this.state = state;
            this.kubeconfig = kubeconfig;
            this.nacosLogin = nacosLogin;
            this.registryLogin = registryLogin;
            this.reason = reason;
        }

        @Override
        String call(File workspace, Log log) {
            return state.rollBack(new Deploy(log, log), log, kubeconfig, nacosLogin, registryLogin, reason)
                    .getMessage();
        }
    }
}
