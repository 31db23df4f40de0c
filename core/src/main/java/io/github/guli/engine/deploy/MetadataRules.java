package io.github.guli.engine.deploy;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.github.guli.engine.deploy.KubeSchema.KindVersion;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/** Rules on metadata: a valid name, and a namespace that agrees with the deploy's. */
final class MetadataRules {
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

    private final String namespace;
    private final Findings findings;

    MetadataRules(String namespace, Findings findings) {
        this.namespace = namespace;
        this.findings = findings;
    }

    void check(ManifestObject m, KindVersion kv) {
        Node meta = ManifestObject.child(m.root(), "metadata");
        String name = m.name();
        if (name == null) {
            if (meta == null || ManifestObject.scalar(meta, "generateName") == null) {
                findings.error(m, meta == null ? m.root() : meta, "has no metadata.name: give it a name");
            }
        } else if (!name.contains("$")) {
            boolean label = "Service".equals(kv.kind()) || "Namespace".equals(kv.kind());
            Pattern rule = label ? DNS_LABEL : DNS_SUBDOMAIN;
            if (!rule.matcher(name).matches() || name.length() > (label ? 63 : 253)) {
                findings.error(
                        m,
                        ManifestObject.child(meta, "name"),
                        "has an invalid name '" + name + "': use lower-case letters, digits "
                                + "and '-'" + (label ? ", starting with a letter, at most 63 characters" : " (and '.')")
                                + (name.contains("_") ? "; '_' is not allowed, use '-'" : ""));
            }
        }
        String ns = m.namespace();
        if (ns != null && namespace != null && !ns.equals(namespace)) {
            findings.error(
                    m,
                    ManifestObject.child(meta, "namespace"),
                    "names namespace " + ns + " but the deploy targets namespace " + namespace
                            + ": remove metadata.namespace or the namespace parameter");
        }
        if (ns != null && !Namespaced.class.isAssignableFrom(kv.type().model())) {
            findings.warning(
                    m, ManifestObject.child(meta, "namespace"), "is cluster-wide: its metadata.namespace is ignored");
        }
    }
}
