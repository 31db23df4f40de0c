package io.github.guli.engine.pipeline;

import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.build.ChangedServices;
import io.github.guli.engine.environment.Environment;
import io.github.guli.engine.registry.ImageRef;
import io.github.guli.engine.release.ReleaseVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Decides everything guliPipeline does, so that its var only runs stages: which stages run and why others are
 * skipped, each step's arguments, the approvals, the parameters form, the image tags. The result is a map of
 * strings, booleans, lists and maps, as a Pipeline script can hold it across a restart.
 */
public final class PipelineSettings {
    public static final String MAVEN = "maven";
    public static final String FRONTEND = "frontend";
    /** The PROJECT_NAME choice that builds the services the commits since the last successful build changed. */
    public static final String CHANGED = "(changed)";

    public static final int DEFAULT_APPROVAL_TIMEOUT_MINUTES = 60;
    static final String DEFAULT_FRONTEND_BUILD = "npm ci && npm run build";
    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");

    private final SettingsRequest request;
    private final PipelineConfig config;
    private final Map<String, String> env;

    private PipelineSettings(SettingsRequest request) {
        this.request = request;
        this.env = request.env() == null ? Map.of() : request.env();
        if (!MAVEN.equals(request.kind()) && !FRONTEND.equals(request.kind())) {
            throw new GuliException(
                    "kind '" + request.kind() + "' is not known: use '" + MAVEN + "' or '" + FRONTEND + "'");
        }
        this.config = new PipelineConfig(globalLayer(request.global()), request.call(), request.file());
    }

    /** Resolves the settings; a {@link GuliException} names what is wrong in which place and how to fix it. */
    /** The step arguments guli.yaml may add, by stage key ({@code build}, ...): what its stage maps may hold. */
    public static Map<String, java.util.Set<String>> fileStageArgs() {
        Map<String, java.util.Set<String>> out = new java.util.TreeMap<>();
        PipelineConfig.FILE_STAGE_ARGS.forEach((k, v) -> out.put(k.key, v));
        return out;
    }

    public static Map<String, Object> resolve(SettingsRequest request) {
        return new PipelineSettings(request).toMap();
    }

    /** The global configuration has only these settings for the pipeline; the steps read their own. */
    private static Map<String, Object> globalLayer(Map<String, String> global) {
        Map<String, Object> layer = new LinkedHashMap<>();
        if (global != null) {
            for (ConfigKey k : List.of(
                    ConfigKey.APPROVERS,
                    ConfigKey.APPROVAL_TIMEOUT_MINUTES,
                    ConfigKey.CONTAINER,
                    ConfigKey.CONCURRENCY)) {
                if (global.get(k.key) != null) {
                    layer.put(k.key, global.get(k.key));
                }
            }
        }
        return layer;
    }

    /** The settings: what this build is, the parameters form, then each stage's. */
    private Map<String, Object> toMap() {
        BuildPlan plan = plan();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("service", plan.service());
        s.put("kind", request.kind());
        s.put("projectName", plan.projectName());
        s.put("services", plan.services());
        s.put("changes", plan.changes());
        s.put("projectVersion", plan.version());
        s.put("release", plan.release());
        s.put("snapshotTag", plan.snapshotTag());
        s.put(
                "releaseTag",
                plan.release() ? ReleaseVersion.parse(plan.version()).imageTag() : null);
        s.put("gitTag", plan.release() ? plan.gitTag() : null);
        s.put("commit", plan.commit());
        s.put("agent", Blank.orDefault(config.string(ConfigKey.AGENT), ""));
        s.put("container", Blank.orDefault(config.string(ConfigKey.CONTAINER), ""));
        s.put("env", envList(plan));
        // a promotion's form stays the job's: the next build offers DEPLOY as the configuration has it
        boolean deployByDefault = plan.promotion() == null
                ? plan.stages().deploy().enabled()
                : config.stage(ConfigKey.DEPLOY, true).enabled();
        s.put("parameters", parameters(plan.service(), deployByDefault));
        StageSettings stages = new StageSettings(config, request, plan);
        Map<String, Object> inOrder = stages.inOrder();
        s.put("stages", inOrder);
        // a freeze refuses here, before any agent; null: none, or nothing deployed (else an override to audit)
        Map<String, Object> freeze = null;
        String frozen = null;
        if (plan.promotion() != null) {
            s.put("promotion", stages.promotion());
        }
        try {
            freeze = freeze(plan, inOrder);
        } catch (GuliException e) {
            if (!request.returnFreeze()) {
                throw e;
            }
            frozen = "[guliPipeline] " + e.getMessage();
        }
        s.put("freeze", freeze);
        if (frozen != null) { // asked for (returnFreeze): the refusal the caller fails with once the form is set
            s.put("frozen", frozen);
        }
        return plain(s);
    }

