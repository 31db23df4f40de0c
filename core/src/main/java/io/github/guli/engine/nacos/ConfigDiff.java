package io.github.guli.engine.nacos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * For each dataId of a release's configuration, what the environment's Nacos holds now against what the release
 * publishes, as a unified diff with the secrets masked on both sides: what an approver reads before a deploy.
 */
public final class ConfigDiff {
    public enum Kind {
        ADDED,
        CHANGED,
        UNCHANGED
    }

    /** One dataId: how it changes, and the masked diff ("" when unchanged). */
    public record Change(String dataId, Kind kind, String diff) {}

    private final String where;
    private final List<Change> changes;

    private ConfigDiff(String where, List<Change> changes) {
        this.where = where;
        this.changes = List.copyOf(changes);
    }

    public static ConfigDiff of(ConfigSnapshot now, ConfigSet release) {
        String where = now.server() + " namespace '" + (now.namespace().isEmpty() ? "public" : now.namespace())
                + "' group " + now.group();
        List<Change> changes = new ArrayList<>();
        for (ConfigSet.ConfigFile f : release.files()) {
            NacosConfig before = now.previous(f.dataId()).orElse(null);
            NacosConfig after = f.config();
            Kind kind = before == null
                    ? Kind.ADDED
                    : before.content().equals(after.content()) && before.type().equals(after.type())
                            ? Kind.UNCHANGED
                            : Kind.CHANGED;
            String diff = kind == Kind.UNCHANGED ? "" : diff(f.dataId(), release.folder(), before, after);
            changes.add(new Change(f.dataId(), kind, diff));
        }
        return new ConfigDiff(where, changes);
    }

    private static String diff(String dataId, String folder, NacosConfig before, NacosConfig after) {
        String oldText = before == null ? "" : before.content();
        String oldType = before == null ? after.type() : before.type();
        Map<String, String> oldSecrets = SecretMask.secrets(oldText, oldType);
        Map<String, String> newSecrets = SecretMask.secrets(after.content(), after.type());
        List<String> values = new ArrayList<>();
        for (String v : concat(oldSecrets, newSecrets)) {
            values.add(v);
            values.add(v.strip().replaceAll("^([\"'])(.*)\\1$", "$2"));
        }
        String masked = UnifiedDiff.of(
                before == null ? "/dev/null" : "nacos/" + dataId,
                folder + "/" + dataId,
                oldText,
                after.content(),
                SecretMask.mask(oldText, oldType, Map.of(), values),
                SecretMask.mask(after.content(), after.type(), oldSecrets, values));
        String types = before != null && !before.type().equals(after.type())
                ? "type " + before.type() + " -> " + after.type() + "\n"
                : "";
        if (before != null && before.content().equals(after.content())) {
            return types;
        }
        return types + (masked.isEmpty() ? "(only the line break at the end of the file changes)\n" : masked);
    }

    private static List<String> concat(Map<String, String> a, Map<String, String> b) {
        List<String> all = new ArrayList<>(a.values());
        all.addAll(b.values());
        return all;
    }

    public List<Change> changes() {
        return changes;
    }

    /** Whether publishing would change anything in Nacos. */
    public boolean changesAnything() {
        return changes.stream().anyMatch(c -> c.kind() != Kind.UNCHANGED);
    }

    /** The whole diff as the log and the approval show it: one line per dataId, then the diffs. */
    public String text() {
        StringBuilder b = new StringBuilder("configuration for " + where + ":\n");
        if (changes.isEmpty()) {
            return b.append("  (no configuration files for this environment)\n").toString();
        }
        for (Change c : changes) {
            b.append("  ")
                    .append(c.dataId())
                    .append(": ")
                    .append(
                            switch (c.kind()) {
                                case ADDED -> "new in Nacos";
                                case CHANGED -> "changed";
                                case UNCHANGED -> "unchanged";
                            })
                    .append('\n');
        }
        for (Change c : changes) {
            b.append(c.diff());
        }
        return b.toString();
    }
}
