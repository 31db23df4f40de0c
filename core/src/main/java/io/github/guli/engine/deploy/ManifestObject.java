package io.github.guli.engine.deploy;

import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One Kubernetes object from a manifest file: its YAML node tree (for problems at a line), the object it
 * constructs to (what is sent to the API server) and where it came from.
 */
public final class ManifestObject {
    private final String file;
    private final int[] sourceLines;
    private final MappingNode root;
    private Map<String, Object> value;

    ManifestObject(String file, int[] sourceLines, MappingNode root) {
        this.file = file;
        this.sourceLines = sourceLines;
        this.root = root;
    }

    public String file() {
        return file;
    }

    public MappingNode root() {
        return root;
    }

    /**
     * The object as plain maps, lists and scalars. Built on first use, after validation: SnakeYAML's constructor
     * rewrites the node tree (it drops duplicate keys), which would hide them from the checks.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> value() {
        if (value == null) {
            value = (Map<String, Object>) new Values().construct(root);
        }
        return value;
    }

    /** YAML to plain maps, lists and scalars; timestamps stay strings, as Kubernetes reads them. */
    private static final class Values extends SafeConstructor {
        Values() {
            super(new LoaderOptions());
            yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
        }

        Object construct(Node node) {
            return constructDocument(node);
        }
    }

    /** The 1-based line of the source file where a node starts. */
    public int line(Node node) {
        int rendered = node.getStartMark().getLine();
        return rendered < sourceLines.length ? sourceLines[rendered] : rendered + 1;
    }

    public int line() {
        return line(root);
    }

    public String apiVersion() {
        return scalar(root, "apiVersion");
    }

    public String kind() {
        return scalar(root, "kind");
    }

    public String name() {
        Node meta = child(root, "metadata");
        return meta instanceof MappingNode m ? scalar(m, "name") : null;
    }

    public String namespace() {
        Node meta = child(root, "metadata");
        return meta instanceof MappingNode m ? scalar(m, "namespace") : null;
    }

    /** "Deployment gulimall-auth-server", for messages. */
    public String title() {
        String kind = kind() == null ? "object" : kind();
        return name() == null ? kind : kind + " " + name();
    }

    static Node child(Node node, String key) {
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                    return t.getValueNode();
                }
            }
        }
        return null;
    }

    static String scalar(Node node, String key) {
        Node v = child(node, key);
        return v instanceof ScalarNode s && !s.getValue().isEmpty() ? s.getValue() : null;
    }
}
