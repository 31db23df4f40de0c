package io.github.guli.engine.deploy;

import java.io.Serializable;
import java.util.Map;

/**
 * What to deploy and how. Serializable: Jenkins builds it on the controller and the deploy runs on the agent that
 * holds the workspace.
 *
 * @param workspace the directory the {@code configs} patterns are relative to
 * @param configs comma-separated Ant patterns, e.g. {@code gulimall-auth-server/deploy/**}
 * @param substitute replace $VAR and ${VAR} from {@code env} (kubernetesDeploy's enableConfigSubstitution)
 * @param env the build's environment and parameters
 * @param kubeconfig the kubeconfig to use, or null for the machine's own
 * @param context the kubeconfig context, or null for its current-context
 * @param namespace where objects without metadata.namespace go, or null for the context's namespace
 * @param timeoutSeconds how long to wait for the rollouts
 * @param dryRun validate and print only; no cluster is contacted
 */
public record DeployRequest(
        String workspace,
        String configs,
        boolean substitute,
        Map<String, String> env,
        Kubeconfig kubeconfig,
        String context,
        String namespace,
        boolean waitForRollout,
        int timeoutSeconds,
        boolean rollbackOnFailure,
        boolean dryRun)
        implements Serializable {
    public static final int DEFAULT_TIMEOUT_SECONDS = 600;

    public DeployRequest {
        env = Map.copyOf(env); // an immutable copy is Serializable
    }
}
