package io.github.guli.engine.pipeline;

import io.github.guli.engine.Blank;
import io.github.guli.engine.approval.ApprovalPolicy;
import io.github.guli.engine.build.ChangedServices;
import io.github.guli.engine.environment.Environment;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What guliPipeline knows when it asks for its settings. Not Serializable: guliSettings builds and resolves it on the
 * controller, in one call. Unset values take the defaults noted on their setters; the maps are kept as unmodifiable
 * copies, in their order and with their null values, and a null map stays null (it means "not known yet").
 */
public final class SettingsRequest {
    private Map<String, ?> call;
    private String file;
    private String pom;
    private List<String> services;
    private Map<String, String> scm;
    private Map<String, String> env;
    private Map<String, String> global;
    private String kind;
    private boolean lockAvailable;
    private boolean notifiers;
    private String jobFullName;
    private ChangedServices.Result changes;
    private List<Environment> environments;
    private ApprovalPolicy approvalPolicy;
    private Map<String, ApprovalPolicy> environmentPolicies = Map.of();
    private Instant now;
    private String freezeOverride;
    private String freezeOverrideRefused;
    private SinceRelease sinceRelease;
    private boolean returnFreeze;

    /** The Jenkinsfile's map, {@code guliPipeline(service: ..., ...)}; null: none. */
    public SettingsRequest call(Map<String, ?> v) {
        call = copy(v);
        return this;
    }

    /** The text of the service repository's guli.yaml; null (the default): before checkout, or none. */
    public SettingsRequest file(String v) {
        file = v;
        return this;
    }

    /**
     * The text of the repository's root pom.xml: its modules are the PROJECT_NAME choices when {@link #services} is
     * not known; null: none.
     */
    public SettingsRequest pom(String v) {
        pom = v;
        return this;
    }

    /**
     * The services of the workspace's reactor ({@code Reactor.serviceNames()}, read on the agent), the same that
     * {@code (changed)} picks from: the PROJECT_NAME choices; null (the default): not read, then {@link #pom}'s.
     */
    public SettingsRequest services(List<String> v) {
        services = v == null ? null : List.copyOf(v);
        return this;
    }

    /** What checkout returned (GIT_COMMIT, GIT_BRANCH, GIT_URL); null (the default): before checkout. */
    public SettingsRequest scm(Map<String, String> v) {
        scm = copy(v);
        return this;
    }

    /**
     * The build's environment, its parameters included (PROJECT_NAME, PROJECT_VERSION, DEPLOY, BRANCH_NAME,
     * BUILD_NUMBER); null (the default): an empty one.
     */
    public SettingsRequest env(Map<String, String> v) {
        env = copy(v);
        return this;
    }

    /**
     * The plugin's global configuration (approvers, approvalTimeoutMinutes, container), null values unset; null (the
     * default): none.
     */
    public SettingsRequest global(Map<String, String> v) {
        global = copy(v);
        return this;
    }

    /** {@code maven} (guliPipeline) or {@code frontend} (guliFrontendPipeline); required, null is refused. */
    public SettingsRequest kind(String v) {
        kind = v;
        return this;
    }

    /** Whether this Jenkins has the lock step (the Lockable Resources plugin). Default false. */
    public SettingsRequest lockAvailable(boolean v) {
        lockAvailable = v;
        return this;
    }

    /** Whether the admins configured approval notifiers: each approval then announces itself. Default false. */
    public SettingsRequest notifiers(boolean v) {
        notifiers = v;
        return this;
    }

    /**
     * The job's full name, as Jenkins names items ({@code folder/job}, never a ':'): the lock names carry it, so that
     * deploys and releases of two jobs never share a lock; required.
     */
    public SettingsRequest jobFullName(String v) {
        jobFullName = v;
        return this;
    }

    /**
     * When PROJECT_NAME is {@code (changed)}, after checkout: the services the commits changed; null (the default):
     * not computed.
     */
    public SettingsRequest changes(ChangedServices.Result v) {
        changes = v;
        return this;
    }

