package io.github.guli.engine.environment;

import io.github.guli.engine.Blank;
import io.github.guli.engine.UsernamePassword;
import io.github.guli.engine.deploy.DeployRequest;
import java.io.Serializable;
import java.util.Map;

/**
 * What {@link Promotion} (promote to {@link #to}) and {@link RollbackTo} (roll {@link #to} back to {@link #version})
 * deploy. Serializable: Jenkins builds it on the controller and it runs on the agent that holds the workspace. Unset
 * values take the defaults noted on their setters.
 */
public final class EnvironmentRequest implements Serializable {
    private static final long serialVersionUID = 1L;

    private String service;
    private String to;
    private String version;
    private String digest;
    private String commit;
    private Map<String, String> configState;
    private Environments environments;
    private String workspace;
    private String configs;
    private Map<String, String> env = Map.of();
    private String registry;
    private UsernamePassword registryCredentials;
    private int timeoutSeconds = DeployRequest.DEFAULT_TIMEOUT_SECONDS;

    /** The service (its module and Deployment name), e.g. {@code gulimall-auth-server}; required. */
    public EnvironmentRequest service(String v) {
        service = Blank.toNull(v);
        return this;
    }

    /** The environment deployed to; required. */
    public EnvironmentRequest to(String v) {
        to = Blank.toNull(v);
        return this;
    }

    /**
     * A promotion: the version the previous environment must run (null, the default: whatever it runs). A rollback:
     * the release to go back to; required.
     */
    public EnvironmentRequest version(String v) {
        version = Blank.toNull(v);
        return this;
    }

    /** A promotion: the digest the previous environment must run; null (the default): whatever it runs. */
    public EnvironmentRequest digest(String v) {
        digest = Blank.toNull(v);
        return this;
    }

    /**
     * The commit the workspace must have checked out: the one the preview read; null (the default): whatever it has.
     */
    public EnvironmentRequest commit(String v) {
        commit = Blank.toNull(v);
        return this;
    }

    /**
     * What the preview read in the target's Nacos, each dataId's MD5 or {@code absent}: the
     * configuration is published only while Nacos still holds that; null (the default): what it holds at the deploy.
     */
    public EnvironmentRequest configState(Map<String, String> v) {
        configState = v == null ? null : Map.copyOf(v);
        return this;
    }

    /** As {@link #configState(Map)}, written {@code dataId=md5,dataId=absent} (a preview's {@code configState}). */
    public EnvironmentRequest configState(String text) {
        if (Blank.toNull(text) == null) {
            return configState((Map<String, String>) null);
        }
        Map<String, String> state = new java.util.LinkedHashMap<>();
        for (String pair : text.split(",")) {
            String[] kv = pair.strip().split("=", 2);
            if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
                throw new io.github.guli.engine.GuliException("configState '" + text + "' is not dataId=md5 pairs "
                        + "separated by commas: give the preview's configState as it returned it");
            }
            state.put(kv[0], kv[1]);
        }
        return configState(state);
    }

    /** The configured environments, in order; required. */
    public EnvironmentRequest environments(Environments v) {
        environments = v;
        return this;
    }

    /** The checkout the manifests are read from; required. */
    public EnvironmentRequest workspace(String v) {
        workspace = v;
        return this;
    }

    /** A copy reading the manifests and the configuration files from {@code dir} instead of the workspace. */
    EnvironmentRequest workspaceAt(String dir) {
        EnvironmentRequest copy = new EnvironmentRequest();
        copy.service = service;
        copy.to = to;
        copy.version = version;
        copy.digest = digest;
        copy.commit = commit;
        copy.configState = configState;
        copy.environments = environments;
        copy.workspace = dir;
        copy.configs = configs;
        copy.env = env;
        copy.registry = registry;
        copy.registryCredentials = registryCredentials;
        copy.timeoutSeconds = timeoutSeconds;
        return copy;
    }

    /** The manifests' patterns; null (the default): {@code <service>/deploy/**}. */
    public EnvironmentRequest configs(String v) {
        configs = Blank.toNull(v);
        return this;
    }

    /** The variables the manifests' $VAR take, copied; null (the default): none. */
    public EnvironmentRequest env(Map<String, String> v) {
        env = v == null ? Map.of() : Map.copyOf(v);
        return this;
    }

    /** The registry the images are in, {@code host[:port]} or {@code http://host:port}; required. */
    public EnvironmentRequest registry(String v) {
        registry = Blank.toNull(v);
        return this;
    }

    /** Its login; null (the default): anonymous. */
    public EnvironmentRequest registryCredentials(UsernamePassword v) {
        registryCredentials = v;
        return this;
    }

    /** How long the target's rollout may take; 0 or less: {@link DeployRequest#DEFAULT_TIMEOUT_SECONDS}. */
    public EnvironmentRequest timeoutSeconds(int v) {
        timeoutSeconds = v > 0 ? v : DeployRequest.DEFAULT_TIMEOUT_SECONDS;
        return this;
    }

    public String service() {
        return service;
    }

    public String to() {
        return to;
    }

    public String version() {
        return version;
    }

    public String digest() {
        return digest;
    }

    public String commit() {
        return commit;
    }

    public Map<String, String> configState() {
        return configState;
    }

    public Environments environments() {
        return environments;
    }

    public String workspace() {
        return workspace;
    }

    public String configs() {
        return configs != null ? configs : service + "/deploy/**";
    }

    public Map<String, String> env() {
        return env;
    }

    public String registry() {
        return registry;
    }

    public UsernamePassword registryCredentials() {
        return registryCredentials;
    }

    public int timeoutSeconds() {
        return timeoutSeconds;
    }
}
