package io.github.guli.engine.deploy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Reading a manifest's YAML nodes the way the rules need: a path, a list's items, labels, numbers. */
final class ManifestNodes {
    private ManifestNodes() {}

    static Node at(Node node, String... keys) {
        Node n = node;
        for (String k : keys) {
            n = ManifestObject.child(n, k);
            if (n == null) {
                return null;
            }
        }
        return n;
    }

    /** The items of a list; a map where a list was due (already reported) counts as its one item. */
    static List<Node> items(Node node) {
        if (node instanceof SequenceNode s) {
            return s.getValue().stream().filter(MappingNode.class::isInstance).toList();
        }
        return node instanceof MappingNode ? List.of(node) : List.of();
    }

    static Map<String, String> labels(Node node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && t.getValueNode() instanceof ScalarNode v) {
                    out.put(k.getValue(), v.getValue());
                }
            }
        }
        return out;
    }

    static List<String> scalars(Node node) {
        if (node instanceof SequenceNode s) {
            return s.getValue().stream()
                    .filter(ScalarNode.class::isInstance)
                    .map(n -> ((ScalarNode) n).getValue())
                    .toList();
        }
        return List.of();
    }

    static Integer integer(Node node) {
        if (node instanceof ScalarNode s && s.getValue().matches("-?[0-9]+")) {
            try {
                return Integer.valueOf(s.getValue());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    static String format(Map<String, String> labels) {
        StringBuilder s = new StringBuilder();
        labels.forEach((k, v) ->
                s.append(s.length() == 0 ? "" : ", ").append(k).append('=').append(v));
        return s.toString();
    }
}
