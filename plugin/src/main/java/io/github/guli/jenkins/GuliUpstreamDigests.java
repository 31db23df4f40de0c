package io.github.guli.jenkins;

import hudson.model.InvisibleAction;
import hudson.model.Run;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The SHA-256 of the upstream jars guliBuild kept on the agent (and of the scanner's cache it kept, and of the image
 * layers guliImage kept), per job and branch, saved with the build on the controller where no build can write: the
 * next build reuses a kept file only when it still has this digest.
 */
public class GuliUpstreamDigests extends InvisibleAction {
    /** How far back a build's record is looked for: older ones are as good as none (the jars are built again). */
    static final int BUILDS_BACK = 20;
    /**
     * The shape of one kind of record: its names, its values, and how many entries the engine returns at most (more
     * is not a record it returned).
     */
    record Form(Pattern name, Pattern value, int maxEntries) {
        /** A SHA-256, then the file's size, device, inode and change time (KeptFile). */
        static final Pattern STAMPED =
                Pattern.compile("[0-9a-f]{64}( [0-9]{1,20}:[0-9]{1,20}:[0-9]{1,20}:-?[0-9]{1,20})?");
    }

    /** The upstream jars ({@code <inputs>/<jar>}) and the image's layers ({@code <diff id>}): names of hex digits. */
    static final Form KEPT_FILES =
            new Form(Pattern.compile("[0-9a-f]{1,64}(/[0-9a-f]{1,64})?"), Pattern.compile("[0-9a-f]{64}"), 16);
    /** The scanner's downloads ({@code cache/<md5>/<file name>}), stamped (ScannerCache). */
    static final Form SCANNER_CACHE =
            new Form(Pattern.compile("cache/[0-9a-f]{32}/[A-Za-z0-9][A-Za-z0-9._+-]{0,199}"), Form.STAMPED, 512);
    /** Maven's class-data archive ({@code <key>.jsa}), stamped as the scanner's files (MavenClassArchive). */
    static final Form CLASS_ARCHIVE = new Form(Pattern.compile("[0-9a-f]{64}\\.jsa"), Form.STAMPED, 1);

    private final Map<String, Map<String, String>> byKey = new HashMap<>();

    /** The key of a build's kept jars: the job's full name and the branch the controller knows, never a file's. */
    static String key(String jobFullName, String branch) {
        return jobFullName + (branch == null ? "" : "@" + branch);
    }

    /** The digests recorded for {@code key} by this build or the latest earlier one that recorded any. */
    static Map<String, String> recorded(Run<?, ?> run, String key) {
        Run<?, ?> r = run;
        for (int i = 0; r != null && i <= BUILDS_BACK; i++, r = r.getPreviousBuild()) {
            GuliUpstreamDigests d = r.getAction(GuliUpstreamDigests.class);
            if (d != null) {
                synchronized (d) {
                    Map<String, String> digests = d.byKey.get(key);
                    if (digests != null) {
                        return Map.copyOf(digests);
                    }
                }
            }
        }
        return Map.of();
    }

    /** Records kept files' digests the agent's build returned ({@link #KEPT_FILES}). */
    static void record(Run<?, ?> run, String key, Map<String, String> digests) {
        record(run, key, digests, KEPT_FILES);
    }

    /** Records what the agent's build returned, keeping only entries of the {@code form} (it comes from the agent). */
    static void record(Run<?, ?> run, String key, Map<String, String> digests, Form form) {
        Map<String, String> checked = new TreeMap<>();
        new TreeMap<>(digests).forEach((id, sha) -> {
            if (checked.size() < form.maxEntries()
                    && form.name().matcher(id).matches()
                    && form.value().matcher(sha).matches()) {
                checked.put(id, sha);
            }
        });
        GuliUpstreamDigests d;
        synchronized (run) {
            d = run.getAction(GuliUpstreamDigests.class);
            if (d == null) {
                d = new GuliUpstreamDigests();
                run.addAction(d);
            }
        }
        synchronized (d) {
            d.byKey.put(key, checked);
        }
    }
}
