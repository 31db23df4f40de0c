package io.github.guli.engine.nacos;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one environment's Nacos held for each dataId of a release's configuration before it was published: the
 * content to put back, or nothing (the dataId is deleted on restore). It holds the content itself, which may carry
 * passwords: keep it in memory (a build's state, not a file), and show it only through {@link ConfigDiff}.
 */
public final class ConfigSnapshot implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String server;
    private final String namespace;
    private final String group;
    private final LinkedHashMap<String, NacosConfig> previous;

    private ConfigSnapshot(String server, String namespace, String group, LinkedHashMap<String, NacosConfig> previous) {
        this.server = server;
        this.namespace = namespace;
        this.group = group;
        this.previous = previous;
    }

    /** Reads, for each file of the set, what Nacos holds now. Changes nothing. */
    public static ConfigSnapshot take(NacosClient nacos, ConfigSet set) {
        LinkedHashMap<String, NacosConfig> now = new LinkedHashMap<>();
        for (ConfigSet.ConfigFile f : set.files()) {
            now.put(f.dataId(), nacos.get(set.group(), f.dataId()).orElse(null));
        }
        return new ConfigSnapshot(nacos.url(), nacos.namespace(), set.group(), now);
    }

    public String server() {
        return server;
    }

    /** The namespace ID ("" for the default one, {@code public}). */
    public String namespace() {
        return namespace;
    }

    public String group() {
        return group;
    }

    public Set<String> dataIds() {
        return Collections.unmodifiableSet(previous.keySet());
    }

    /** What Nacos held for the dataId; empty when it held nothing. */
    public Optional<NacosConfig> previous(String dataId) {
        return Optional.ofNullable(previous.get(dataId));
    }

    /** The snapshot of some of its dataIds only. */
    ConfigSnapshot only(Set<String> dataIds) {
        LinkedHashMap<String, NacosConfig> some = new LinkedHashMap<>();
        previous.forEach((k, v) -> {
            if (dataIds.contains(k)) {
                some.put(k, v);
            }
        });
        return new ConfigSnapshot(server, namespace, group, some);
    }

    /** Never the content. */
    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>();
        previous.forEach((k, v) -> shown.put(k, v == null ? "absent" : "sha256 " + v.sha256()));
        return "ConfigSnapshot[" + server + ", namespace '" + namespace + "', group " + group + ", " + shown + "]";
    }
}
