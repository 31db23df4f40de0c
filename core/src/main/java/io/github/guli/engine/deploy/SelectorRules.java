package io.github.guli.engine.deploy;

import static io.github.guli.engine.deploy.ManifestNodes.at;
import static io.github.guli.engine.deploy.ManifestNodes.format;
import static io.github.guli.engine.deploy.ManifestNodes.items;
import static io.github.guli.engine.deploy.ManifestNodes.labels;
import static io.github.guli.engine.deploy.ManifestNodes.scalars;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;

/** The apps/v1 workloads' rule: a selector, and one that matches the pod template's labels. */
final class SelectorRules {
    private final Findings findings;

    SelectorRules(Findings findings) {
        this.findings = findings;
    }

    void check(ManifestObject m, Node template) {
        Node selector = at(m.root(), "spec", "selector");
        if (selector == null) {
            findings.error(
                    m,
                    ManifestObject.child(m.root(), "spec") == null ? m.root() : ManifestObject.child(m.root(), "spec"),
                    "has no spec.selector: apps/v1 requires one; add 'selector: matchLabels:' with the template's labels");
            return;
        }
        Map<String, String> labels = labels(at(template, "metadata", "labels"));
        if (labels.isEmpty()) {
            findings.error(
                    m,
                    template == null ? selector : template,
                    "has no spec.template.metadata.labels: the selector "
                            + "has nothing to match; give the pods the selector's labels");
            return;
        }
        Map<String, String> match = labels(ManifestObject.child(selector, "matchLabels"));
        List<String> mismatches = new ArrayList<>();
        match.forEach((k, v) -> {
            if (!v.equals(labels.get(k))) {
                mismatches.add(k + "=" + v);
            }
        });
        for (Node e : items(ManifestObject.child(selector, "matchExpressions"))) {
            String key = ManifestObject.scalar(e, "key");
            String op = ManifestObject.scalar(e, "operator");
            List<String> values = scalars(ManifestObject.child(e, "values"));
            if (key == null || op == null) {
                continue;
            }
            boolean ok = switch (op) {
                case "In" -> labels.containsKey(key) && values.contains(labels.get(key));
                case "NotIn" -> !labels.containsKey(key) || !values.contains(labels.get(key));
                case "Exists" -> labels.containsKey(key);
                case "DoesNotExist" -> !labels.containsKey(key);
                default -> true;
            };
            if (!ok) {
                mismatches.add(key + " " + op + " " + values);
            }
        }
        if (match.isEmpty()
                && items(ManifestObject.child(selector, "matchExpressions")).isEmpty()) {
            findings.error(m, selector, "has an empty spec.selector: give matchLabels with the template's labels");
        } else if (!mismatches.isEmpty()) {
            findings.error(
                    m,
                    selector,
                    "has a selector (" + String.join(", ", mismatches) + ") that does not match its template's "
                            + "labels (" + format(labels) + "): Kubernetes refuses it; make them equal");
        }
    }
}
