package io.github.guli.engine.deploy;

import java.io.Serializable;
import java.util.Map;

/**
 * What {@code guliDeployK8s} / {@code guli deploy} deploys and how. Serializable: Jenkins builds it on the controller
 * and the deploy runs on the agent that holds the workspace. Unset values take the defaults noted on their setters.
 */
public final class DeployRequest implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_TIMEOUT_SECONDS = 600;

    private String workspace;
    private String configs;
    private boolean substitute = true;
    private Map<String, String> env = Map.of();
    private Kubeconfig kubeconfig;
    private String context;
    private String namespace;
    private boolean waitForRollout = true;
    private int timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
    private boolean rollbackOnFailure = true;
    private boolean dryRun;
    private ImagePin pin;

    /** The directory the {@link #configs(String)} patterns are relative to; required. */
    public DeployRequest workspace(String v) {
        workspace = v;
        return this;
    }

    /** Comma-separated Ant patterns, e.g. {@code gulimall-auth-server/deploy/**}; required. */
    public DeployRequest configs(String v) {
        configs = v;
        return this;
    }

    /**
     * Whether to replace $VAR and ${VAR} from {@link #env(Map)} (kubernetesDeploy's enableConfigSubstitution). Default
     * true.
     */
    public DeployRequest substitute(boolean v) {
        substitute = v;
        return this;
    }

    /** The build's environment and parameters, copied; null (the default): none. */
    public DeployRequest env(Map<String, String> v) {
        env = v == null ? Map.of() : Map.copyOf(v); // an immutable copy is Serializable
        return this;
    }

    /** The kubeconfig to use; null (the default): the machine's own. */
    public DeployRequest kubeconfig(Kubeconfig v) {
        kubeconfig = v;
        return this;
    }

    /** The kubeconfig context; null (the default): its current-context. */
    public DeployRequest context(String v) {
        context = v;
        return this;
    }

    /** Where objects without metadata.namespace go; null (the default): the context's namespace. */
    public DeployRequest namespace(String v) {
        namespace = v;
        return this;
    }

    /** Whether to wait for Deployments, StatefulSets and DaemonSets to roll out. Default true. */
    public DeployRequest waitForRollout(boolean v) {
        waitForRollout = v;
        return this;
    }

    /** How long to wait for the rollouts; 0 or less: {@link #DEFAULT_TIMEOUT_SECONDS}, the default. */
    public DeployRequest timeoutSeconds(int v) {
        timeoutSeconds = v > 0 ? v : DEFAULT_TIMEOUT_SECONDS;
        return this;
    }

    /** Whether to put back what was applied when the deploy fails. Default true. */
    public DeployRequest rollbackOnFailure(boolean v) {
        rollbackOnFailure = v;
        return this;
    }

    /** Validate and print only, contacting no cluster. Default false. */
    public DeployRequest dryRun(boolean v) {
        dryRun = v;
        return this;
    }

    /** The image to run by digest, whatever tag the manifests give; null (the default): as the manifests say. */
    public DeployRequest pin(ImagePin v) {
        pin = v;
        return this;
    }

    public ImagePin pin() {
        return pin;
    }

    public String workspace() {
        return workspace;
    }

    public String configs() {
        return configs;
    }

    public boolean substitute() {
        return substitute;
    }

    public Map<String, String> env() {
        return env;
    }

    public Kubeconfig kubeconfig() {
        return kubeconfig;
    }

    public String context() {
        return context;
    }

    public String namespace() {
        return namespace;
    }

    public boolean waitForRollout() {
        return waitForRollout;
    }

    public int timeoutSeconds() {
        return timeoutSeconds;
    }

    public boolean rollbackOnFailure() {
        return rollbackOnFailure;
    }

    public boolean dryRun() {
        return dryRun;
    }
}
