package io.github.guli.engine.deploy;

import io.github.guli.engine.deploy.KubeSchema.ListOf;
import io.github.guli.engine.deploy.KubeSchema.MapOf;
import io.github.guli.engine.deploy.KubeSchema.Obj;
import io.github.guli.engine.deploy.KubeSchema.Scalar;
import io.github.guli.engine.deploy.KubeSchema.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Walks one object's YAML tree against the schema of its kind: unknown fields (with where they belong, or the
 * field meant), wrong types, duplicate keys. Every problem names the field's path and carries its line.
 */
final class SchemaCheck {
    /** Kubernetes' quantity grammar (resource.Quantity): a number, then an optional suffix or exponent. */
    private static final Pattern QUANTITY = Pattern.compile(
            "[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?");

    private static final Pattern BYTES_TYPO = Pattern.compile("([0-9.]+)\\s*([KMGTPE])[bB]");
    private static final int INDEX_DEPTH = 9;
    private static final Map<Obj, Map<String, List<String>>> INDEXES = new ConcurrentHashMap<>();

    private final ManifestObject manifest;
    private final Obj root;
    private final String kind;
    private final List<Problem> problems;

    SchemaCheck(ManifestObject manifest, Obj root, String kind, List<Problem> problems) {
        this.manifest = manifest;
        this.root = root;
        this.kind = kind;
        this.problems = problems;
    }

    void run() {
        walk(manifest.root(), root, "");
    }

    private void error(Node at, String message) {
        problems.add(Problem.error(manifest.file(), manifest.line(at), manifest.title() + ": " + message));
    }

    private void walk(Node node, Type type, String path) {
        if (node instanceof ScalarNode s && s.getTag().equals(Tag.NULL)) {
            return; // null is "not set" everywhere
        }
        if (type instanceof Obj obj) {
            if (node instanceof MappingNode m) {
                fields(m, obj, path);
            } else {
                error(node, where(path) + " must be " + obj.describe() + ", not " + what(node));
            }
        } else if (type instanceof ListOf list) {
            if (node instanceof SequenceNode seq) {
                for (int i = 0; i < seq.getValue().size(); i++) {
                    walk(seq.getValue().get(i), list.element(), path + "[" + i + "]");
                }
            } else if (node instanceof MappingNode m && list.element() instanceof Obj) {
                error(
                        node,
                        where(path) + " must be a list, not a map: write each item as '- name: ...' (a '- ' before "
                                + "the item's first field, the other fields aligned under it)");
                walk(m, list.element(), path + "[0]"); // still check the item it was meant to be
            } else {
                error(node, where(path) + " must be a list (items starting with '- '), not " + what(node));
            }
        } else if (type instanceof MapOf map) {
            if (node instanceof MappingNode m) {
                Set<String> seen = new HashSet<>();
                for (NodeTuple t : m.getValue()) {
                    String key = key(t, seen, path);
                    if (key != null) {
                        walk(t.getValueNode(), map.value(), join(path, key));
                    }
                }
            } else {
                error(node, where(path) + " must be a map (name: value lines), not " + what(node));
            }
        } else if (type instanceof Scalar scalar) {
            scalar(node, scalar, path);
        }
    }

    private void fields(MappingNode m, Obj obj, String path) {
        Map<String, Type> known = obj.fields();
        Set<String> seen = new HashSet<>();
        for (NodeTuple t : m.getValue()) {
            String key = key(t, seen, path);
            if (key == null) {
                continue;
            }
            Type type = known.get(key);
            if (type != null) {
                walk(t.getValueNode(), type, join(path, key));
            } else if (!key.equals("<<")) { // a YAML merge key: its fields are checked where they land
                unknown(t.getKeyNode(), key, obj, path);
            }
        }
    }

    private String key(NodeTuple t, Set<String> seen, String path) {
        if (!(t.getKeyNode() instanceof ScalarNode k)) {
            error(t.getKeyNode(), "a key in " + where(path) + " is not a plain name");
            return null;
        }
        if (!seen.add(k.getValue())) {
            error(
                    k,
                    where(join(path, k.getValue())) + " is given twice in the same map: the first one would be lost; "
                            + "keep one");
        }
        return k.getValue();
    }

    private void unknown(Node at, String key, Obj obj, String path) {
        String here = path.isEmpty() ? "the top level of " + kind : path + " (" + obj.name() + ")";
        String generic = generic(path);
        List<String> elsewhere = index().getOrDefault(key, List.of());
        if (!elsewhere.isEmpty()) {
            String best = elsewhere.stream()
                    .min(Comparator.comparingInt((String p) -> -commonPrefix(p, generic))
                            .thenComparingInt(String::length))
                    .orElseThrow();
            error(
                    at,
                    "'" + key + "' is not a field of " + here + "; it belongs under "
                            + (best.isEmpty() ? "the top level" : best) + ": move it there (check its indentation)");
            return;
        }
        String near = closest(key, obj.fields().keySet());
        if (near != null) {
            error(at, "unknown field '" + key + "' in " + here + "; did you mean '" + near + "'?");
            return;
        }
        String far = null;
        String farPath = null;
        int best = Integer.MAX_VALUE;
        for (Map.Entry<String, List<String>> e : index().entrySet()) {
            int d = distance(key.toLowerCase(), e.getKey().toLowerCase());
            if (d <= threshold(key) && d < best) {
                best = d;
                far = e.getKey();
                farPath = e.getValue().get(0);
            }
        }
        if (far != null) {
            error(
                    at,
                    "unknown field '" + key + "' in " + here + "; did you mean '" + far + "' (a field of "
                            + (farPath.isEmpty() ? "the top level" : farPath) + ")?");
            return;
        }
        List<String> names = new ArrayList<>(obj.fields().keySet());
        names.remove("status");
        error(at, "unknown field '" + key + "' in " + here + "; its fields are: " + String.join(", ", names));
    }

