package io.github.guli.engine.pipeline;

import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.build.ChangedServices;
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
    public static Map<String, Object> resolve(SettingsRequest request) {
        return new PipelineSettings(request).toMap();
    }

    /** The global configuration has only these settings for the pipeline; the steps read their own. */
    private static Map<String, Object> globalLayer(Map<String, String> global) {
        Map<String, Object> layer = new LinkedHashMap<>();
        if (global != null) {
            for (ConfigKey k : List.of(ConfigKey.APPROVERS, ConfigKey.APPROVAL_TIMEOUT_MINUTES, ConfigKey.CONTAINER)) {
                if (global.get(k.key) != null) {
                    layer.put(k.key, global.get(k.key));
                }
            }
        }
        return layer;
    }

    private Map<String, Object> toMap() {
        String service = config.string(ConfigKey.SERVICE);
        if (service == null) {
            throw new GuliException("'service' is not set: call guliPipeline(service: 'gulimall-gateway') with the "
                    + "module this repository builds");
        }
        checkName(service, "'service' in " + config.source(ConfigKey.SERVICE));
        String projectName = Blank.orDefault(env.get("PROJECT_NAME"), service);
        boolean changedMode = CHANGED.equals(projectName);
        if (!changedMode) {
            checkName(projectName, "PROJECT_NAME");
        }
        String version = Blank.orDefault(env.get("PROJECT_VERSION"), "");
        boolean release = !version.isEmpty();
        if (release) {
            ReleaseVersion.parse(version); // refuses vfoo, v0.0Beta, 1.2.0 with the rule
            if (changedMode) {
                throw new GuliException("PROJECT_VERSION " + version + " releases one service: choose it in "
                        + "PROJECT_NAME instead of " + CHANGED);
            }
        }
        List<String> changeLog = new ArrayList<>();
        List<String> services = changedMode ? changedServices(changeLog) : List.of(projectName);
        boolean frontend = FRONTEND.equals(request.kind());

        PipelineConfig.Stage build = nothingChanged(config.stage(ConfigKey.BUILD, true), changedMode, services);
        PipelineConfig.Stage gate =
                nothingChanged(config.stage(ConfigKey.QUALITY_GATE, !frontend), changedMode, services);
        if (frontend && !gate.enabled() && gate.source().equals("the default")) {
            gate = new PipelineConfig.Stage(
                    false, Map.of(), "a front end has no quality gate unless its configuration says qualityGate: true");
        }
        PipelineConfig.Stage image = nothingChanged(config.stage(ConfigKey.IMAGE, true), changedMode, services);
        PipelineConfig.Stage deploy = nothingChanged(config.stage(ConfigKey.DEPLOY, true), changedMode, services);
        PipelineConfig.Stage rel = config.stage(ConfigKey.RELEASE, true);
        String deployParam = env.get("DEPLOY");
        boolean deployTicked = Blank.isBlank(deployParam) ? deploy.enabled() : Boolean.parseBoolean(deployParam);
        String concurrency = Blank.orDefault(config.string(ConfigKey.CONCURRENCY), "lock");
        if (!concurrency.equals("lock") && !concurrency.equals("milestone")) {
            throw new GuliException("'concurrency' in " + config.source(ConfigKey.CONCURRENCY) + " is '" + concurrency
                    + "': use 'lock' (deploys of a service wait for each other) or 'milestone' (see docs/steps.md)");
        }
        boolean deploys = deploy.enabled() && deployTicked;
        // checked once guli.yaml is known (after checkout): it may switch deploys off
        if (deploys && concurrency.equals("lock") && !request.lockAvailable() && request.scm() != null) {
            throw new GuliException("deploys of one service are kept apart with the lock step, and this Jenkins does "
                    + "not have it: install the Lockable Resources plugin (lockable-resources), or set concurrency: "
                    + "milestone (weaker, see docs/steps.md), or deploy: false");
        }

        String branch = branch();
        String buildNumber = env.get("BUILD_NUMBER");
        boolean tagsNeeded = request.scm() != null && (image.enabled() || release && rel.enabled());
        String snapshotTag = tagsNeeded ? snapshotTag(branch, buildNumber) : null;
        String commit = request.scm() == null ? null : request.scm().get("GIT_COMMIT");

        Map<String, Object> s = new LinkedHashMap<>();
        s.put("service", service);
        s.put("kind", request.kind());
        s.put("projectName", projectName);
        s.put("services", services);
        s.put("changes", changeLog);
        s.put("projectVersion", version);
        s.put("release", release);
        s.put("snapshotTag", snapshotTag);
        s.put("releaseTag", release ? ReleaseVersion.parse(version).imageTag() : null);
        s.put("gitTag", release ? projectName + "-" + version : null);
        s.put("commit", commit);
        s.put("agent", Blank.orDefault(config.string(ConfigKey.AGENT), ""));
        s.put("container", Blank.orDefault(config.string(ConfigKey.CONTAINER), ""));
        s.put("env", envList(projectName, version, branch));
        s.put("parameters", parameters(service, deploy.enabled()));
        Map<String, Object> stages = new LinkedHashMap<>(); // in the order they run

        stages.put(
                "build",
                stage(
                        build,
                        "build",
                        frontend
                                ? ordered(
                                        "command",
                                        Blank.orDefault(
                                                config.string(ConfigKey.FRONTEND_BUILD), DEFAULT_FRONTEND_BUILD))
                                : ordered(
                                        "step",
                                        "guliBuild",
                                        "args",
                                        args(
                                                changedMode
                                                        ? ordered("module", String.join(",", services))
                                                        : ordered("projectName", projectName),
                                                build))));
        PipelineConfig.Stage gateRun = build.enabled() || !gate.enabled()
                ? gate
                : new PipelineConfig.Stage(
                        false, Map.of(), "the build stage is skipped, so there is no analysis to wait for");
        List<Map<String, Object>> gateCalls = new ArrayList<>();
        List<Map<String, Object>> imageCalls = new ArrayList<>();
        List<Map<String, Object>> deployCalls = new ArrayList<>();
        List<String> configs = new ArrayList<>();
        // one call of each per service: one service, or those (changed) picked
        for (String name : services) {
            gateCalls.add(args(changedMode ? ordered("module", name) : Map.of(), gate));
            Map<String, Object> imageArgs = new LinkedHashMap<>();
            imageArgs.put("projectName", name);
            if (frontend) {
                imageArgs.put("dockerfile", "Dockerfile"); // the front end's own Dockerfile at the repository root
            }
            putGiven(imageArgs, ConfigKey.REGISTRY, ConfigKey.NAMESPACE, ConfigKey.REGISTRY_CREDENTIALS_ID);
            imageCalls.add(args(imageArgs, image));
            Map<String, Object> deployArgs = new LinkedHashMap<>();
            deployArgs.put("projectName", name);
            deployArgs.put("configs", name + "/deploy/**");
            putGiven(deployArgs, ConfigKey.KUBECONFIG_ID);
            deployArgs = args(deployArgs, deploy);
            configs.add(String.valueOf(deployArgs.get("configs")));
            deployCalls.add(ordered(
                    "args",
                    deployArgs,
                    "lock",
                    concurrency.equals("lock") ? ordered("resource", "guli-deploy-" + name) : null));
        }
        stages.put(
                "qualityGate",
                stage(
                        gateRun,
                        "qualityGate",
                        ordered("step", "guliQualityGate", "args", first(gateCalls), "calls", gateCalls)));
        stages.put(
                "image",
                stage(image, "image", ordered("step", "guliImage", "args", first(imageCalls), "calls", imageCalls)));

        PipelineConfig.Stage deployRun = deployTicked || !deploy.enabled()
                ? deploy
                : new PipelineConfig.Stage(false, Map.of(), "the DEPLOY parameter is not ticked");
        stages.put(
                "approval",
                approval(
                        deployRun,
                        "deploy",
                        "deploy-" + (changedMode ? "changed" : projectName),
                        "deploy " + String.join(", ", services) + " to the cluster?",
                        "Deploy"));
        Map<String, Object> deployStage = new LinkedHashMap<>();
        Map<String, Object> firstDeploy = first(deployCalls);
        deployStage.put("step", "guliDeployK8s");
        deployStage.put("args", firstDeploy.get("args"));
        deployStage.put("calls", deployCalls);
        // the manifests travel from the build's workspace to the deploy's: the approval holds no agent
        deployStage.put(
                "stash", ordered("name", "guli-deploy", "includes", String.join(",", configs), "allowEmpty", true));
        deployStage.put("lock", firstDeploy.get("lock"));
        deployStage.put("milestone", concurrency.equals("milestone"));
        stages.put("deploy", stage(deployRun, "deploy", deployStage));

        PipelineConfig.Stage relRun = !rel.enabled() || release
                ? rel
                : new PipelineConfig.Stage(
                        false,
                        Map.of(),
                        "PROJECT_VERSION is empty: a snapshot build (a release version such as v1.2.0 releases)");
        stages.put(
                "releaseApproval",
                approval(
                        relRun,
                        "release",
                        "release-" + projectName,
                        release
                                ? "release " + projectName + " " + version + " (image tag " + version + ", git tag "
                                        + projectName + "-" + version + ")?"
                                : null,
                        "Release"));
        Map<String, Object> relArgs = new LinkedHashMap<>();
        relArgs.put("projectName", projectName);
        relArgs.put("projectVersion", version);
        relArgs.put("sourceTag", snapshotTag);
        relArgs.put("commit", commit);
        // the URL the checkout used: the workspace's .git/config is the build's to rewrite
        relArgs.put("gitRemote", request.scm() == null ? null : request.scm().get("GIT_URL"));
        putGiven(
                relArgs,
                ConfigKey.REGISTRY,
                ConfigKey.NAMESPACE,
                ConfigKey.REGISTRY_CREDENTIALS_ID,
                ConfigKey.GIT_CREDENTIALS_ID);
        Map<String, Object> releaseStage = ordered("step", "guliRelease", "args", args(relArgs, rel));
        // releases of one service never interleave; without the lock step, the milestone is the weaker stand-in
        boolean releaseLock = concurrency.equals("lock") && request.lockAvailable();
        releaseStage.put("lock", releaseLock ? ordered("resource", "guli-release-" + projectName) : null);
        releaseStage.put("milestone", !releaseLock);
        stages.put("release", stage(relRun, "release", releaseStage));
        s.put("stages", stages);
        return plain(s);
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

    private static Map<String, Object> first(List<Map<String, Object>> calls) {
        return calls.isEmpty() ? new LinkedHashMap<>() : calls.get(0);
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

    private List<String> envList(String projectName, String version, String branch) {
        List<String> out = new ArrayList<>();
        out.add("PROJECT_NAME=" + projectName);
        out.add("PROJECT_VERSION=" + version);
        if (branch != null && Blank.isBlank(env.get("BRANCH_NAME"))) {
            out.add("BRANCH_NAME=" + branch); // so the steps' own SNAPSHOT-<branch>-<build> agrees with ours
        }
        return out;
    }

    private Map<String, Object> parameters(String service, boolean deployByDefault) {
        List<String> choices = new ArrayList<>();
        choices.add(service);
        List<String> listed = config.list(ConfigKey.SERVICES);
        for (String m : listed != null ? listed : Modules.of(request.pom())) {
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
        return p;
    }

    private Map<String, Object> stage(PipelineConfig.Stage st, String key, Map<String, Object> what) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", st.enabled());
        m.put("skipped", st.enabled() ? null : "[guliPipeline] skipped: " + skipReason(st, key));
        m.putAll(what);
        return m;
    }

    private static String skipReason(PipelineConfig.Stage st, String key) {
        return switch (st.source()) {
            case PipelineConfig.GLOBAL, PipelineConfig.JENKINSFILE, PipelineConfig.FILE ->
                "'" + key + "' is false in " + st.source();
            default -> st.source();
        };
    }

    private Map<String, Object> approval(PipelineConfig.Stage st, String key, String id, String message, String ok) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("id", id);
        input.put("message", message);
        input.put("ok", ok);
        String approvers = config.string(ConfigKey.APPROVERS);
        if (approvers != null) {
            input.put("submitter", approvers);
        }
        input.put("submitterParameter", "approver"); // input then returns who approved, for the log
        Integer timeout = config.integer(ConfigKey.APPROVAL_TIMEOUT_MINUTES);
        Map<String, Object> a = stage(st, key, Map.of());
        a.put("what", message == null ? null : message.substring(0, message.length() - 1));
        a.put("timeoutMinutes", timeout == null ? DEFAULT_APPROVAL_TIMEOUT_MINUTES : timeout);
        a.put("input", input);
        return a;
    }

    /** The pipeline's arguments, then those the configuration adds (which win). */
    private static Map<String, Object> args(Map<String, Object> own, PipelineConfig.Stage st) {
        Map<String, Object> m = new LinkedHashMap<>(own);
        m.putAll(st.args());
        m.values().removeIf(v -> v == null);
        return m;
    }

    private void putGiven(Map<String, Object> args, ConfigKey... keys) {
        for (ConfigKey k : keys) {
            if (config.string(k) != null) {
                args.put(k.key, config.string(k));
            }
        }
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

    /** A map in the order its entries are written: the settings read the same in every log and test. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
