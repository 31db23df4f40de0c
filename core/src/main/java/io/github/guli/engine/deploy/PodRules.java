package io.github.guli.engine.deploy;

import static io.github.guli.engine.deploy.ManifestNodes.at;
import static io.github.guli.engine.deploy.ManifestNodes.integer;
import static io.github.guli.engine.deploy.ManifestNodes.items;

import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/** Rules on a pod's spec and its containers: restart policy, names, images, resources, ports. */
final class PodRules {
    static final Set<String> TEMPLATED =
            Set.of("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "ReplicationController");
    static final Set<String> APPS_WORKLOADS = Set.of("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet");

    private final Findings findings;
    private final ImageRules images;

    PodRules(Findings findings, ImageRules images) {
        this.findings = findings;
        this.images = images;
    }

    static Node podTemplate(ManifestObject m) {
        String kind = m.kind();
        if (TEMPLATED.contains(kind)) {
            return at(m.root(), "spec", "template");
        }
        if ("CronJob".equals(kind)) {
            return at(m.root(), "spec", "jobTemplate", "spec", "template");
        }
        return "Pod".equals(kind) ? m.root() : null;
    }

    void check(ManifestObject m, Node spec, String kind) {
        String base = "Pod".equals(kind)
                ? "spec"
                : "CronJob".equals(kind) ? "spec.jobTemplate.spec.template.spec" : "spec.template.spec";
        if (!(spec instanceof MappingNode)) {
            if (spec == null) {
                findings.error(m, m.root(), "has no " + base + ": give the pod's containers there");
            }
            return;
        }
        String restart = ManifestObject.scalar(spec, "restartPolicy");
        if (restart != null && APPS_WORKLOADS.contains(kind) && !restart.equals("Always")) {
            findings.error(
                    m,
                    ManifestObject.child(spec, "restartPolicy"),
                    "has " + base + ".restartPolicy " + restart + ": a " + kind
                            + "'s pods must have Always (the default): remove it");
        }
        Node containers = ManifestObject.child(spec, "containers");
        List<Node> items = items(containers);
        if (items.isEmpty()) {
            findings.error(
                    m,
                    containers == null ? spec : containers,
                    "has no containers in " + base + ".containers: give at least " + "one (- name: ..., image: ...)");
        }
        for (int i = 0; i < items.size(); i++) {
            container(m, items.get(i), base + ".containers[" + i + "]", false);
        }
        List<Node> init = items(ManifestObject.child(spec, "initContainers"));
        for (int i = 0; i < init.size(); i++) {
            container(m, init.get(i), base + ".initContainers[" + i + "]", true);
        }
    }

    private void container(ManifestObject m, Node c, String path, boolean init) {
        String name = ManifestObject.scalar(c, "name");
        String label = path + (name == null ? "" : " (" + name + ")");
        if (name == null) {
            findings.error(m, c, "has no name in " + path + ": give each container a name");
        }
        String image = ManifestObject.scalar(c, "image");
        if (image == null) {
            findings.error(m, c, "has no image in " + label + ": give the image to run");
        } else if (!image.contains("$")) {
            images.check(m, ManifestObject.child(c, "image"), label, image);
        }
        Node restart = ManifestObject.child(c, "restartPolicy");
        if (restart != null && !init) {
            findings.error(
                    m,
                    restart,
                    "has restartPolicy inside " + label + ": a container may have one only as an init "
                            + "container (a sidecar); the pod's restartPolicy goes in the pod spec, beside containers (and "
                            + "Always, the default, is the only one a " + m.kind()
                            + " allows): remove it from the container");
        }
        Node resources = ManifestObject.child(c, "resources");
        boolean requests = ManifestObject.child(resources, "requests") instanceof MappingNode;
        boolean limits = ManifestObject.child(resources, "limits") instanceof MappingNode;
        if (!requests || !limits) {
            findings.warning(
                    m,
                    resources == null ? c : resources,
                    "sets no resources."
                            + (!requests && !limits ? "requests and " + "limits" : !requests ? "requests" : "limits")
                            + " in " + label + ": without requests the scheduler "
                            + "places it blindly, without limits one pod can starve the node; set both for cpu and memory");
        }
        for (Node p : items(ManifestObject.child(c, "ports"))) {
            Integer port = integer(ManifestObject.child(p, "containerPort"));
            if (port != null && (port < 1 || port > 65535)) {
                findings.error(
                        m,
                        ManifestObject.child(p, "containerPort"),
                        "has containerPort " + port + " in " + label + ": a port is 1-65535");
            }
        }
    }
}
