package io.github.guli.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.guli.engine.build.ChangedServices;
import io.github.guli.engine.environment.Environment;
import io.github.guli.engine.pipeline.PipelineSettings;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The seam between the settings (and the vars) and the steps is map keys: every key a step is called with must be a
 * parameter of that step, as structs binds it ({@code @DataBoundConstructor} parameters by their {@code -parameters}
 * names, {@code @DataBoundSetter} methods and fields), with a value of the parameter's type. Otherwise Jenkins warns
 * "Unknown parameter(s)" and drops it, or fails the build under strict checking.
 */
class StepContractTest {
    /** The plugin's steps by function name (each descriptor's getFunctionName). */
    static final Map<String, Class<?>> STEPS = Map.ofEntries(
            Map.entry("guliApproval", GuliApprovalStep.class),
            Map.entry("guliBuild", GuliBuildStep.class),
            Map.entry("guliQualityGate", GuliQualityGateStep.class),
            Map.entry("guliImage", GuliImageStep.class),
            Map.entry("guliDeployK8s", GuliDeployK8sStep.class),
            Map.entry("guliRelease", GuliReleaseStep.class),
            Map.entry("guliSettings", GuliSettingsStep.class),
            Map.entry("guliLock", GuliLockStep.class),
            Map.entry("guliPromote", GuliPromoteStep.class),
            Map.entry("guliNotify", GuliNotifyStep.class),
            Map.entry("guliPromotionPreview", GuliPromotionPreviewStep.class));
    /** The step each configurable stage calls, for the step arguments guli.yaml may add to it. */
    static final Map<String, String> STAGE_STEPS = Map.of(
            "build", "guliBuild",
            "qualityGate", "guliQualityGate",
            "image", "guliImage",
            "deploy", "guliDeployK8s",
            "release", "guliRelease");

    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    /** The workspace reactor's services, as guliSettings reads them on the agent after checkout. */
    static final List<String> SERVICES = List.of("gulimall-common", "gulimall-order", "gulimall-product");

    static final Map<String, Object> SCM = Map.of(
            "GIT_COMMIT", "0123abc", "GIT_BRANCH", "origin/master", "GIT_URL", "http://git.example/gulimall.git");

