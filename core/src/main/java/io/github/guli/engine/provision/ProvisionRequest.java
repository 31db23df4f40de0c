package io.github.guli.engine.provision;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code guliProvision} / {@code guli provision} generates and where it writes it. Serializable: Jenkins
 * builds it on the controller and runs it on the agent that holds the workspace. The settings are a map from the
 * start (never a file the caller escapes), so every key and value reaches {@link ProvisionSettings} as given.
 */
public final class ProvisionRequest implements Serializable {
    private static final long serialVersionUID = 1L;

    private final LinkedHashMap<String, String> overrides;
    private String namespace;
    private String storageClass;
    private ProvisionSecrets secrets = ProvisionSecrets.none();
    private boolean dryRun = true;
    private String outputDir;

    /** {@code overrides}: setting key to value, over the course's defaults. */
    public ProvisionRequest(Map<String, String> overrides) {
        this.overrides = new LinkedHashMap<>(overrides);
    }

    /** The namespace, over the {@code namespace} setting; null: that setting. */
    public ProvisionRequest namespace(String v) {
        namespace = v;
        return this;
    }

    /** The StorageClass of every PVC, over the {@code storageClass} setting; null: that setting. */
    public ProvisionRequest storageClass(String v) {
        storageClass = v;
        return this;
    }

    /** The secrets from credentials; default none (enough for a dry run). */
    public ProvisionRequest secrets(ProvisionSecrets v) {
        secrets = v;
        return this;
    }

    /** Whether every manifest is printed, Secrets redacted (needs no secret); default true. */
    public ProvisionRequest dryRun(boolean v) {
        dryRun = v;
        return this;
    }

    /**
     * Where the manifests without a secret are written, relative to the workspace; null: nowhere. A real run (not
     * {@link #dryRun(boolean)}) needs one.
     */
    public ProvisionRequest outputDir(String v) {
        outputDir = v;
        return this;
    }

    /** The settings, checked: every unknown key and wrong value named at once. */
    public ProvisionSettings settings() {
        Map<String, String> all = new LinkedHashMap<>(overrides);
        if (namespace != null) {
            all.put("namespace", namespace);
        }
        if (storageClass != null) {
            all.put("storageClass", storageClass);
        }
        return ProvisionSettings.of(all);
    }

    public Map<String, String> overrides() {
        return new LinkedHashMap<>(overrides);
    }

    public ProvisionSecrets secrets() {
        return secrets;
    }

    public String outputDir() {
        return outputDir;
    }

    public boolean dryRun() {
        return dryRun;
    }

    @Override
    public String toString() {
        return "ProvisionRequest[" + overrides.keySet() + ", dryRun=" + dryRun + ", outputDir=" + outputDir + ", "
                + secrets + "]";
    }
}