    /** The freeze on the target of what runs: a promotion's environment, else the cluster a deploy or release goes to. */
    private Map<String, Object> freeze(BuildPlan plan, Map<String, Object> stages) {
        ApprovalGates gates = new ApprovalGates(request);
        if (plan.promotion() != null) {
            return gates.freeze(plan.promotion().target().name());
        }
        return runs(stages, "deploy") || runs(stages, "release") ? gates.freeze(null) : null;
    }

    private static boolean runs(Map<String, Object> stages, String stage) {
        return Boolean.TRUE.equals(((Map<?, ?>) stages.get(stage)).get("run"));
    }

    /** Decides what this build is, refusing what cannot be built (in the order a user meets the problems). */
    private BuildPlan plan() {
        String service = service();
        String projectName = projectName(service);
        boolean changedMode = CHANGED.equals(projectName);
        String version = version(changedMode);
        PromotionPlan promotion = PromotionPlan.of(request.environments(), env);
        if (promotion != null && changedMode) {
            throw new GuliException(
                    "a promotion or rollback moves one service: choose it in PROJECT_NAME instead of " + CHANGED);
        }
        List<String> changes = new ArrayList<>();
        List<String> services = changedMode ? changedServices(changes) : List.of(projectName);
        boolean frontend = FRONTEND.equals(request.kind());
        BuildPlan.Stages stages =
                promotion == null ? stages(frontend, changedMode, services) : promoting(promotion.skipReason());
        String deployParam = env.get("DEPLOY");
        boolean deployTicked =
                Blank.isBlank(deployParam) ? stages.deploy().enabled() : Boolean.parseBoolean(deployParam);
        boolean newest = newest();
        String branch = branch();
        boolean tagsNeeded = request.scm() != null
                && (stages.image().enabled()
                        || !version.isEmpty() && stages.release().enabled());
        String snapshotTag = tagsNeeded ? snapshotTag(branch, env.get("BUILD_NUMBER")) : null;
        String commit = request.scm() == null ? null : request.scm().get("GIT_COMMIT");
        return new BuildPlan(
                service,
                projectName,
                services,
                changes,
                version,
                frontend,
                newest,
                deployTicked,
                branch,
                snapshotTag,
                commit,
                stages,
                promotion);
    }

    /** A promotion or rollback builds, deploys from and releases nothing of this commit. */
    private static BuildPlan.Stages promoting(String why) {
        PipelineConfig.Stage off = new PipelineConfig.Stage(false, Map.of(), why);
        return new BuildPlan.Stages(off, off, off, off, off);
    }

    private String service() {
        String service = config.string(ConfigKey.SERVICE);
        if (service == null) {
            throw new GuliException("'service' is not set: call guliPipeline(service: 'gulimall-gateway') with the "
                    + "module this repository builds");
        }
        checkName(service, "'service' in " + config.source(ConfigKey.SERVICE));
        return service;
    }

    private String projectName(String service) {
        String projectName = Blank.orDefault(env.get("PROJECT_NAME"), service);
        if (!CHANGED.equals(projectName)) {
            checkName(projectName, "PROJECT_NAME");
        }
        return projectName;
    }

    private String version(boolean changedMode) {
        String version = Blank.orDefault(env.get("PROJECT_VERSION"), "");
        if (!version.isEmpty()) {
            ReleaseVersion.parse(version); // refuses vfoo, v0.0Beta, 1.2.0 with the rule
            if (changedMode) {
                throw new GuliException("PROJECT_VERSION " + version + " releases one service: choose it in "
                        + "PROJECT_NAME instead of " + CHANGED);
            }
        }
        return version;
    }

