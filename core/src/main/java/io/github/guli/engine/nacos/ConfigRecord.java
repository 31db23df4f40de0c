package io.github.guli.engine.nacos;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which content a release published to one environment's Nacos: each dataId with the SHA-256 of its content. Small,
 * holds no secret, and can travel with the release (a build's record, a tag's note).
 */
public final class ConfigRecord implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String namespace;
    private final String group;
    private final TreeMap<String, String> sha256;

    ConfigRecord(String namespace, String group, Map<String, String> sha256) {
        this.namespace = namespace;
        this.group = group;
        this.sha256 = new TreeMap<>(sha256);
    }

    /** The record of what a set publishes. */
    public static ConfigRecord of(String namespace, ConfigSet set) {
        TreeMap<String, String> hashes = new TreeMap<>();
        set.files().forEach(f -> hashes.put(f.dataId(), f.config().sha256()));
        return new ConfigRecord(namespace, set.group(), hashes);
    }

    public String namespace() {
        return namespace;
    }

    public String group() {
        return group;
    }

    /** dataId to the SHA-256 (lower-case hex) of the content published, by dataId. */
    public Map<String, String> sha256ByDataId() {
        return Collections.unmodifiableMap(sha256);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigRecord r
                && r.namespace.equals(namespace)
                && r.group.equals(group)
                && r.sha256.equals(sha256);
    }

    @Override
    public int hashCode() {
        return sha256.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        sha256.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ")
                .append(k)
                .append(" sha256:")
                .append(v));
        return "namespace '" + namespace + "', group " + group + ": " + b;
    }
}