    private void scalar(Node node, Scalar type, String path) {
        if (type.kind() == KubeSchema.ScalarKind.ANY) {
            return;
        }
        if (!(node instanceof ScalarNode s)) {
            error(node, where(path) + " must be " + type.describe() + ", not " + what(node));
            return;
        }
        Tag tag = s.getTag();
        boolean isInt = tag.equals(Tag.INT);
        boolean isNumber = isInt || tag.equals(Tag.FLOAT);
        boolean isBool = tag.equals(Tag.BOOL);
        boolean isString = tag.equals(Tag.STR) || tag.equals(Tag.TIMESTAMP);
        String v = s.getValue();
        switch (type.kind()) {
            case STRING -> {
                if (!isString) {
                    error(
                            node,
                            where(path) + " must be a string, but " + v + " reads as "
                                    + (isBool ? "true/false" : "a number") + ": quote it (\"" + v + "\")");
                }
            }
            case INTEGER -> {
                if (!isInt) {
                    error(
                            node,
                            where(path) + " must be an integer, not " + describe(s)
                                    + (isString && v.matches("[0-9]+") ? ": remove the quotes" : ""));
                }
            }
            case NUMBER -> {
                if (!isNumber) {
                    error(node, where(path) + " must be a number, not " + describe(s));
                }
            }
            case BOOLEAN -> {
                if (!isBool) {
                    error(node, where(path) + " must be true or false, not " + describe(s));
                }
            }
            case INT_OR_STRING -> {
                if (!isInt && !isString) {
                    error(node, where(path) + " must be a number or a name, not " + describe(s));
                }
            }
            case QUANTITY -> {
                if (!isNumber && !(isString && QUANTITY.matcher(v.trim()).matches())) {
                    var typo = BYTES_TYPO.matcher(v.trim());
                    error(
                            node,
                            where(path) + ": '" + v + "' is not a Kubernetes quantity"
                                    + (typo.matches()
                                            ? "; did you mean " + typo.group(1) + typo.group(2) + "i (binary) or "
                                                    + typo.group(1) + typo.group(2) + " (decimal)?"
                                            : ": use e.g. 500Mi, 1Gi, 250m or 0.5"));
                }
            }
            default -> {}
        }
    }

    private static String describe(ScalarNode s) {
        return s.getTag().equals(Tag.STR) ? "the string \"" + s.getValue() + "\"" : s.getValue();
    }

    private static String what(Node node) {
        if (node instanceof MappingNode) {
            return "a map";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return "the value '" + ((ScalarNode) node).getValue() + "'";
    }

    static String where(String path) {
        return path.isEmpty() ? "the object" : path;
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** spec.template.spec.containers[0] -> spec.template.spec.containers[] */
    private static String generic(String path) {
        return path.replaceAll("\\[[0-9]+]", "[]");
    }

    private static int commonPrefix(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        int n = 0;
        while (n < x.length && n < y.length && x[n].equals(y[n]) && !x[n].isEmpty()) {
            n++;
        }
        return n;
    }

    /** field name -> every path (generic, '[]' for list items) where the kind's schema has it, shallowest first. */
    private Map<String, List<String>> index() {
        return INDEXES.computeIfAbsent(root, r -> {
            Map<String, List<String>> idx = new LinkedHashMap<>();
            record Step(Obj obj, String path, int depth, Set<Obj> above) {}
            java.util.ArrayDeque<Step> queue = new java.util.ArrayDeque<>();
            queue.add(new Step(r, "", 0, Set.of(r)));
            while (!queue.isEmpty()) {
                Step s = queue.poll();
                for (Map.Entry<String, Type> f : s.obj().fields().entrySet()) {
                    if (f.getKey().equals("status")
                            || s.path().isEmpty() && f.getKey().equals("kind")) {
                        continue;
                    }
                    idx.computeIfAbsent(f.getKey(), k -> new ArrayList<>()).add(s.path());
                    Type t = f.getValue();
                    String p = join(s.path(), f.getKey());
                    while (t instanceof ListOf l) {
                        t = l.element();
                        p += "[]";
                    }
                    if (t instanceof MapOf mo && mo.value() instanceof Obj) {
                        t = mo.value();
                        p += ".*";
                    }
                    if (t instanceof Obj o
                            && s.depth() < INDEX_DEPTH
                            && !s.above().contains(o)) {
                        Set<Obj> above = new HashSet<>(s.above());
                        above.add(o);
                        queue.add(new Step(o, p, s.depth() + 1, above));
                    }
                }
            }
            return idx;
        });
    }

    /** The name among {@code candidates} closest to {@code key}, if it is close enough to be a typo. */
    static String closest(String key, Iterable<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(key.toLowerCase(), c.toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return bestDistance <= threshold(key) ? best : null;
    }

    private static int threshold(String key) {
        return Math.max(1, Math.min(3, key.length() / 4));
    }

    /** Edit distance counting a swap of two neighbours as one edit (imgae -> image), the commonest typo. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
