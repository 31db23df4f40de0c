package io.github.guli.jenkins;

import hudson.model.InvisibleAction;
import hudson.model.Run;
import io.github.guli.engine.environment.EnvironmentResult;
import io.github.guli.engine.environment.Preview;
import io.github.guli.engine.environment.Running;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * On a promotion's or rollback's build page: per environment it read or deployed, the version and digest running
 * there after the build, and the configuration it published. The preview fills it before the approval (what the
 * predecessor runs, what the target runs); the deploy replaces the target's row. Kept with the build.
 */
public class GuliEnvironmentsSummary extends InvisibleAction {
    /** One environment: what runs there, and how this build knows. */
    public static final class Row {
        private final String environment;
        private final String version;
        private final String digest;
        private final String how;
        private final String config;

        Row(String environment, String version, String digest, String how, String config) {
            this.environment = environment;
            this.version = version;
            this.digest = digest;
            this.how = how;
            this.config = config;
        }

        public String getEnvironment() {
            return environment;
        }

        public String getVersion() {
            return version == null ? "" : version;
        }

        public String getDigest() {
            return digest == null ? "" : digest;
        }

        public String getHow() {
            return how;
        }

        /** The configuration record published there, or "". */
        public String getConfig() {
            return config == null ? "" : config;
        }
    }

    private final Map<String, Row> rows = new TreeMap<>();
    private final List<String> order = new ArrayList<>();
    private boolean previewed;
    private String builtCommit;

    /** Whether a preview read what is deployed (then {@link #getBuiltCommit()} says where its files come from). */
    public synchronized boolean isPreviewed() {
        return previewed;
    }

    /** The commit whose manifests and configuration are deployed (the image's), or null: the branch as checked out. */
    public synchronized String getBuiltCommit() {
        return builtCommit;
    }

    public synchronized List<Row> getRows() {
        return order.stream().map(rows::get).toList();
    }

    /** What the preview read: the predecessor runs what is promoted, the target runs what it will replace. */
    static void previewed(Run<?, ?> run, Preview p) {
        GuliEnvironmentsSummary s = of(run);
        s.builtFrom(p.builtCommit());
        if (p.from() != null && !p.from().equals(p.environment())) {
            s.put(new Row(p.from(), p.version(), p.digest(), "runs it (read before the approval)", null));
        }
        Running now = p.current();
        s.put(new Row(
                p.environment(),
                now == null ? null : now.version(),
                now == null ? null : now.digest(),
                now == null ? "does not run the service (read before the approval)" : "before this build",
                null));
    }

    /** What the build deployed, in place of what the target ran before. */
    static void deployed(Run<?, ?> run, EnvironmentResult r) {
        of(run).put(new Row(
                r.environment(),
                r.version(),
                r.digest(),
                "deployed by this build",
                r.config() == null ? null : r.config().toString()));
    }

    private synchronized void builtFrom(String commit) {
        previewed = true;
        builtCommit = commit;
    }

    private synchronized void put(Row row) {
        if (rows.put(row.environment, row) == null) {
            order.add(row.environment);
        }
    }

    private static GuliEnvironmentsSummary of(Run<?, ?> run) {
        synchronized (run) {
            GuliEnvironmentsSummary s = run.getAction(GuliEnvironmentsSummary.class);
            if (s == null) {
                s = new GuliEnvironmentsSummary();
                run.addAction(s);
            }
            return s;
        }
    }
}
