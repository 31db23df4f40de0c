package io.github.guli.engine.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The pipeline's configuration merged from its three places, each value remembering where it came from:
 * the global configuration, overridden by the Jenkinsfile's map, overridden by the service repository's guli.yaml.
 * guli.yaml is a file of the branch being built (a pull request's author writes it), so it may set only what is the
 * repository's own ({@link #FILE_KEYS}, {@link #FILE_STAGE_ARGS}); who approves, endpoints, credentials and the
 * cluster are the admins' and the Jenkinsfile's. Unknown keys and values of the wrong type are refused with the
 * place, the key and what is expected.
 */
final class PipelineConfig {
    static final String GLOBAL = "the global configuration";
    static final String JENKINSFILE = "the Jenkinsfile's guliPipeline(...) map";
    static final String FILE = "guli.yaml";
    /** A service repository's file is input from anyone who can push: keep what the controller parses small. */
    static final int MAX_FILE_CHARS = 64 * 1024;

    /** A value and the place it came from, for messages such as "deploy is false in guli.yaml". */
    record Value(Object value, String source) {}

    /** A stage's setting: on or off, and the step arguments the configuration adds. */
    record Stage(boolean enabled, Map<String, Object> args, String source) {}

    /** The keys guli.yaml may set: everything else is a trust decision (or, for agent, decided before it is read). */
    static final Set<ConfigKey> FILE_KEYS = EnumSet.of(
            ConfigKey.SERVICES,
            ConfigKey.BUILD,
            ConfigKey.QUALITY_GATE,
            ConfigKey.IMAGE,
            ConfigKey.DEPLOY,
            ConfigKey.RELEASE,
            ConfigKey.FRONTEND_BUILD);
    /**
     * The step arguments a stage map in guli.yaml may add: build options. Never a server, a registry, a namespace,
     * a cluster, a credentials ID, a SonarQube project or a git remote.
     */
    static final Map<ConfigKey, Set<String>> FILE_STAGE_ARGS = Map.of(
            ConfigKey.BUILD,
                    Set.of(
                            "module",
                            "dir",
                            "goals",
                            "skipTests",
                            "settings",
                            "maven",
                            "mavenOptions",
                            "mavenOpts",
                            "sonar",
                            "sonarBranch",
                            "sonarScannerVersion"),
            ConfigKey.QUALITY_GATE, Set.of("module", "dir", "reportTask", "timeout"),
            ConfigKey.IMAGE,
                    Set.of(
                            "module",
                            "dockerfile",
                            "jar",
                            "tags",
                            "latest",
                            "push",
                            "saveTo",
                            "baseImage",
                            "port",
                            "profile",
                            "javaOptions",
                            "daemon"),
            ConfigKey.DEPLOY,
                    Set.of("configs", "enableConfigSubstitution", "dryRun", "wait", "timeout", "rollbackOnFailure"),
            ConfigKey.RELEASE, Set.of("tagImage", "tagGit", "taggerName", "taggerEmail"));
    /** Keys the global configuration also holds (the steps read it when the Jenkinsfile does not say). */
    private static final Set<ConfigKey> GLOBAL_KEYS = EnumSet.of(
            ConfigKey.REGISTRY,
            ConfigKey.NAMESPACE,
            ConfigKey.REGISTRY_CREDENTIALS_ID,
            ConfigKey.GIT_CREDENTIALS_ID,
            ConfigKey.KUBECONFIG_ID,
            ConfigKey.APPROVERS,
            ConfigKey.APPROVAL_TIMEOUT_MINUTES,
            ConfigKey.CONTAINER,
            ConfigKey.CONCURRENCY);

    private final Map<ConfigKey, Value> values = new EnumMap<>(ConfigKey.class);
    private final Map<ConfigKey, Stage> stages = new EnumMap<>(ConfigKey.class);

    PipelineConfig(Map<String, ?> global, Map<String, ?> call, String fileText) {
        layer(global, GLOBAL);
        layer(call, JENKINSFILE);
        Map<String, Object> file = parseFile(fileText);
        checkFileKeys(file);
        layer(file, FILE);
    }

    /** Refuses what guli.yaml may not decide, naming the key and where it may be set. */
    private static void checkFileKeys(Map<String, Object> file) {
        file.forEach((name, raw) -> {
            ConfigKey key = ConfigKey.of(name).orElseThrow(() -> unknown(name, FILE));
            if (key == ConfigKey.AGENT) {
                throw new GuliException(
                        "'agent' cannot be set in guli.yaml, which is read on the agent already: set it "
                                + "in the Jenkinsfile, e.g. guliPipeline(service: '...', agent: 'maven')");
            }
            if (key == ConfigKey.SERVICE) {
                throw new GuliException("'service' cannot be set in guli.yaml, a file of the branch being built: the "
                        + "service names the image pushed and the locks taken, a trust decision of the admins. Set it "
                        + "in the Jenkinsfile, guliPipeline(service: '...'), or choose it in the build form's "
                        + "PROJECT_NAME");
            }
            if (!FILE_KEYS.contains(key)) {
                throw new GuliException("'" + name + "' cannot be set in guli.yaml: it is a file of the branch being "
                        + "built, and '" + name + "' is a trust decision of the admins (a pull request must not choose "
                        + "it). Set it in the Jenkinsfile, e.g. guliPipeline(service: '...', " + name + ": ...)"
                        + (GLOBAL_KEYS.contains(key) ? ", or in Manage Jenkins > System > guli-pipeline" : ""));
            }
            if (raw instanceof Map<?, ?> args) {
                Set<String> allowed = FILE_STAGE_ARGS.getOrDefault(key, Set.of());
                for (Object arg : args.keySet()) {
                    if (!allowed.contains(String.valueOf(arg))) {
                        throw new GuliException("'" + name + "." + arg + "' cannot be set in guli.yaml, a file of the "
                                + "branch being built: under '" + name + "' it may set only "
                                + String.join(", ", new TreeSet<>(allowed)) + ". Set " + arg
                                + " in the Jenkinsfile, e.g. guliPipeline("
                                + "service: '...', " + name + ": [" + arg + ": ...)], or in Manage Jenkins > System > "
                                + "guli-pipeline where it has a field");
                    }
                }
            }
        });
    }

    String string(ConfigKey key) {
        Value v = values.get(key);
        return v == null ? null : (String) v.value();
    }

    @SuppressWarnings("unchecked")
    List<String> list(ConfigKey key) {
        Value v = values.get(key);
        return v == null ? null : (List<String>) v.value();
    }

    Integer integer(ConfigKey key) {
        Value v = values.get(key);
        return v == null ? null : (Integer) v.value();
    }

    String source(ConfigKey key) {
        Value v = values.get(key);
        return v != null
                ? v.source()
                : stages.containsKey(key) ? stages.get(key).source() : "the default";
    }

    /** A stage key's setting; {@code enabledByDefault} when no place sets it. */
    Stage stage(ConfigKey key, boolean enabledByDefault) {
        return stages.getOrDefault(key, new Stage(enabledByDefault, Map.of(), "the default"));
    }

    static Map<String, Object> parseFile(String text) {
        if (Blank.isBlank(text)) {
            return Map.of();
        }
        if (text.length() > MAX_FILE_CHARS) {
            throw new GuliException("guli.yaml is larger than " + MAX_FILE_CHARS / 1024 + " KB: it holds a few keys "
                    + "(see docs/configuration.md), keep it small");
        }
        Object parsed;
        try {
            YAMLMapper yaml = new YAMLMapper();
            JsonNode tree = yaml.readTree(text); // a file of comments only is a missing node, not an error
            parsed = tree == null || tree.isMissingNode() ? null : yaml.treeToValue(tree, Object.class);
        } catch (JsonProcessingException e) {
            String where =
                    e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new GuliException("guli.yaml is not valid YAML" + where + ": " + e.getOriginalMessage()
                    + ". Fix the file, e.g. `namespace: atguigumall` on a line of its own");
        }
        if (parsed == null) {
            return Map.of();
        }
        if (!(parsed instanceof Map<?, ?> m)) {
            throw new GuliException("guli.yaml must be a map of configuration keys, e.g. `namespace: atguigumall`; "
                    + "it holds " + describe(parsed));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    private void layer(Map<String, ?> entries, String source) {
        if (entries == null) {
            return;
        }
        entries.forEach((name, raw) -> {
            ConfigKey key = ConfigKey.of(name).orElseThrow(() -> unknown(name, source));
            if (key.type == ConfigKey.Type.STAGE) {
                stage(key, raw, source);
            } else {
                Object v = coerce(key, raw, source);
                if (v != null) {
                    values.put(key, new Value(v, source));
                }
            }
        });
    }

    private void stage(ConfigKey key, Object raw, String source) {
        Stage before = stages.get(key);
        Map<String, Object> args = new LinkedHashMap<>(before == null ? Map.of() : before.args());
        boolean enabled;
        if (raw instanceof Boolean b) {
            enabled = b;
        } else if (raw instanceof CharSequence s
                && (s.toString().equals("true") || s.toString().equals("false"))) {
            enabled = Boolean.parseBoolean(s.toString());
        } else if (raw instanceof Map<?, ?> m) {
            enabled = true;
            m.forEach((k, v) -> args.put(String.valueOf(k), v instanceof CharSequence s ? s.toString() : v));
        } else if (raw == null) {
            return;
        } else {
            throw wrongType(key, raw, source);
        }
        stages.put(key, new Stage(enabled, args, source));
    }

    private static Object coerce(ConfigKey key, Object raw, String source) {
        if (raw == null || raw instanceof CharSequence s && s.toString().isBlank()) {
            return null; // blank means "not given", as in the global configuration's form
        }
        switch (key.type) {
            case STRING:
                if (raw instanceof CharSequence || raw instanceof Number) {
                    return raw.toString().trim();
                }
                break;
            case INTEGER:
                String text = raw.toString().trim();
                if ((raw instanceof Number || raw instanceof CharSequence) && text.matches("[1-9][0-9]{0,8}")) {
                    return Integer.valueOf(text);
                }
                break;
            case LIST:
                List<?> items = raw instanceof List<?> l
                        ? l
                        : raw instanceof CharSequence s
                                ? Arrays.asList(s.toString().split(","))
                                : null;
                if (items != null && items.stream().allMatch(i -> i instanceof CharSequence)) {
                    List<String> out = new ArrayList<>();
                    items.forEach(i -> {
                        if (!i.toString().isBlank()) {
                            out.add(i.toString().trim());
                        }
                    });
                    return out.isEmpty() ? null : out;
                }
                break;
            default:
                break;
        }
        throw wrongType(key, raw, source);
    }

    private static GuliException wrongType(ConfigKey key, Object raw, String source) {
        return new GuliException(
                "'" + key.key + "' in " + source + " must be " + key.type.description + ", not " + describe(raw));
    }

    private static GuliException unknown(String name, String source) {
        String near = ConfigKey.names().stream()
                .filter(k -> distance(k.toLowerCase(), name.toLowerCase()) <= 2)
                .findFirst()
                .map(k -> " (did you mean '" + k + "'?)")
                .orElse("");
        return new GuliException("unknown configuration key '" + name + "' in " + source + near + ". Known keys: "
                + String.join(", ", ConfigKey.names()));
    }

    private static String describe(Object v) {
        if (v instanceof Map) {
            return "a map";
        }
        if (v instanceof List) {
            return "a list " + v;
        }
        return v instanceof CharSequence ? "'" + v + "'" : String.valueOf(v);
    }

    /** Levenshtein distance: enough to catch a misspelt key such as the course's skipped releases. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
