package io.github.guli.engine.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads manifest files: substitution (when enabled), then every YAML document of every file with SnakeYAML's node
 * API, so that each object keeps the line of each of its fields. A file that does not parse is one problem at the
 * line SnakeYAML names; the other files are still read.
 */
public final class ManifestLoader {
    /** What was read: the objects, the problems so far, and each file's rendered text (for a dry run). */
    public record Loaded(List<ManifestObject> manifests, List<Problem> problems, Map<String, String> rendered) {}

    private ManifestLoader() {}

    public static Loaded load(Path base, List<String> files, boolean substitute, Map<String, String> env) {
        List<ManifestObject> manifests = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        Map<String, String> rendered = new LinkedHashMap<>();
        for (String file : files) {
            String source;
            try {
                source = StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(base.resolve(file))))
                        .toString();
            } catch (CharacterCodingException e) {
                problems.add(Problem.error(file, 0, "is not UTF-8 text: save it as UTF-8"));
                continue;
            } catch (IOException e) {
                problems.add(Problem.error(file, 0, "cannot be read: " + e.getMessage()));
                continue;
            }
            source = source.replace("\r\n", "\n");
            int[] lines;
            String text;
            if (substitute) {
                Substitution.Result r = Substitution.apply(file, source, env);
                problems.addAll(r.problems());
                text = r.text();
                lines = r.sourceLines();
            } else {
                text = source;
                lines = java.util.stream.IntStream.rangeClosed(
                                1, (int) text.lines().count() + 1)
                        .toArray();
            }
            rendered.put(file, text);
            parse(file, text, lines, manifests, problems);
        }
        return new Loaded(manifests, problems, rendered);
    }

    private static void parse(
            String file, String text, int[] lines, List<ManifestObject> manifests, List<Problem> problems) {
        Iterator<Node> documents =
                new Yaml(new LoaderOptions()).composeAll(new StringReader(text)).iterator();
        int index = 0;
        try {
            while (documents.hasNext()) {
                Node node = documents.next();
                index++;
                if (node == null
                        || node instanceof ScalarNode s
                                && (s.getTag().equals(Tag.NULL) || s.getValue().isBlank())) {
                    continue; // an empty document, e.g. after a trailing '---'
                }
                String unsafe = unsafe(node, lines);
                if (unsafe != null) {
                    problems.add(Problem.error(
                            file,
                            at(lines, node.getStartMark().getLine()),
                            "document " + index + " " + unsafe + "; nothing of this document is checked or applied"));
                    continue;
                }
                int line = at(lines, node.getStartMark().getLine());
                if (!(node instanceof MappingNode root)) {
                    problems.add(Problem.error(
                            file,
                            line,
                            "document " + index + " is not a Kubernetes object: an "
                                    + "object is a map of fields (apiVersion, kind, metadata, spec), not "
                                    + (node instanceof SequenceNode ? "a list" : "a single value")));
                    continue;
                }
                if ("List".equals(ManifestObject.scalar(root, "kind"))
                        && ManifestObject.child(root, "items") instanceof SequenceNode items) {
                    for (Node item : items.getValue()) { // kubectl's List: each item is an object
                        if (item instanceof MappingNode m) {
                            manifests.add(new ManifestObject(file, lines, m));
                        }
                    }
                    continue;
                }
                manifests.add(new ManifestObject(file, lines, root));
            }
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? at(lines, e.getProblemMark().getLine()) : 0;
            String context = e.getContext() == null ? "" : e.getContext() + ": ";
            problems.add(Problem.error(
                    file,
                    line,
                    "is not valid YAML: " + context + e.getProblem()
                            + " (check the indentation and the ':' and '- ' of this line and the one above)"));
        } catch (YAMLException e) {
            problems.add(Problem.error(file, 0, "is not valid YAML: " + e.getMessage()));
        } catch (StackOverflowError e) {
            problems.add(Problem.error(file, 0, "is nested too deeply to be read: a manifest is a few levels deep"));
        }
    }

    /** The YAML tags a Kubernetes object is made of: anything else would construct to something else than it reads. */
    private static final Set<Tag> PLAIN =
            Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.TIMESTAMP, Tag.MAP, Tag.SEQ);

    /**
     * Why a document cannot be checked as the object it will be, or null. An alias of a map or a list (the node is
     * shared) can expand exponentially (a few lines of "billion laughs" make gigabytes) or loop on itself; a merge
     * key ({@code <<}) adds fields the checks would not see where they land; a tag such as {@code !!set} constructs
     * to something else than it reads. Refused, rather than expanded: a manifest needs none of them. Iterative, so
     * that no nesting can overflow the stack.
     */
    static String unsafe(Node root, int[] lines) {
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Node> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            int line = at(lines, n.getStartMark().getLine());
            if (!PLAIN.contains(n.getTag())) {
                return "uses the YAML tag " + n.getTag() + " at line " + line + ": a Kubernetes object needs none; "
                        + "remove it (quote the value if it is a string)";
            }
            if (n instanceof ScalarNode) {
                continue; // an alias of a scalar copies one value: harmless
            }
            if (!seen.add(n)) {
                return "repeats a map or a list with a YAML alias (*name) at line " + line + ": aliases of maps and "
                        + "lists are refused (they can expand without bound or refer to themselves); write the fields out";
            }
            if (n instanceof MappingNode m) {
                for (NodeTuple t : m.getValue()) {
                    if (t.getKeyNode().getTag().equals(Tag.MERGE)) {
                        return "has a YAML merge key (<<) at line "
                                + at(lines, t.getKeyNode().getStartMark().getLine())
                                + ": merge keys are refused (the fields they add would land unchecked, e.g. a "
                                + "namespace); write the fields out";
                    }
                    todo.push(t.getValueNode());
                    todo.push(t.getKeyNode());
                }
            } else if (n instanceof SequenceNode q) {
                q.getValue().forEach(todo::push);
            }
        }
        return null;
    }

    private static int at(int[] lines, int renderedLine) {
        return renderedLine < lines.length ? lines[renderedLine] : renderedLine + 1;
    }
}
