package io.github.guli.engine.deploy;

import static io.github.guli.engine.deploy.ManifestNodes.format;
import static io.github.guli.engine.deploy.ManifestNodes.integer;
import static io.github.guli.engine.deploy.ManifestNodes.items;
import static io.github.guli.engine.deploy.ManifestNodes.labels;

import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;

/** Rules on a Service: node ports in range and only with a type that has them, ports, a selector that selects. */
final class ServiceRules {
    static final int NODE_PORT_MIN = 30000;
    static final int NODE_PORT_MAX = 32767;

    /** An object's namespace: its own, else the deploy's. */
    interface Namespaces {
        String of(ManifestObject m);
    }

    private final Namespaces namespaces;
    private final Findings findings;

    ServiceRules(Namespaces namespaces, Findings findings) {
        this.namespaces = namespaces;
        this.findings = findings;
    }

    void check(ManifestObject m, Map<ManifestObject, Map<String, String>> podLabels) {
        Node spec = ManifestObject.child(m.root(), "spec");
        String type = ManifestObject.scalar(spec, "type");
        boolean exposesNodePorts = "NodePort".equals(type) || "LoadBalancer".equals(type);
        for (Node p : items(ManifestObject.child(spec, "ports"))) {
            Node np = ManifestObject.child(p, "nodePort");
            Integer nodePort = integer(np);
            if (nodePort != null && nodePort != 0) {
                if (!exposesNodePorts) {
                    findings.error(
                            m,
                            np,
                            "sets nodePort " + nodePort + " but its type is "
                                    + (type == null ? "ClusterIP (the default)" : type)
                                    + ": set 'type: NodePort' or remove the nodePort");
                } else if (nodePort < NODE_PORT_MIN || nodePort > NODE_PORT_MAX) {
                    findings.error(
                            m,
                            np,
                            "has nodePort " + nodePort + ", outside " + NODE_PORT_MIN + "-" + NODE_PORT_MAX
                                    + " (Kubernetes' default service-node-port-range): the API server refuses it; pick one in "
                                    + "the range, or leave it out and one is assigned");
                }
            }
            Node portNode = ManifestObject.child(p, "port");
            Integer port = integer(portNode);
            if (portNode == null) {
                findings.error(m, p, "has a port without 'port': give the port the Service listens on");
            } else if (port != null && (port < 1 || port > 65535)) {
                findings.error(m, portNode, "has port " + port + ": a port is 1-65535");
            }
        }
        Map<String, String> selector = labels(ManifestObject.child(spec, "selector"));
        if (selector.isEmpty() || podLabels.isEmpty()) {
            return; // no selector (endpoints managed elsewhere), or no workload here to compare with
        }
        String ns = namespaces.of(m);
        boolean anyInNamespace = false;
        for (Map.Entry<ManifestObject, Map<String, String>> w : podLabels.entrySet()) {
            if (java.util.Objects.equals(namespaces.of(w.getKey()), ns)) {
                anyInNamespace = true;
                if (w.getValue().entrySet().containsAll(selector.entrySet())) {
                    return;
                }
            }
        }
        if (anyInNamespace) {
            findings.warning(
                    m,
                    ManifestObject.child(spec, "selector"),
                    "selects pods with " + format(selector) + " but no workload in "
                            + "these manifests has pods with those labels: the Service would have no endpoints");
        }
    }
}