    /**
     * The admins' environments in release order, their secrets left out (names, approvals): they offer PROMOTE_TO and
     * ROLLBACK_TO; null or empty (the default): none configured, and the form and the plan are as without them.
     */
    public SettingsRequest environments(List<Environment> v) {
        environments = v == null ? List.of() : List.copyOf(v);
        return this;
    }

    /** The approval policy of a deploy and a release (not to a named environment); null (the default): defaults. */
    public SettingsRequest approvalPolicy(ApprovalPolicy v) {
        approvalPolicy = v;
        return this;
    }

    /** Each environment's approval policy by its name (the global freeze windows included); default none. */
    public SettingsRequest environmentPolicies(Map<String, ApprovalPolicy> v) {
        environmentPolicies = v == null ? Map.of() : Map.copyOf(v);
        return this;
    }

    /** The time the freeze windows are read at; null (the default): now. */
    public SettingsRequest now(Instant v) {
        now = v;
        return this;
    }

    /**
     * An administrator's reason to deploy in a freeze (FREEZE_OVERRIDE_REASON, its starter checked by the caller);
     * null (the default): none.
     */
    public SettingsRequest freezeOverride(String v) {
        freezeOverride = Blank.toNull(v);
        return this;
    }

    /** Why a FREEZE_OVERRIDE_REASON given is not honoured (its starter is no administrator); null: not refused. */
    public SettingsRequest freezeOverrideRefused(String v) {
        freezeOverrideRefused = Blank.toNull(v);
        return this;
    }

    /**
     * After checkout: the commits since the service's last release, read on the agent, for the message and the notice
     * of the build's own deploy and release approvals; null (the default): not read.
     */
    public SettingsRequest sinceRelease(SinceRelease v) {
        sinceRelease = v;
        return this;
    }

    /**
     * Whether a freeze's refusal is answered ({@code frozen}, the message) instead of thrown, so that guliPipeline can
     * set the job's form (FREEZE_OVERRIDE_REASON) before it fails with it. Default false: thrown.
     */
    public SettingsRequest returnFreeze(boolean v) {
        returnFreeze = v;
        return this;
    }

    public boolean returnFreeze() {
        return returnFreeze;
    }

    public SinceRelease sinceRelease() {
        return sinceRelease;
    }

    public ApprovalPolicy approvalPolicy() {
        return approvalPolicy == null ? ApprovalPolicy.defaults() : approvalPolicy;
    }

    /** The environment's policy; the global one for a deploy or release ({@code environment} null). */
    public ApprovalPolicy policy(String environment) {
        return environment == null ? approvalPolicy() : environmentPolicies.getOrDefault(environment, approvalPolicy());
    }

    public Map<String, ApprovalPolicy> environmentPolicies() {
        return environmentPolicies;
    }

    public Instant now() {
        return now == null ? Instant.now() : now;
    }

    public String freezeOverride() {
        return freezeOverride;
    }

    public String freezeOverrideRefused() {
        return freezeOverrideRefused;
    }

    public Map<String, ?> call() {
        return call;
    }

    public String file() {
        return file;
    }

    public String pom() {
        return pom;
    }

    public List<String> services() {
        return services;
    }

    public Map<String, String> scm() {
        return scm;
    }

    public Map<String, String> env() {
        return env;
    }

    public Map<String, String> global() {
        return global;
    }

    public String kind() {
        return kind;
    }

    public boolean lockAvailable() {
        return lockAvailable;
    }

    public boolean notifiers() {
        return notifiers;
    }

    public String jobFullName() {
        return jobFullName;
    }

    public ChangedServices.Result changes() {
        return changes;
    }

    public List<Environment> environments() {
        return environments == null ? List.of() : environments;
    }

    /** A LinkedHashMap copy: Groovy's maps may hold null values, and the Jenkinsfile's order is kept. */
    private static <V> Map<String, V> copy(Map<String, V> v) {
        return v == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(v));
    }
}