    static Stream<Arguments> scenarios() {
        ChangedServices.Result changed = new ChangedServices.Result(
                "abc",
                List.of(
                        new ChangedServices.Pick("gulimall-order", "x"),
                        new ChangedServices.Pick("gulimall-product", "y")),
                "2 file(s) changed");
        Map<String, String> release = Map.of("PROJECT_NAME", "gulimall-order", "PROJECT_VERSION", "v1.2.0");
        return Stream.of(
                Arguments.of(
                        "snapshot", PipelineSettings.MAVEN, Map.of("PROJECT_NAME", "gulimall-order"), null, "lock"),
                Arguments.of("release", PipelineSettings.MAVEN, release, null, "lock"),
                Arguments.of("release, no Lockable Resources", PipelineSettings.MAVEN, release, null, null),
                Arguments.of("release, newest", PipelineSettings.MAVEN, release, null, "newest"),
                Arguments.of("(changed)", PipelineSettings.MAVEN, Map.of("PROJECT_NAME", "(changed)"), changed, "lock"),
                Arguments.of(
                        "front end",
                        PipelineSettings.FRONTEND,
                        Map.of("PROJECT_NAME", "gulimall-admin"),
                        null,
                        "lock"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    @SuppressWarnings("unchecked")
    void everyStepCallTheSettingsProduceBindsToTheStep(
            String name, String kind, Map<String, String> env, ChangedServices.Result changes, String concurrency) {
        GuliSettingsStep settings = new GuliSettingsStep();
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("service", "gulimall-order");
        call.put("registry", "127.0.0.1:5000");
        call.put("namespace", "guli");
        call.put("kubeconfigId", "kube");
        call.put("qualityGate", true);
        if (concurrency != null) {
            call.put("concurrency", concurrency);
        }
        settings.setCall(call);
        settings.setScm(SCM);
        settings.setKind(kind);
        Map<String, String> vars = new LinkedHashMap<>(env);
        vars.put("BUILD_NUMBER", "7");
        Map<String, Object> s = GuliSettingsStep.resolve(
                settings,
                "shop/gulimall",
                vars,
                null,
                60,
                concurrency != null,
                null,
                SERVICES,
                null,
                changes,
                List.of(),
                false);

        List<String> problems = new ArrayList<>();
        int calls = 0;
        int lockCalls = 0;
        for (Map.Entry<String, Object> e : ((Map<String, Object>) s.get("stages")).entrySet()) {
            Map<String, Object> stage = (Map<String, Object>) e.getValue();
            String step = (String) stage.get("step");
            if (step == null) {
                continue; // an approval (input) or a build command (sh)
            }
            List<Map<String, Object>> each = new ArrayList<>();
            each.add((Map<String, Object>) stage.get("args"));
            for (Object c : (List<Object>) stage.getOrDefault("calls", List.of())) {
                Map<String, Object> m = (Map<String, Object>) c;
                // a deploy call holds its step's args beside its lock; the others are the args
                each.add(m.containsKey("args") ? (Map<String, Object>) m.get("args") : m);
            }
            for (Map<String, Object> args : each) {
                calls++;
                problems.addAll(check(step, e.getKey() + " of " + name, args));
            }
            // the lock each deploy and the release run inside: guliLock, or Lockable Resources' lock
            List<Object> locks = new ArrayList<>();
            locks.add(stage.get("lock"));
            for (Object c : (List<Object>) stage.getOrDefault("calls", List.of())) {
                locks.add(((Map<String, Object>) c).get("lock"));
            }
            for (Object l : locks) {
                if (l instanceof Map<?, ?> lock) {
                    lockCalls++;
                    problems.addAll(checkLock(e.getKey() + " lock of " + name, (Map<String, Object>) lock));
                }
            }
        }
        assertThat(problems).as("step arguments that do not bind").isEmpty();
        assertThat(calls).as("step calls checked").isGreaterThan(3);
        assertThat(lockCalls).as("lock calls checked").isGreaterThanOrEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("promotions")
    @SuppressWarnings("unchecked")
    void thePromotionCallTheSettingsProduceBindsToGuliPromote(String name, Map<String, String> env, String lockStep) {
        GuliSettingsStep settings = new GuliSettingsStep();
        // the Jenkinsfile's deploy configs go to the preview and the promotion too
        settings.setCall(Map.of("service", "gulimall-order", "deploy", Map.of("configs", "k8s/order/**")));
        Map<String, String> vars = new LinkedHashMap<>(env);
        vars.put("BUILD_NUMBER", "7");
        List<Environment> environments = List.of(new Environment("staging"), new Environment("prod"));
        Map<String, Object> s = GuliSettingsStep.resolve(
                settings,
                "shop/gulimall",
                vars,
                null,
                60,
                lockStep != null,
                null,
                null,
                null,
                null,
                environments,
                false);

        Map<String, Object> promotion = (Map<String, Object>) s.get("promotion");
        assertThat(promotion).containsEntry("step", "guliPromote");
        Map<String, Object> args = (Map<String, Object>) promotion.get("args");
        assertThat(args).containsKeys("service", "to").containsEntry("configs", "k8s/order/**");
        List<String> problems = new ArrayList<>(check("guliPromote", name, args));
        // guliPipeline adds the previewed commit (for an image that records no commit), and the previewed digest to
        // a promotion's
        problems.addAll(check(
                "guliPromote",
                name + " with the preview's",
                Map.of("digest", "sha256:x", "commit", "c0ffee1", "configState", "a=b")));
        Map<String, Object> preview = (Map<String, Object>) promotion.get("preview");
        assertThat(preview).containsEntry("step", "guliPromotionPreview");
        problems.addAll(check("guliPromotionPreview", name + " preview", (Map<String, Object>) preview.get("args")));
        Map<String, Object> release = (Map<String, Object>) promotion.get("release");
        if (release != null) {
            assertThat(release).containsEntry("step", "guliRelease");
            problems.addAll(check("guliRelease", name + " release", (Map<String, Object>) release.get("args")));
        }
        assertThat(release != null).as("releases at the release point only").isEqualTo(name.startsWith("promotion"));
        problems.addAll(checkLock(name + " lock", (Map<String, Object>) promotion.get("lock")));
        assertThat(problems).isEmpty();
        assertThat(((Map<String, Object>) promotion.get("lock")).get("step"))
                .isEqualTo(lockStep == null ? "guliLock" : "lock");
    }

    static Stream<Arguments> promotions() {
        return Stream.of(
                Arguments.of("promotion", Map.of("PROMOTE_TO", "prod", "PROJECT_VERSION", "v1.2.0"), "lock"),
                Arguments.of(
                        "promotion, no Lockable Resources",
                        Map.of("PROMOTE_TO", "prod", "PROJECT_VERSION", "v1.2.0"),
                        null),
                Arguments.of(
                        "promotion of PROMOTE_DIGEST",
                        Map.of("PROMOTE_TO", "prod", "PROMOTE_DIGEST", "sha256:" + "d".repeat(64)),
                        "lock"),
                Arguments.of("rollback", Map.of("ROLLBACK_TO", "v1.1.0", "ENVIRONMENT", "staging"), "lock"));
    }

    /**
     * A lock map names its step and that step's arguments: guliLock's bind as any step's do; the Lockable Resources
     * plugin's {@code lock} (not on this classpath) is given only {@code resource}, its one constructor parameter.
     */
    @SuppressWarnings("unchecked")
    static List<String> checkLock(String where, Map<String, Object> lock) {
        Map<String, Object> args = (Map<String, Object>) lock.get("args");
        if (args == null || !(lock.get("step") instanceof String step)) {
            return List.of(where + ": a lock map is [step: ..., args: [...]], not " + lock);
        }
        if (step.equals("lock")) {
            return args.keySet().equals(java.util.Set.of("resource"))
                    ? List.of()
                    : List.of(where + ": lock is given only resource here, not " + args.keySet());
        }
        return check(step, where, args);
    }

    /**
     * With notifiers, each approval gives guliNotify's arguments ({@code notify}); guliPipeline adds the event's own
     * ({@code [event: ..., by: ..., reason: ...]}, written in the var). Together they must bind.
     */
    @Test
    @SuppressWarnings("unchecked")
    void everyApprovalsAnnouncementBindsToGuliNotify() throws IOException {
        GuliSettingsStep settings = new GuliSettingsStep();
        settings.setCall(Map.of("service", "gulimall-order"));
        Map<String, String> release = Map.of("PROJECT_NAME", "gulimall-order", "PROJECT_VERSION", "v1.2.0");
        List<Environment> environments = List.of(new Environment("staging"), new Environment("prod"));
        List<Map<String, Object>> approvals = new ArrayList<>();
        Map<String, Object> build = GuliSettingsStep.resolve(
                settings, "shop/gulimall", release, "ops", 60, true, null, null, null, null, environments, true);
        Map<String, Object> stages = (Map<String, Object>) build.get("stages");
        approvals.add((Map<String, Object>) stages.get("approval"));
        approvals.add((Map<String, Object>) stages.get("releaseApproval"));
        Map<String, Object> promotion = GuliSettingsStep.resolve(
                settings,
                "shop/gulimall",
                Map.of("PROMOTE_TO", "prod"),
                "ops",
                60,
                true,
                null,
                null,
                null,
                null,
                environments,
                true);
        approvals.add((Map<String, Object>) ((Map<String, Object>) promotion.get("promotion")).get("approval"));

        String code = withoutComments(Files.readString(ROOT.resolve("vars/guliPipeline.groovy")));
        List<Map<String, Object>> events = new ArrayList<>();
        Matcher m = Pattern.compile("\\[event: ([^\\]]*)]").matcher(code);
        while (m.find()) {
            Map<String, Object> e = new LinkedHashMap<>();
            for (String pair : ("event: " + m.group(1)).split(",\\s*(?=\\w+:)")) {
                e.put(pair.substring(0, pair.indexOf(':')).trim(), null);
            }
            events.add(e);
        }
        assertThat(events).as("the events guliPipeline announces").hasSizeGreaterThanOrEqualTo(4);
        // what guliPipeline adds to the notice: a promotion's from the preview, a build's own the digest pushed
        Matcher added = Pattern.compile("notify \\+ \\[([^\\]]*)]").matcher(code);
        Map<String, Object> previewed = new LinkedHashMap<>();
        while (added.find()) {
            for (String pair : added.group(1).split(",\\s*(?=\\w+:)")) {
                previewed.put(pair.substring(0, pair.indexOf(':')).trim(), null);
            }
        }
        assertThat(previewed).as("the notice arguments guliPipeline adds").containsKeys("diff", "commits", "digest");

        List<String> problems = new ArrayList<>();
        for (Map<String, Object> a : approvals) {
            Map<String, Object> notify = (Map<String, Object>) a.get("notify");
            assertThat(notify).as("the notify arguments of " + a.get("what")).containsKey("service");
            for (Map<String, Object> e : events) {
                Map<String, Object> args = new LinkedHashMap<>(notify);
                args.putAll(previewed);
                args.putAll(e);
                problems.addAll(check("guliNotify", String.valueOf(a.get("what")), args));
            }
        }
        assertThat(problems).isEmpty();
        assertThat(((Map<String, Object>) approvals.get(2).get("notify")))
                .containsEntry("environment", "prod")
                .containsEntry("approvers", "ops");
        // without notifiers nobody is told
        Map<String, Object> silent = GuliSettingsStep.resolve(settings, "shop/gulimall", release, "ops", 60, true);
        assertThat(((Map<String, Object>) ((Map<String, Object>) silent.get("stages")).get("approval")).get("notify"))
                .isNull();
    }

    /**
     * Each approval gives guliApproval the admins' rule ({@code rule}); guliPipeline adds each answer's approver,
     * decision and reason (written in the var, checked by {@link #everyStepCallWrittenInTheVarsBindsToTheStep}).
     */
    @Test
    @SuppressWarnings("unchecked")
    void everyApprovalsRuleBindsToGuliApproval() {
        GuliSettingsStep settings = new GuliSettingsStep();
        settings.setCall(Map.of("service", "gulimall-order"));
        List<Environment> environments = List.of(new Environment("staging"), new Environment("prod"));
        Map<String, Object> build = GuliSettingsStep.resolve(
                settings,
                "shop/gulimall",
                Map.of("PROJECT_NAME", "gulimall-order", "PROJECT_VERSION", "v1.2.0"),
                "ops",
                60,
                true,
                null,
                null,
                null,
                null,
                environments,
                false);
        Map<String, Object> stages = (Map<String, Object>) build.get("stages");
        Map<String, Object> promotion = (Map<String, Object>) GuliSettingsStep.resolve(
                        settings,
                        "shop/gulimall",
                        Map.of("PROMOTE_TO", "prod"),
                        "ops",
                        60,
                        true,
                        null,
                        null,
                        null,
                        null,
                        environments,
                        false)
                .get("promotion");
        List<String> problems = new ArrayList<>();
        for (Object a : List.of(stages.get("approval"), stages.get("releaseApproval"), promotion.get("approval"))) {
            Map<String, Object> rule = (Map<String, Object>) ((Map<String, Object>) a).get("rule");
            assertThat(rule).containsKeys("id", "requiredApprovals", "starterMayApprove", "service");
            Map<String, Object> args = new LinkedHashMap<>(rule);
            args.putAll(Map.of("approver", "alice", "decision", "approve", "reason", ""));
            problems.addAll(check("guliApproval", String.valueOf(rule.get("what")), args));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyArgumentGuliYamlMayAddIsAParameterOfItsStagesStep() {
        List<String> problems = new ArrayList<>();
        Map<String, java.util.Set<String>> allowed = PipelineSettings.fileStageArgs();
        assertThat(allowed.keySet()).containsExactlyInAnyOrderElementsOf(STAGE_STEPS.keySet());
        allowed.forEach((stage, keys) -> {
            Map<String, Object> args = new LinkedHashMap<>();
            keys.forEach(k -> args.put(k, null)); // the names only: guli.yaml gives the values
            problems.addAll(check(STAGE_STEPS.get(stage), "guli.yaml's " + stage, args));
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void everyStepCallWrittenInTheVarsBindsToTheStep() throws IOException {
        List<String> problems = new ArrayList<>();
        int calls = 0;
        List<String> seen = new ArrayList<>();
        try (Stream<Path> vars = Files.list(ROOT.resolve("vars"))) {
            for (Path file :
                    vars.filter(p -> p.toString().endsWith(".groovy")).sorted().toList()) {
                String code = withoutComments(Files.readString(file));
                for (Map.Entry<String, Map<String, Object>> c : literalCalls(code)) {
                    calls++;
                    c.getValue().keySet().forEach(k -> seen.add(c.getKey() + "." + k));
                    problems.addAll(check(c.getKey(), file.getFileName().toString(), c.getValue()));
                }
                // kubernetesDeploy passes the old parameters it keeps to guliDeployK8s by name
                Matcher passed = Pattern.compile("List passed = \\[([^\\]]*)]").matcher(code);
                while (passed.find()) {
                    Map<String, Object> args = new LinkedHashMap<>();
                    for (String k : passed.group(1).replaceAll("[\\s']", "").split(",")) {
                        args.put(k, null);
                    }
                    calls++;
                    problems.addAll(check("guliDeployK8s", file.getFileName() + " (passed)", args));
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(calls).as("literal step calls found").isGreaterThanOrEqualTo(4);
        assertThat(seen)
                .as("the named arguments read")
                .contains(
                        "guliRelease.checkOnly",
                        "guliSettings.scm",
                        "guliSettings.returnFreeze",
                        "guliApproval.approver",
                        "guliApproval.decision",
                        "guliApproval.reason");
    }

    /** Each step call in the code with its literal named arguments: {@code guliX(a: 1, b: x)}, {@code + [c: true]}. */
    static List<Map.Entry<String, Map<String, Object>>> literalCalls(String code) {
        List<Map.Entry<String, Map<String, Object>>> out = new ArrayList<>();
        Matcher m = Pattern.compile("\\b(" + String.join("|", STEPS.keySet()) + ")\\(")
                .matcher(code);
        while (m.find()) {
            int depth = 1;
            int i = m.end();
            while (depth > 0) {
                char ch = code.charAt(i++);
                depth += ch == '(' ? 1 : ch == ')' ? -1 : 0;
            }
            String inside = code.substring(m.end(), i - 1).replaceAll("'[^']*'|\"[^\"]*\"", "''");
            Map<String, Object> args = new LinkedHashMap<>();
            Matcher kv =
                    Pattern.compile("(?<![\\w.?])(\\w+)\\s*:\\s*([^,\\])]*)").matcher(inside);
            while (kv.find()) {
                String v = kv.group(2).trim();
                args.put(
                        kv.group(1),
                        v.equals("true") || v.equals("false")
                                ? Boolean.valueOf(v)
                                : v.matches("\\d+") ? Integer.valueOf(v) : v.equals("''") ? "" : null);
            }
            out.add(Map.entry(m.group(1), args));
        }
        return out;
    }

    static String withoutComments(String code) {
        return code.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)//.*$", "");
    }

    /** What does not bind: a key the step has no parameter for, or a value of another type. */
    static List<String> check(String step, String where, Map<String, Object> args) {
        List<String> problems = new ArrayList<>();
        Class<?> type = STEPS.get(step);
        if (type == null) {
            problems.add(where + ": no step " + step);
            return problems;
        }
        for (Map.Entry<String, Object> a : args.entrySet()) {
            Class<?> param = parameterType(type, a.getKey());
            if (param == null) {
                problems.add(where + ": " + step + " has no parameter '" + a.getKey() + "'");
            } else if (a.getValue() != null && !assignable(param, a.getValue())) {
                problems.add(where + ": " + step + "'s '" + a.getKey() + "' is " + param.getSimpleName() + ", not "
                        + a.getValue().getClass().getSimpleName() + " (" + a.getValue() + ")");
            }
        }
        return problems;
    }

    /** The parameter's type, as structs finds it; null when the step has no such parameter. */
    static Class<?> parameterType(Class<?> step, String name) {
        for (Constructor<?> c : step.getConstructors()) {
            if (c.isAnnotationPresent(DataBoundConstructor.class)) {
                for (Parameter p : c.getParameters()) {
                    assertThat(p.isNamePresent())
                            .as("compiled with -parameters")
                            .isTrue();
                    if (p.getName().equals(name)) {
                        return p.getType();
                    }
                }
            }
        }
        String setter = "set" + Character.toUpperCase(name.charAt(0)) + name.substring(1);
        for (Method m : step.getMethods()) {
            if (m.getName().equals(setter)
                    && m.getParameterCount() == 1
                    && m.isAnnotationPresent(DataBoundSetter.class)) {
                return m.getParameterTypes()[0];
            }
        }
        for (Class<?> c = step; c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getName().equals(name) && f.isAnnotationPresent(DataBoundSetter.class)) {
                    return f.getType();
                }
            }
        }
        return null;
    }

    static boolean assignable(Class<?> param, Object value) {
        if (param == boolean.class) {
            return value instanceof Boolean;
        }
        if (param == int.class || param == long.class) {
            return value instanceof Integer || value instanceof Long;
        }
        if (Collection.class.isAssignableFrom(param)) {
            return value instanceof Collection<?>;
        }
        return param.isInstance(value);
    }
}
