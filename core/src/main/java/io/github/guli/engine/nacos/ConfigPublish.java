package io.github.guli.engine.nacos;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Publishes a release's configuration to one environment's Nacos, and puts the previous one back. Each publish of a
 * dataId that existed is a compare-and-set against the content the snapshot read (the one the diff showed), so a
 * change made in Nacos meanwhile is not overwritten; a publish failing part-way restores what it had published.
 */
public final class ConfigPublish {
    /** How many of a dataId's newest history entries a restore without the content reads. */
    private static final int HISTORY_LOOKED_AT = 20;

    private final NacosClient nacos;
    private final Log log;

    public ConfigPublish(NacosClient nacos, Log log) {
        this.nacos = nacos;
        this.log = log;
    }

    /** What Nacos holds now for each file of the set: what the diff is made from and a restore puts back. */
    public ConfigSnapshot snapshot(ConfigSet set) {
        return ConfigSnapshot.take(nacos, set);
    }

    /** Publishes every file of the set that differs from the snapshot; on a failure restores them, then fails. */
    public ConfigRecord publish(ConfigSet set, ConfigSnapshot before) {
        if (!before.group().equals(set.group()) || !before.dataIds().containsAll(dataIds(set))) {
            throw new IllegalArgumentException("the snapshot was not taken for " + set);
        }
        Set<String> attempted = new LinkedHashSet<>();
        for (ConfigSet.ConfigFile f : set.files()) {
            Optional<NacosConfig> previous = before.previous(f.dataId());
            if (previous.isPresent() && previous.get().equals(f.config())) {
                log.info(f.dataId() + ": unchanged");
                continue;
            }
            attempted.add(f.dataId()); // a failed call may still have been applied
            try {
                nacos.publish(
                        set.group(),
                        f.dataId(),
                        f.config(),
                        previous.map(NacosConfig::md5).orElse(null));
            } catch (GuliException e) {
                throw failedPartWay(f.dataId(), e, before.only(attempted), set);
            }
            log.info(f.dataId() + ": published (sha256 " + f.config().sha256() + ")");
        }
        return ConfigRecord.of(nacos.namespace(), set);
    }

    private GuliException failedPartWay(String dataId, GuliException e, ConfigSnapshot published, ConfigSet set) {
        String message = "publishing the configuration stopped at " + dataId + ": " + e.getMessage();
        try {
            List<String> restored = restore(published, set);
            return new GuliException(
                    message + "; "
                            + (restored.isEmpty()
                                    ? "nothing had changed in Nacos"
                                    : "restored " + String.join(", ", restored) + " to what it held before"),
                    e);
        } catch (GuliException r) {
            return new GuliException(message + "; " + r.getMessage(), e);
        }
    }

    /**
     * Puts back what the snapshot read: the previous content, or no configuration where there was none. A dataId
     * already as it was is left alone, so a restore can be run again. Returns the dataIds it changed.
     */
    public List<String> restore(ConfigSnapshot before) {
        return restore(before, null);
    }

    /** With {@code ours}, only a dataId that holds what {@code ours} published: another's change stays. */
    private List<String> restore(ConfigSnapshot before, ConfigSet ours) {
        List<String> changed = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (String dataId : before.dataIds()) {
            try {
                Optional<NacosConfig> now = nacos.get(before.group(), dataId);
                Optional<NacosConfig> previous =
                        before.holdsContent() ? before.previous(dataId) : fromHistory(before, dataId, now);
                if (now.equals(previous) || ours != null && !now.equals(published(ours, dataId))) {
                    continue;
                }
                if (previous.isEmpty()) {
                    nacos.delete(before.group(), dataId);
                    log.info(dataId + ": deleted (it did not exist before)");
                } else {
                    nacos.publish(before.group(), dataId, previous.get(), null);
                    log.info(dataId + ": restored its previous content (sha256 "
                            + previous.get().sha256() + ")");
                }
                changed.add(dataId);
            } catch (GuliException e) {
                failed.add(dataId + " (" + e.getMessage() + ")");
            }
        }
        if (!failed.isEmpty()) {
            throw new GuliException("could not restore " + String.join("; ", failed)
                    + (changed.isEmpty() ? "" : "; restored " + String.join(", ", changed))
                    + ": put the rest back from its history in the Nacos"
                    + " console (Configuration Management > History Versions) of namespace '"
                    + (before.namespace().isEmpty() ? "public" : before.namespace()) + "'");
        }
        return changed;
    }

    /**
     * What the dataId held before, for a snapshot without content: the current content when its MD5 is the one kept,
     * else the newest of its history entries (an update's entry holds the content it replaced) with that MD5.
     */
    private Optional<NacosConfig> fromHistory(ConfigSnapshot before, String dataId, Optional<NacosConfig> now) {
        Optional<ConfigSnapshot.Kept> kept = before.kept(dataId);
        if (kept.isEmpty()) {
            return Optional.empty();
        }
        String md5 = kept.get().md5();
        if (now.isPresent() && now.get().md5().equals(md5)) {
            return now;
        }
        List<HistoryEntry> entries = nacos.history(before.group(), dataId);
        for (HistoryEntry h : entries.subList(0, Math.min(entries.size(), HISTORY_LOOKED_AT))) {
            String content = nacos.historyContent(before.group(), dataId, h.id());
            if (NacosConfig.digest("MD5", content).equals(md5)) {
                return Optional.of(new NacosConfig(content, kept.get().type()));
            }
        }
        throw new GuliException("its previous content (MD5 " + md5 + ") is not among its newest " + HISTORY_LOOKED_AT
                + " history entries");
    }

    private static Optional<NacosConfig> published(ConfigSet set, String dataId) {
        return set.files().stream()
                .filter(f -> f.dataId().equals(dataId))
                .map(ConfigSet.ConfigFile::config)
                .findFirst();
    }

    private static Set<String> dataIds(ConfigSet set) {
        Set<String> ids = new LinkedHashSet<>();
        set.files().forEach(f -> ids.add(f.dataId()));
        return ids;
    }
}
