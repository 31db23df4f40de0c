package io.github.guli.engine.deploy;

import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.nodes.Node;

/** The problems the manifest rules find, in the order found; each names the object and where in its file. */
final class Findings {
    private final List<Problem> problems = new ArrayList<>();

    void error(ManifestObject m, Node at, String message) {
        problems.add(Problem.error(m.file(), m.line(at), m.title() + " " + message));
    }

    void warning(ManifestObject m, Node at, String message) {
        problems.add(Problem.warning(m.file(), m.line(at), m.title() + " " + message));
    }

    /** The list itself, for the schema check, which adds to it. */
    List<Problem> list() {
        return problems;
    }
}
