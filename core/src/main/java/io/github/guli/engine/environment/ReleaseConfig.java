package io.github.guli.engine.environment;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.nacos.ConfigDiff;
import io.github.guli.engine.nacos.ConfigPublish;
import io.github.guli.engine.nacos.ConfigRecord;
import io.github.guli.engine.nacos.ConfigSet;
import io.github.guli.engine.nacos.ConfigSnapshot;
import io.github.guli.engine.nacos.NacosClient;
import io.github.guli.engine.nacos.NacosConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration a deploy to an environment carries: the service's {@code <module>/config/<environment>/} files,
 * published to the environment's Nacos before the image, and put back when what follows fails. Without a Nacos server
 * or without files it does nothing.
 */
final class ReleaseConfig {
    static final String ABSENT = "absent";
    private final ConfigSet set;
    private final ConfigPublish publish;
    private final ConfigSnapshot before;
    private final String diff;
    private final Log log;
    private boolean published;

    private ReleaseConfig(ConfigSet set, ConfigPublish publish, ConfigSnapshot before, String diff, Log log) {
        this.set = set;
        this.publish = publish;
        this.before = before;
        this.diff = diff;
        this.log = log;
    }

    /**
     * Reads the files and what the target's Nacos holds for them, and logs the masked diff. Changes nothing: an
     * invalid file or a Nacos refusing the login fails here.
     */
    static ReleaseConfig read(EnvironmentRequest r, Environment target, Log log) {
        if (target.nacosUrl() == null) {
            return new ReleaseConfig(null, null, null, null, log);
        }
        ConfigSet set = ConfigSet.read(Path.of(r.workspace()), r.service(), target.name(), target.nacosGroup());
        if (set.isEmpty()) {
            log.info(target + " has a Nacos server but " + set.folder() + " holds no configuration: none published");
            return new ReleaseConfig(null, null, null, null, log);
        }
        NacosClient nacos = new NacosClient(target.nacosUrl(), target.nacosCredentials(), target.nacosNamespace());
        ConfigPublish publish = new ConfigPublish(nacos, log);
        ConfigSnapshot before;
        try {
            before = publish.snapshot(set);
        } catch (GuliException e) {
            throw new GuliException(
                    "cannot deploy " + r.service() + " to " + target.name() + ": reading its " + "configuration from "
                            + nacos.url() + " failed, nothing was changed: " + e.getMessage(),
                    e);
        }
        String changed = changedSincePreview(r, before);
        if (changed != null) {
            throw new GuliException("cannot deploy " + r.service() + " to " + target.name() + ": " + changed
                    + " in " + nacos.url() + " since the preview, nothing was changed: preview again (run the build "
                    + "again) to see and approve the diff against what Nacos holds now");
        }
        String diff = ConfigDiff.of(before, set).text();
        log.info(diff);
        return new ReleaseConfig(set, publish, before, diff, log);
    }

    /** Each dataId's MD5 in the snapshot, or {@value #ABSENT}: what a later publish must still find. */
    static Map<String, String> state(ConfigSnapshot snapshot) {
        Map<String, String> state = new LinkedHashMap<>();
        for (String dataId : snapshot.dataIds()) {
            state.put(dataId, snapshot.previous(dataId).map(NacosConfig::md5).orElse(ABSENT));
        }
        return state;
    }

    /** Which dataId Nacos changed since the preview read {@code r}'s state, or null when none (or no state given). */
    private static String changedSincePreview(EnvironmentRequest r, ConfigSnapshot now) {
        if (r.configState() == null) {
            return null;
        }
        for (Map.Entry<String, String> e : state(now).entrySet()) {
            String previewed = r.configState().get(e.getKey());
            if (!e.getValue().equals(previewed)) {
                return e.getKey() + " is " + describe(e.getValue()) + ", not " + describe(previewed) + " as it was";
            }
        }
        return null;
    }

    private static String describe(String md5) {
        return md5 == null ? "not previewed" : ABSENT.equals(md5) ? "absent" : "md5 " + md5;
    }

    /** What the preview read, {@code dataId=md5} (or {@value #ABSENT}) comma-separated; null when nothing is published. */
    String stateText() {
        if (before == null) {
            return null;
        }
        return String.join(
                ",",
                state(before).entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .toList());
    }

    /** The masked diff of what the target's Nacos holds against what is published; null when nothing is. */
    String diff() {
        return diff;
    }

    /** Publishes the files; null when there are none. A publish failing part-way has put back what it changed. */
    ConfigRecord publish() {
        if (set == null) {
            return null;
        }
        ConfigRecord record = publish.publish(set, before);
        published = true;
        log.info("configuration published: " + record);
        return record;
    }

    /** What the target's Nacos holds before the publish; null when there is nothing to publish. */
    ConfigSnapshot snapshot() {
        return before;
    }

    /** What the target's Nacos held before the publish; null when nothing was published. */
    ConfigSnapshot published() {
        return published ? before : null;
    }

    /** After a failure following the publish: puts the previous configuration back; the failure says so. */
    RuntimeException restore(RuntimeException failure) {
        return published ? restore(publish, before, failure, log) : failure;
    }

    /** Puts {@code before} back through {@code publish}; the failure, saying what was restored or why not. */
    static GuliException restore(ConfigPublish publish, ConfigSnapshot before, RuntimeException failure, Log log) {
        try {
            List<String> restored = publish.restore(before);
            String what = restored.isEmpty()
                    ? "the configuration in Nacos was already as before"
                    : "restored the configuration " + String.join(", ", restored) + " in Nacos to what it held before";
            log.info(what);
            return new GuliException(failure.getMessage() + "; " + what, failure);
        } catch (GuliException e) {
            log.info(e.getMessage());
            return new GuliException(failure.getMessage() + "; " + e.getMessage(), failure);
        }
    }
}
