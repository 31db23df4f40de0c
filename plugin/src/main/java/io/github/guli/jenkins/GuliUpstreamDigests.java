package io.github.guli.jenkins;

import hudson.model.InvisibleAction;
import hudson.model.Run;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The SHA-256 of the upstream jars guliBuild kept on the agent (and of the image layers guliImage kept), per job and
 * branch, saved with the build on the controller where no build can write: the next build reuses a kept file only
 * when it still has this digest.
 */
public class GuliUpstreamDigests extends InvisibleAction {
    /** How far back a build's record is looked for: older ones are as good as none (the jars are built again). */
    static final int BUILDS_BACK = 20;
    /** The engine keeps a few entries per job and branch; more than this is not a record it returned. */
    private static final int MAX_ENTRIES = 16;

    private static final Pattern ID = Pattern.compile("[0-9a-f]{1,64}(/[0-9a-f]{1,64})?");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

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

    /** Records what the agent's build returned, keeping only well-formed entries (it comes from the agent). */
    static void record(Run<?, ?> run, String key, Map<String, String> digests) {
        Map<String, String> checked = new TreeMap<>();
        digests.forEach((id, sha) -> {
            if (checked.size() < MAX_ENTRIES
                    && ID.matcher(id).matches()
                    && SHA256.matcher(sha).matches()) {
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
