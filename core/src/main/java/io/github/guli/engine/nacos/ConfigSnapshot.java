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
 * passwords: keep it in memory, and show it only through {@link ConfigDiff}. What outlives the process (a build's saved
 * state) is {@link #withoutContent}: each dataId's MD5 and type, from which a restore finds the content again in the
 * dataId's Nacos history.
 */
public final class ConfigSnapshot implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String server;
    private final String namespace;
    private final String group;
    /** Null in a snapshot without content. */
    private final LinkedHashMap<String, NacosConfig> previous;
    /** Each dataId's MD5 and type (null when it held nothing): what a snapshot without content keeps. */
    private final LinkedHashMap<String, Kept> kept;

    /** What a snapshot without content keeps of a dataId's previous content. */
    record Kept(String md5, String type) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    private ConfigSnapshot(String server, String namespace, String group, LinkedHashMap<String, NacosConfig> previous) {
        this.server = server;
        this.namespace = namespace;
        this.group = group;
        this.previous = previous;
        this.kept = new LinkedHashMap<>();
        previous.forEach((k, v) -> kept.put(k, v == null ? null : new Kept(v.md5(), v.type())));
    }

    private ConfigSnapshot(ConfigSnapshot of) {
        this.server = of.server;
        this.namespace = of.namespace;
        this.group = of.group;
        this.previous = null;
        this.kept = new LinkedHashMap<>(of.kept);
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
        return Collections.unmodifiableSet(kept.keySet());
    }

    /** What Nacos held for the dataId; empty when it held nothing. Only in a snapshot with its content. */
    public Optional<NacosConfig> previous(String dataId) {
        if (previous == null) {
            throw new IllegalStateException("this snapshot keeps no content: ConfigPublish.restore finds it again");
        }
        return Optional.ofNullable(previous.get(dataId));
    }

    /** Whether the content itself is kept (else only each dataId's MD5 and type). */
    public boolean holdsContent() {
        return previous != null;
    }

    /** The MD5 and type of what Nacos held for the dataId; empty when it held nothing. */
    Optional<Kept> kept(String dataId) {
        return Optional.ofNullable(kept.get(dataId));
    }

    /**
     * A copy fit to be saved where it outlives this process: no content (it may hold passwords), only each dataId's
     * MD5 and type; {@link ConfigPublish#restore} finds the content again in the dataId's history.
     */
    public ConfigSnapshot withoutContent() {
        return new ConfigSnapshot(this);
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
        kept.forEach((k, v) -> shown.put(k, v == null ? "absent" : "md5 " + v.md5()));
        return "ConfigSnapshot[" + server + ", namespace '" + namespace + "', group " + group + ", " + shown + "]";
    }
}
