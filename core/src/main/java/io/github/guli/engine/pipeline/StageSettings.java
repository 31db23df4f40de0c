package io.github.guli.engine.pipeline;

import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.environment.Environment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings of each stage guliPipeline runs, one method per stage: whether it runs (or why it is skipped), its
 * step and that step's arguments, one call per service where a stage runs per service.
 */
final class StageSettings {
    /** The input's button: the answer may approve or reject, so it says neither (English and Chinese, for every UI). */
    static final String OK = "Submit / \u63d0\u4ea4";

    private final PipelineConfig config;
    private final SettingsRequest request;
    private final BuildPlan plan;
    private final BuildPlan.Stages configured;

    StageSettings(PipelineConfig config, SettingsRequest request, BuildPlan plan) {
        this.config = config;
        this.request = request;
        this.plan = plan;
        this.configured = plan.stages();
    }

    /** Every stage, in the order they run. */
    Map<String, Object> inOrder() {
        Map<String, Object> stages = new LinkedHashMap<>();
        stages.put("build", build());
        stages.put("qualityGate", qualityGate());
        stages.put("image", image());
        stages.put("approval", deployApproval());
        stages.put("deploy", deploy());
        stages.put("releaseApproval", releaseApproval());
        stages.put("release", release());
        return stages;
    }

    private Map<String, Object> build() {
        PipelineConfig.Stage build = configured.build();
        if (plan.frontend()) {
            return stage(
                    build,
                    "build",
                    ordered(
                            "command",
                            Blank.orDefault(
                                    config.string(ConfigKey.FRONTEND_BUILD), PipelineSettings.DEFAULT_FRONTEND_BUILD)));
        }
        Map<String, Object> own = plan.changedMode()
                ? ordered("modules", List.copyOf(plan.services()))
                : ordered("module", plan.projectName());
        Map<String, Object> args = args(own, build);
        if (args.containsKey("module")) {
            args.remove("modules"); // a module the configuration names wins, as every configured argument does
        }
        return stage(build, "build", ordered("step", "guliBuild", "args", args));
    }

    private Map<String, Object> qualityGate() {
        PipelineConfig.Stage gate = configured.qualityGate();
        PipelineConfig.Stage run = configured.build().enabled() || !gate.enabled()
                ? gate
                : skipped("the build stage is skipped, so there is no analysis to wait for");
        List<Map<String, Object>> calls = new ArrayList<>();
        for (String name : plan.services()) {
            calls.add(args(plan.changedMode() ? ordered("module", name) : Map.of(), gate));
        }
        return stage(run, "qualityGate", perService("guliQualityGate", calls));
    }

    private Map<String, Object> image() {
        PipelineConfig.Stage image = configured.image();
        List<Map<String, Object>> calls = new ArrayList<>();
        for (String name : plan.services()) {
            Map<String, Object> own = ordered("projectName", name);
            if (plan.frontend()) {
                own.put("dockerfile", "Dockerfile"); // the front end's own Dockerfile at the repository root
            }
            putGiven(own, ConfigKey.REGISTRY, ConfigKey.NAMESPACE, ConfigKey.REGISTRY_CREDENTIALS_ID);
            calls.add(args(own, image));
        }
        return stage(image, "image", perService("guliImage", calls));
    }

    private PipelineConfig.Stage deployRun() {
        PipelineConfig.Stage deploy = configured.deploy();
        return plan.deployTicked() || !deploy.enabled() ? deploy : skipped("the DEPLOY parameter is not ticked");
    }

    private Map<String, Object> deployApproval() {
        return withCommits(approval(
                deployRun(),
                "deploy",
                "deploy-" + (plan.changedMode() ? "changed" : plan.projectName()),
                "deploy " + String.join(", ", plan.services()) + " to the cluster?",
                about(String.join(", ", plan.services()), plan.version(), null)));
    }

    private Map<String, Object> deploy() {
        List<Map<String, Object>> calls = new ArrayList<>();
        List<String> configs = new ArrayList<>();
        for (String name : plan.services()) {
            Map<String, Object> own = ordered("projectName", name, "configs", name + "/deploy/**");
            putGiven(own, ConfigKey.KUBECONFIG_ID);
            Map<String, Object> args = args(own, configured.deploy());
            configs.add(String.valueOf(args.get("configs")));
            calls.add(ordered("args", args, "lock", lock("deploy", name)));
        }
        Map<String, Object> first = first(calls);
        Map<String, Object> what = ordered("step", "guliDeployK8s", "args", first.get("args"), "calls", calls);
        // the manifests travel from the build's workspace to the deploy's: the approval holds no agent
        what.put("stash", ordered("name", "guli-deploy", "includes", String.join(",", configs), "allowEmpty", true));
        what.put("lock", first.get("lock"));
        return stage(deployRun(), "deploy", what);
    }