    private BuildPlan.Stages stages(boolean frontend, boolean changedMode, List<String> services) {
        PipelineConfig.Stage gate =
                nothingChanged(config.stage(ConfigKey.QUALITY_GATE, !frontend), changedMode, services);
        if (frontend && !gate.enabled() && gate.source().equals("the default")) {
            gate = new PipelineConfig.Stage(
                    false, Map.of(), "a front end has no quality gate unless its configuration says qualityGate: true");
        }
        return new BuildPlan.Stages(
                nothingChanged(config.stage(ConfigKey.BUILD, true), changedMode, services),
                gate,
                nothingChanged(config.stage(ConfigKey.IMAGE, true), changedMode, services),
                nothingChanged(config.stage(ConfigKey.DEPLOY, true), changedMode, services),
                config.stage(ConfigKey.RELEASE, true));
    }

    /**
     * Whether a newer deploy or release of a service drops the older ones waiting for its lock ({@code newest}), or
     * they queue ({@code lock}, the default). Either way they hold a lock per service, never a milestone: a
     * milestone is per job, and would abort the builds of the job's other services.
     */
    private boolean newest() {
        String concurrency = Blank.orDefault(config.string(ConfigKey.CONCURRENCY), "lock");
        if (concurrency.equals("milestone")) {
            throw new GuliException("'concurrency' in " + config.source(ConfigKey.CONCURRENCY) + " is 'milestone', "
                    + "which is no longer offered: a milestone is per job, so it aborts the builds of the job's other "
                    + "services. Use 'lock' (the default: deploys and releases of one service queue) or 'newest' (a "
                    + "newer build drops the older ones waiting for the same service), see docs/steps.md");
        }
        if (!concurrency.equals("lock") && !concurrency.equals("newest")) {
            throw new GuliException("'concurrency' in " + config.source(ConfigKey.CONCURRENCY) + " is '" + concurrency
                    + "': use 'lock' (deploys and releases of one service queue) or 'newest' (a newer build drops "
                    + "the older ones waiting), see docs/steps.md");
        }
        return concurrency.equals("newest");
    }

    /**
     * The services (changed) builds: those the commits changed (the plugin computed them on the agent), within
     * the configuration's services list when there is one. Why each is built, or not, goes to {@code log}.
     */
    private List<String> changedServices(List<String> log) {
        if (request.scm() == null) {
            return List.of(); // before checkout nothing is known yet, and nothing runs on this answer
        }
        ChangedServices.Result changes = request.changes();
        if (changes == null) {
            throw new GuliException("PROJECT_NAME " + CHANGED + " needs the changes since the last successful build: "
                    + "guliSettings computes them after checkout, inside node (call it with scm)");
        }
        List<String> allowed = config.list(ConfigKey.SERVICES);
        log.add("[guliPipeline] " + CHANGED + ": " + changes.note());
        List<String> out = new ArrayList<>();
        for (ChangedServices.Pick p : changes.picked()) {
            if (allowed == null || allowed.contains(p.service())) {
                checkName(p.service(), "the changed service");
                out.add(p.service());
                log.add("[guliPipeline] building " + p.service() + ": " + p.reason());
            } else {
                log.add("[guliPipeline] not building " + p.service() + " (" + p.reason() + "): it is not in 'services' "
                        + "of " + config.source(ConfigKey.SERVICES));
            }
        }
        return out;
    }

    /** A stage of a (changed) build that found no service to build does not run. */
    private static PipelineConfig.Stage nothingChanged(
            PipelineConfig.Stage st, boolean changedMode, List<String> services) {
        return changedMode && services.isEmpty() && st.enabled()
                ? new PipelineConfig.Stage(false, Map.of(), "no service changed, so there is nothing to build")
                : st;
    }

    private void checkName(String name, String what) {
        if (!NAME.matcher(name).matches()) {
            throw new GuliException(what + " is '" + name + "': a service name is lower-case letters and digits "
                    + "separated by '-', '.' or '_' (it names the image and the deployment), e.g. gulimall-gateway");
        }
    }

    private String branch() {
        String b = env.get("BRANCH_NAME");
        if (!Blank.isBlank(b)) {
            return b.trim();
        }
        String g = request.scm() == null ? null : request.scm().get("GIT_BRANCH");
        if (Blank.isBlank(g)) {
            return null;
        }
        // checkout reports the remote-tracking name: origin/master, or refs/remotes/origin/master
        g = g.trim().replaceFirst("^refs/(remotes/[^/]+|heads)/", "");
        return g.startsWith("origin/") ? g.substring("origin/".length()) : g;
    }

