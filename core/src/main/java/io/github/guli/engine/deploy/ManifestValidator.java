package io.github.guli.engine.deploy;

import io.github.guli.engine.deploy.KubeSchema.KindVersion;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Everything that can be known about the manifests before anything is applied: the kind and its apiVersion, the
 * schema (via {@link SchemaCheck}), and the rules Kubernetes applies on top of it that bite most (selectors, node
 * ports, container fields), plus warnings for what a cluster would accept but a release should not have (no
 * resources, images without a tag, {@code latest} in a release). All problems of all objects, at once. Each group of
 * rules is its own class; this one runs them in order, object by object, then the rules across objects.
 */
public final class ManifestValidator {
    static final int NODE_PORT_MIN = ServiceRules.NODE_PORT_MIN;
    static final int NODE_PORT_MAX = ServiceRules.NODE_PORT_MAX;

    private final KubeSchema schema = KubeSchema.get();
    private final String namespace;
    private final Findings findings = new Findings();
    private final ApiVersionRules apiVersions = new ApiVersionRules(schema, findings);
    private final MetadataRules metadata;
    private final PodRules pods;
    private final SelectorRules selectors = new SelectorRules(findings);
    private final ServiceRules services = new ServiceRules(this::effectiveNamespace, findings);

    /**
     * @param namespace the namespace the deploy targets when given (objects naming another one are an error), or null
     * @param release whether PROJECT_VERSION is a release version: then {@code latest} images are worth a warning
     */
    public ManifestValidator(String namespace, boolean release) {
        this.namespace = namespace;
        this.metadata = new MetadataRules(namespace, findings);
        this.pods = new PodRules(findings, new ImageRules(release, findings));
    }

    public List<Problem> validate(List<ManifestObject> manifests) {
        Map<String, ManifestObject> seen = new HashMap<>();
        Map<ManifestObject, Map<String, String>> podLabels = new LinkedHashMap<>();
        for (ManifestObject m : manifests) {
            try {
                check(m, seen, podLabels);
            } catch (StackOverflowError e) {
                findings.error(m, m.root(), "is nested too deeply to be checked: a manifest is a few levels deep");
            }
        }
        for (ManifestObject m : manifests) {
            if ("Service".equals(m.kind()) && schema.kinds().containsKey("Service")) {
                services.check(m, podLabels);
            }
        }
        return findings.list();
    }

    /** One object's checks; those across objects (a Service's selector) come after all. */
    private void check(
            ManifestObject m, Map<String, ManifestObject> seen, Map<ManifestObject, Map<String, String>> podLabels) {
        KindVersion kv = apiVersions.kindVersion(m);
        if (kv == null) {
            return;
        }
        new SchemaCheck(m, kv.type(), kv.kind(), findings.list()).run();
        metadata.check(m, kv);
        String id = kv.kind() + " " + effectiveNamespace(m) + "/" + m.name();
        ManifestObject first = seen.putIfAbsent(id, m);
        if (first != null && m.name() != null) {
            findings.error(
                    m, m.root(), "is defined twice (first at " + first.file() + ":" + first.line() + "): keep one");
        }
        Node template = PodRules.podTemplate(m);
        if (template != null) {
            podLabels.put(m, ManifestNodes.labels(ManifestNodes.at(template, "metadata", "labels")));
            pods.check(m, ManifestNodes.at(template, "spec"), kv.kind());
        }
        if (PodRules.APPS_WORKLOADS.contains(kv.kind())) {
            selectors.check(m, template);
        }
    }

    private String effectiveNamespace(ManifestObject m) {
        return m.namespace() != null ? m.namespace() : namespace;
    }
}
