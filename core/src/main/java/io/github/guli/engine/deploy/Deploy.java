package io.github.guli.engine.deploy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.release.ReleaseVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The course's {@code kubernetesDeploy(configs, enableConfigSubstitution, kubeconfigId)}, done right: glob, substitute,
 * validate everything before anything is applied, apply, wait for the rollout, roll back when it fails.
 */
public class Deploy {
    private static final Set<String> MANIFEST_SUFFIXES = Set.of(".yaml", ".yml", ".json");
    /** Problems listed per file: enough to fix a real file, bounded for a hostile one. */
    static final int MAX_PROBLEMS_PER_FILE = 50;

    private final Log log;
    private final Log rendered;
    private final Duration poll;

    /**
     * @param log progress and problems
     * @param rendered where a dry run prints the rendered manifests (the console, or stdout for the command line)
     */
    public Deploy(Log log, Log rendered) {
        this(log, rendered, Duration.ofSeconds(2));
    }

    /** @param poll how often the rollout is looked at (a test polls faster) */
    public Deploy(Log log, Log rendered, Duration poll) {
        this.log = log;
        this.rendered = rendered;
        this.poll = poll;
    }

    /** Deploys; the last line it logs is the summary (what was created, changed, unchanged; the rollout). */
    public DeployResult run(DeployRequest r) {
        Plan plan = prepare(r);
        DeployResult result;
        if (r.dryRun()) {
            render(plan);
            result = new DeployResult(
                    true,
                    List.of(),
                    List.of(),
                    List.of(),
                    plan.manifests().size() + " object" + (plan.manifests().size() == 1 ? "" : "s")
                            + " valid, nothing applied",
                    plan.warnings());
        } else {
            try (KubernetesClient client = KubeConnection.connect(r.kubeconfig(), r.context(), log)) {
                result = deploy(plan, r, client);
            }
        }
        log.info(result.summary());
        return result;
    }

    /** Applies, waits for the rollout when asked, and rolls back (when asked) if either fails. */
    private DeployResult deploy(Plan plan, DeployRequest r, KubernetesClient client) {
        KubeApi api = new KubeApi(client);
        RolloutState state = apply(plan, r, api);
        String failure = new RolloutWait(api, log, poll).waitFor(state);
        if (failure != null) {
            throw new Rollback(api, log).rollBack(state, failure);
        }
        return state.result();
    }

    private RolloutState apply(Plan plan, DeployRequest r, KubeApi api) {
        return new Applier(api, log)
                .apply(
                        plan.manifests(),
                        r.namespace(),
                        r.context(),
                        r.waitForRollout(),
                        Duration.ofSeconds(r.timeoutSeconds()),
                        r.rollbackOnFailure(),
                        plan.warnings());
    }

    /**
     * The first half of {@link #run} for a caller that waits in its own way (a Jenkins step that must survive a
     * restart): validates and applies, and returns what was applied, the rollout's deadline included. Then
     * {@link #poll} until the rollout is no longer progressing, and {@link #rollBack} when it failed.
     */
    public RolloutState apply(DeployRequest r) {
        return apply(r, null);
    }

    /** {@link #apply(DeployRequest)} of the manifests {@link #prior} read and validated (null: read them now). */
    public RolloutState apply(DeployRequest r, Prior prior) {
        if (r.dryRun()) {
            throw new IllegalArgumentException("a dry run applies nothing: use run");
        }
        Plan plan = prior != null && prior.plan != null ? prior.plan : prepare(r);
        try (KubernetesClient client = KubeConnection.connect(r.kubeconfig(), r.context(), log)) {
            return apply(plan, r, new KubeApi(client));
        }
    }