    private static String snapshotTag(String branch, String buildNumber) {
        if (branch == null) {
            throw new GuliException("cannot tell the branch for the image tag SNAPSHOT-<branch>-<build>: this is not "
                    + "a multibranch job and checkout reported no GIT_BRANCH. Check out a branch (not a bare commit), "
                    + "or use a multibranch job");
        }
        if (Blank.isBlank(buildNumber)) {
            throw new GuliException("BUILD_NUMBER is not set: guliSettings runs inside a Pipeline build");
        }
        return ImageRef.snapshotTag(branch, buildNumber.trim());
    }

    private List<String> envList(BuildPlan plan) {
        List<String> out = new ArrayList<>();
        out.add("PROJECT_NAME=" + plan.projectName());
        out.add("PROJECT_VERSION=" + plan.version());
        String branch = plan.branch();
        if (branch != null && Blank.isBlank(env.get("BRANCH_NAME"))) {
            out.add("BRANCH_NAME=" + branch); // so the steps' own SNAPSHOT-<branch>-<build> agrees with ours
        }
        return out;
    }

    private Map<String, Object> parameters(String service, boolean deployByDefault) {
        List<String> choices = new ArrayList<>();
        choices.add(service);
        List<String> listed = config.list(ConfigKey.SERVICES);
        if (listed == null) {
            // the reactor's services, as (changed) picks them; read from the root pom's text only without a workspace
            listed = request.services() != null ? request.services() : Modules.of(request.pom());
            listed.forEach(m -> checkName(m, "a service of the repository's pom.xml"));
        }
        for (String m : listed) {
            if (!choices.contains(m)) {
                choices.add(m);
            }
        }
        if (choices.size() > 1) {
            choices.add(0, CHANGED); // the default, so a build a push triggers builds what the push changed
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("projectNames", choices);
        p.put(
                "projectNameDescription",
                "the module to build, its image and its deployment; " + CHANGED + ": the "
                        + "services the commits since the last successful build changed (their module or one they are built "
                        + "from), built in one Maven run, deployed after one approval");
        p.put(
                "projectVersionDescription",
                "empty: a snapshot build (image SNAPSHOT-<branch>-<build>). A release "
                        + "version, 'v' + semantic version such as v1.2.0 or v2.0.0-rc.1: after the deploy, asks to tag the "
                        + "image with it and push the git tag <PROJECT_NAME>-<PROJECT_VERSION>");
        p.put("deploy", deployByDefault);
        p.put("deployDescription", "ask for approval, then deploy to the cluster");
        environmentChoices(p);
        if (new ApprovalGates(request).anyWindows()) {
            p.put("freezeOverride", true);
            p.put(
                    "freezeOverrideDescription",
                    "empty: a deploy, release or promotion in a freeze window is refused. An administrator's reason: "
                            + "run it anyway (recorded in the audit trail); ignored for anyone else");
        }
        return p;
    }

    /**
     * With the admins' environments: PROMOTE_TO (each after the first), PROMOTE_DIGEST, ROLLBACK_TO and its
     * ENVIRONMENT.
     */
    private void environmentChoices(Map<String, Object> p) {
        List<String> names =
                request.environments().stream().map(Environment::name).toList();
        if (names.isEmpty()) {
            return;
        }
        List<String> promoteTo = new ArrayList<>(List.of(""));
        promoteTo.addAll(names.subList(1, names.size()));
        List<String> where = new ArrayList<>(List.of(""));
        where.addAll(names);
        p.put("promoteTo", promoteTo);
        p.put(
                "promoteToDescription",
                "empty: build this commit. An environment: build nothing, deploy to it the image the environment "
                        + "before it runs (after its approval); with PROJECT_VERSION, only if that is the version running "
                        + "there");
        p.put(
                "promoteDigestDescription",
                "empty: the digest the environment before runs. A digest (sha256:...): promote exactly this one, "
                        + "refused unless the environment before runs it");
        p.put(
                "rollbackToDescription",
                "empty: no rollback. A released version such as v1.4.1: build nothing, deploy that release's image "
                        + "to ENVIRONMENT again (after its approval)");
        p.put("environments", where);
        p.put("environmentDescription", "the environment ROLLBACK_TO rolls back");
    }

    /**
     * A deep copy in LinkedHashMap and ArrayList: what the script keeps must be plain serializable collections
     * (the Pipeline's program state survives a controller restart), not immutable JDK ones.
     */
    @SuppressWarnings("unchecked")
    static <T> T plain(T value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
            return (T) out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(plain(v)));
            return (T) out;
        }
        return value;
    }
}