    private PipelineConfig.Stage releaseRun() {
        PipelineConfig.Stage release = configured.release();
        return !release.enabled() || plan.release()
                ? release
                : skipped("PROJECT_VERSION is empty: a snapshot build (a release version such as v1.2.0 releases)");
    }

    private Map<String, Object> releaseApproval() {
        String version = plan.version();
        return withCommits(approval(
                releaseRun(),
                "release",
                "release-" + plan.projectName(),
                plan.release()
                        ? "release " + plan.projectName() + " " + version + " (image tag " + version + ", git tag "
                                + plan.gitTag() + ")?"
                        : null,
                about(plan.projectName(), version, null)));
    }

    /**
     * A build's own deploy or release approval of one service: the commits since its last release (read after
     * checkout) in the input's message and the notice, as a promotion's preview shows them.
     */
    private Map<String, Object> withCommits(Map<String, Object> a) {
        SinceRelease since = request.sinceRelease();
        if (!Boolean.TRUE.equals(a.get("run"))
                || since == null
                || plan.changedMode()
                || !since.service().equals(plan.projectName())) {
            return a;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> input = (Map<String, Object>) a.get("input");
        input.put("message", input.get("message") + "\n\n" + String.join("\n", since.messageLines()));
        @SuppressWarnings("unchecked")
        Map<String, Object> notify = (Map<String, Object>) a.get("notify");
        if (notify != null && !since.commits().commits().isEmpty()) {
            notify.put("commits", since.notifyText());
        }
        return a;
    }

    private Map<String, Object> release() {
        Map<String, Object> own = ordered(
                "projectName",
                plan.projectName(),
                "projectVersion",
                plan.version(),
                "sourceTag",
                plan.snapshotTag(),
                "commit",
                plan.commit(),
                // the URL the checkout used: the workspace's .git/config is the build's to rewrite
                "gitRemote",
                request.scm() == null ? null : request.scm().get("GIT_URL"));
        putGiven(
                own,
                ConfigKey.REGISTRY,
                ConfigKey.NAMESPACE,
                ConfigKey.REGISTRY_CREDENTIALS_ID,
                ConfigKey.GIT_CREDENTIALS_ID);
        Map<String, Object> what = ordered("step", "guliRelease", "args", args(own, configured.release()));
        what.put("lock", lock("release", plan.projectName())); // releases of one service never interleave
        return stage(releaseRun(), "release", what);
    }

    /**
     * A promotion or rollback: the approval of its environment (that environment's approvers, else the global ones:
     * the admins', never the Jenkinsfile's or guli.yaml's), then one guliPromote under the lock of the service in that
     * environment.
     */
    Map<String, Object> promotion() {
        PromotionPlan p = plan.promotion();
        Environment target = p.target();
        String service = plan.projectName();
        String what = p.what(service);
        PipelineConfig.Stage approve = target.approvalRequired()
                ? new PipelineConfig.Stage(true, Map.of(), "")
                : skipped(target + " needs no approval (Manage Jenkins > System > guli-pipeline > Environments)");
        String approvers = target.approvers().isEmpty()
                ? Blank.toNull(
                        request.global() == null ? null : request.global().get(ConfigKey.APPROVERS.key))
                : String.join(",", target.approvers());
        Map<String, Object> args = ordered("service", service, "to", target.name());
        // at the release point PROJECT_VERSION names the release: the digest the preview read is promoted
        args.put(p.rollback() ? "rollbackTo" : "version", p.release() ? null : p.version());
        args.put("digest", p.digest());
        // the manifests the Jenkinsfile's deploy names, as guliDeployK8s deploys them
        Object configs = config.stage(ConfigKey.DEPLOY, true).args().get("configs");
        args.put("configs", configs == null ? null : String.valueOf(configs));
        args.values().removeIf(v -> v == null);
        Map<String, Object> out = ordered(
                "skipped",
                "[guliPipeline] skipped build, quality gate, image, deploy and release: " + p.skipReason(),
                "approval",
                approval(
                        approve,
                        "approval",
                        (p.rollback() ? "rollback-" : "promote-") + service + "-" + target.name(),
                        what + "?",
                        approvers,
                        about(service, p.version(), target.name())));
        out.put("preview", ordered("step", "guliPromotionPreview", "args", args));
        out.put("step", "guliPromote");
        out.put("args", args);
        out.put("lock", lock("deploy", service + ":" + target.name()));
        if (p.release()) {
            out.put("release", ordered("step", "guliRelease", "args", promotionRelease(service, p.version())));
        }
        return out;
    }

    /**
     * The release at the release point: the version (PROJECT_VERSION, else the one promoted, which guliPipeline takes
     * from the preview), the registry and credentials as a build's release has them; the digest, commit and
     * configuration record are the promotion's, which guliPipeline adds.
     */
    private Map<String, Object> promotionRelease(String service, String version) {
        Map<String, Object> own = ordered("projectName", service, "projectVersion", version);
        putGiven(
                own,
                ConfigKey.REGISTRY,
                ConfigKey.NAMESPACE,
                ConfigKey.REGISTRY_CREDENTIALS_ID,
                ConfigKey.GIT_CREDENTIALS_ID);
        own.values().removeIf(v -> v == null);
        return own;
    }

    /**
     * The lock step to call and its arguments, on {@code guli-<what>:<job's full name>:<service>}: no Jenkins item name
     * holds a ':', so two jobs' locks, or two services', never meet, whatever a branch names its services. The
     * Lockable Resources plugin's {@code lock} where it is installed, else the plugin's own {@code guliLock}, which
     * is also the one that can drop older waiters ({@code newest}).
     */
    private Map<String, Object> lock(String what, String service) {
        String job = request.jobFullName();
        if (Blank.isBlank(job) || job.contains(":")) {
            throw new GuliException("the job's full name " + (Blank.isBlank(job) ? "is not given" : "'" + job + "'")
                    + ": the lock names carry it (SettingsRequest.jobFullName; guliSettings passes the build's job)");
        }
        Map<String, Object> args = ordered("resource", "guli-" + what + ":" + job + ":" + service);
        if (plan.newest() || !request.lockAvailable()) {
            args.put("newest", plan.newest());
            return ordered("step", "guliLock", "args", args);
        }
        return ordered("step", "lock", "args", args);
    }

    private Map<String, Object> approval(
            PipelineConfig.Stage st, String key, String id, String message, Map<String, Object> about) {
        return approval(st, key, id, message, config.string(ConfigKey.APPROVERS), about);
    }

    /** What an approval's card names: the service(s), the version, the environment (null: unnamed). */
    private static Map<String, Object> about(String service, String version, String environment) {
        return ordered("service", service, "version", version, "environment", environment);
    }

    /**
     * @param about what the card names; with the approvers, guliNotify's arguments ({@code notify}) when the admins
     *     configured notifiers; without, there is no {@code notify} and nobody is told
     */
    private Map<String, Object> approval(
            PipelineConfig.Stage st,
            String key,
            String id,
            String message,
            String approvers,
            Map<String, Object> about) {
        Map<String, Object> input = ordered("id", id, "message", message, "ok", OK);
        if (approvers != null) {
            input.put("submitter", approvers);
        }
        input.put("submitterParameter", "approver"); // input then returns who approved, for the log
        Integer timeout = config.integer(ConfigKey.APPROVAL_TIMEOUT_MINUTES);
        Map<String, Object> a = stage(st, key, Map.of());
        a.put("what", message == null ? null : message.substring(0, message.length() - 1));
        a.put("timeoutMinutes", timeout == null ? PipelineSettings.DEFAULT_APPROVAL_TIMEOUT_MINUTES : timeout);
        a.put("input", input);
        if (st.enabled()) {
            a.put("rule", new ApprovalGates(request).rule(id, (String) a.get("what"), approvers, about));
        }
        if (request.notifiers() && st.enabled()) {
            Map<String, Object> notify = new LinkedHashMap<>(about);
            notify.put("approvers", approvers);
            notify.values().removeIf(v -> v == null || v.toString().isBlank()); // a snapshot has no version
            a.put("notify", notify);
        }
        return a;
    }

    private static PipelineConfig.Stage skipped(String why) {
        return new PipelineConfig.Stage(false, Map.of(), why);
    }

    private static Map<String, Object> stage(PipelineConfig.Stage st, String key, Map<String, Object> what) {
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

    /** A stage that calls its step once per service: the first call's arguments, and all the calls. */
    private static Map<String, Object> perService(String step, List<Map<String, Object>> calls) {
        return ordered("step", step, "args", first(calls), "calls", calls);
    }

    private static Map<String, Object> first(List<Map<String, Object>> calls) {
        return calls.isEmpty() ? new LinkedHashMap<>() : calls.get(0);
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

    /** A map in the order its entries are written: the settings read the same in every log and test. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