    /**
     * Validates the manifests and reads, changing nothing, what applying them would change: what a process that loses
     * the apply midway puts back ({@link #putBack}). {@link #apply(DeployRequest, Prior)} then applies them.
     */
    public Prior prior(DeployRequest r) {
        Plan plan = prepare(r);
        try (KubernetesClient client = KubeConnection.connect(r.kubeconfig(), r.context(), log)) {
            Prior prior = new Applier(new KubeApi(client), log).prior(plan.manifests(), r.namespace(), r.context());
            prior.plan = plan;
            return prior;
        }
    }

    /**
     * Puts back what changed since {@code prior} was read, however far the apply got: deletes what was created,
     * restores what changed (bounded in time, also when this thread is interrupted); returns the exception to fail
     * with: {@code reason} and what was put back.
     */
    public GuliException putBack(Prior prior, Kubeconfig kubeconfig, String reason) {
        boolean interrupted = Thread.interrupted(); // connecting must not fail on an abort either
        try (KubernetesClient client = KubeConnection.connect(kubeconfig, prior.context(), line -> {})) {
            KubeApi api = new KubeApi(client);
            return new Rollback(api, log).rollBack(reason, prior.changedSince(api), true);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One look at the rollout of what {@code state} applied (updated in place): complete, progressing or failed. */
    public Rollout.Status poll(RolloutState state, Kubeconfig kubeconfig) {
        try (KubernetesClient client = KubeConnection.connect(kubeconfig, state.context(), line -> {})) {
            return new RolloutWait(new KubeApi(client), log, poll).poll(state);
        }
    }

    /**
     * The rest of {@link #run} for what {@link #apply} applied, in this process: waits for the rollout, rolls back
     * when it fails (the exception says why and what was put back); logs the summary.
     */
    public DeployResult waitFor(RolloutState state, Kubeconfig kubeconfig) {
        try (KubernetesClient client = KubeConnection.connect(kubeconfig, state.context(), line -> {})) {
            KubeApi api = new KubeApi(client);
            String failure = new RolloutWait(api, log, poll).waitFor(state);
            if (failure != null) {
                throw new Rollback(api, log).rollBack(state, failure);
            }
        }
        DeployResult result = state.result();
        log.info(result.summary());
        return result;
    }

    /**
     * Puts back what {@code state} applied (when the deploy asked for rollbacks), bounded in time and also when this
     * thread is interrupted; returns the exception to fail with: {@code reason} and what was rolled back.
     */
    public GuliException rollBack(RolloutState state, Kubeconfig kubeconfig, String reason) {
        boolean interrupted = Thread.interrupted(); // connecting must not fail on an abort either
        try (KubernetesClient client = KubeConnection.connect(kubeconfig, state.context(), line -> {})) {
            return new Rollback(new KubeApi(client), log).rollBack(state, reason);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The manifests, read and validated, and each file as rendered. */
    record Plan(List<ManifestObject> manifests, Map<String, String> renderedFiles, int warnings) {}

    /** Reads and validates the manifests; fails listing every error when there is any. */
    private Plan prepare(DeployRequest r) {
        Path base = Path.of(r.workspace());
        List<String> files = new ArrayList<>();
        Set<String> all = new LinkedHashSet<>();
        for (Map.Entry<String, List<String>> e :
                ManifestGlobs.resolve(base, r.configs()).entrySet()) {
            if (e.getValue().isEmpty()) {
                log.info("configs pattern '" + e.getKey() + "' matches no file");
            }
            all.addAll(e.getValue());
        }
        for (String f : all) {
            if (MANIFEST_SUFFIXES.stream().anyMatch(f::endsWith)) {
                files.add(f);
            } else {
                log.info("skipped " + f + " (not .yaml, .yml or .json)");
            }
        }
        if (files.isEmpty()) {
            throw new GuliException("configs '" + r.configs() + "' matches no .yaml, .yml or .json file in " + base
                    + (Files.isDirectory(base) ? "" : " (which does not exist)")
                    + ": the course keeps the manifests in "
                    + "<module>/deploy/; check the pattern, the module name and the checkout");
        }
        ManifestLoader.Loaded loaded = ManifestLoader.load(base, files, r.substitute(), r.env());
        List<Problem> problems = new ArrayList<>(loaded.problems());
        boolean release = ReleaseVersion.isRelease(r.env().get("PROJECT_VERSION"));
        problems.addAll(new ManifestValidator(r.namespace(), release).validate(loaded.manifests()));
        problems.sort(Comparator.comparing(Problem::file).thenComparingInt(Problem::line));
        printProblems(problems);
        long errors = problems.stream().filter(Problem::isError).count();
        int warnings = (int) (problems.size() - errors);
        log.info("checked " + loaded.manifests().size() + " object"
                + (loaded.manifests().size() == 1 ? "" : "s") + " in "
                + files.size() + " file" + (files.size() == 1 ? "" : "s") + " (" + String.join(", ", files) + "): "
                + errors + " error" + (errors == 1 ? "" : "s") + ", " + warnings + " warning"
                + (warnings == 1 ? "" : "s"));
        Plan plan = new Plan(loaded.manifests(), loaded.rendered(), warnings);
        if (errors > 0) {
            if (r.dryRun()) {
                render(plan);
            }
            throw new GuliException("the manifests have " + errors + " error" + (errors == 1 ? "" : "s")
                    + " (listed above): nothing was applied; fix them and run again");
        }
        if (loaded.manifests().isEmpty()) {
            throw new GuliException("the files matched by configs '" + r.configs() + "' hold no Kubernetes object");
        }
        if (r.pin() != null) {
            r.pin().apply(loaded.manifests());
        }
        return plan;
    }

    /** Prints each file as rendered, with the values of Secrets' data left out. */
    private void render(Plan plan) {
        for (Map.Entry<String, String> f : plan.renderedFiles().entrySet()) {
            rendered.info("# ---- " + f.getKey() + " (rendered) ----");
            String[] lines = f.getValue().split("\n", -1);
            for (ManifestObject m : plan.manifests()) {
                if (m.file().equals(f.getKey()) && "Secret".equals(m.kind())) {
                    hideSecretData(m, lines);
                }
            }
            for (String line : lines) {
                if (line != null) {
                    rendered.info(line);
                }
            }
        }
    }

    private static void hideSecretData(ManifestObject m, String[] lines) {
        for (NodeTuple t : m.root().getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k
                    && (k.getValue().equals("data") || k.getValue().equals("stringData"))
                    && t.getValueNode() instanceof MappingNode data
                    && !data.getValue().isEmpty()) {
                Node v = t.getValueNode();
                int keyLine = k.getStartMark().getLine();
                int from = v.getStartMark().getLine();
                int to = v.getEndMark().getColumn() == 0
                        ? v.getEndMark().getLine() - 1
                        : v.getEndMark().getLine();
                String indent = lines[keyLine].substring(0, lines[keyLine].indexOf(k.getValue()));
                for (int i = Math.max(from, keyLine); i <= to && i < lines.length; i++) {
                    lines[i] = null;
                }
                lines[keyLine] =
                        indent + k.getValue() + ": {}  # " + data.getValue().size() + " key"
                                + (data.getValue().size() == 1 ? "" : "s") + ", values not shown";
            }
        }
    }

    /** Lists the problems, at most {@link #MAX_PROBLEMS_PER_FILE} of a file: a hostile file must not flood the log. */
    private void printProblems(List<Problem> problems) {
        Map<String, Integer> shown = new HashMap<>();
        Map<String, Integer> hidden = new LinkedHashMap<>();
        for (Problem p : problems) {
            if (shown.merge(p.file(), 1, Integer::sum) <= MAX_PROBLEMS_PER_FILE) {
                log.info(p.toString());
            } else {
                hidden.merge(p.file(), 1, Integer::sum);
            }
        }
        hidden.forEach((file, n) -> log.info(file + ": " + n + " more problem" + (n == 1 ? "" : "s")
                + " not listed (the " + "first " + MAX_PROBLEMS_PER_FILE + " are): fix those and run again"));
    }
}
