package io.github.guli.engine.deploy;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.github.guli.engine.deploy.KubeSchema.KindVersion;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Everything that can be known about the manifests before anything is applied: the kind and its apiVersion, the
 * schema (via {@link SchemaCheck}), and the rules Kubernetes applies on top of it that bite most (selectors, node
 * ports, container fields), plus warnings for what a cluster would accept but a release should not have (no
 * resources, images without a tag, {@code latest} in a release). All problems of all objects, at once.
 */
public final class ManifestValidator {
    private static final Set<String> TEMPLATED =
            Set.of("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "ReplicationController");
    private static final Set<String> APPS_WORKLOADS = Set.of("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet");
    private static final Pattern VERSION = Pattern.compile("v([0-9]+)(?:(alpha|beta)([0-9]+))?");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    static final int NODE_PORT_MIN = 30000;
    static final int NODE_PORT_MAX = 32767;

    private final KubeSchema schema = KubeSchema.get();
    private final String namespace;
    private final boolean release;
    private final List<Problem> problems = new ArrayList<>();

    /**
     * @param namespace the namespace the deploy targets when given (objects naming another one are an error), or null
     * @param release whether PROJECT_VERSION is a release version: then {@code latest} images are worth a warning
     */
    public ManifestValidator(String namespace, boolean release) {
        this.namespace = namespace;
        this.release = release;
    }

    public List<Problem> validate(List<ManifestObject> manifests) {
        Map<String, ManifestObject> seen = new HashMap<>();
        Map<ManifestObject, Map<String, String>> podLabels = new LinkedHashMap<>();
        for (ManifestObject m : manifests) {
            try {
                check(m, seen, podLabels);
            } catch (StackOverflowError e) {
                error(m, m.root(), "is nested too deeply to be checked: a manifest is a few levels deep");
            }
        }
        for (ManifestObject m : manifests) {
            if ("Service".equals(m.kind()) && schema.kinds().containsKey("Service")) {
                service(m, podLabels);
            }
        }
        return problems;
    }

    /** One object's checks; those across objects (a Service's selector) come after all. */
    private void check(
            ManifestObject m, Map<String, ManifestObject> seen, Map<ManifestObject, Map<String, String>> podLabels) {
        KindVersion kv = kindVersion(m);
        if (kv == null) {
            return;
        }
        new SchemaCheck(m, kv.type(), kv.kind(), problems).run();
        metadata(m, kv);
        String id = kv.kind() + " " + effectiveNamespace(m) + "/" + m.name();
        ManifestObject first = seen.putIfAbsent(id, m);
        if (first != null && m.name() != null) {
            error(m, m.root(), "is defined twice (first at " + first.file() + ":" + first.line() + "): keep one");
        }
        Node template = podTemplate(m);
        if (template != null) {
            podLabels.put(m, labels(at(template, "metadata", "labels")));
            podSpec(m, at(template, "spec"), kv.kind());
        }
        if (APPS_WORKLOADS.contains(kv.kind())) {
            selector(m, template);
        }
    }

    private void error(ManifestObject m, Node at, String message) {
        problems.add(Problem.error(m.file(), m.line(at), m.title() + " " + message));
    }

    private void warning(ManifestObject m, Node at, String message) {
        problems.add(Problem.warning(m.file(), m.line(at), m.title() + " " + message));
    }

    /** The schema to check the object against; reports a missing, unknown or wrong kind or apiVersion. */
    private KindVersion kindVersion(ManifestObject m) {
        String kind = m.kind();
        String apiVersion = m.apiVersion();
        if (kind == null || apiVersion == null) {
            problems.add(
                    Problem.error(
                            m.file(),
                            m.line(),
                            "document has no " + (kind == null ? "kind" : "apiVersion")
                                    + ": every object starts with apiVersion and kind, e.g. 'apiVersion: apps/v1' and 'kind: Deployment'"));
            return null;
        }
        List<KindVersion> versions = schema.kinds().get(kind);
        if (versions == null) {
            String near = SchemaCheck.closest(kind, schema.kinds().keySet());
            boolean builtInGroup = schema.kinds().values().stream()
                    .flatMap(List::stream)
                    .anyMatch(v -> group(v.apiVersion()).equals(group(apiVersion)));
            if (builtInGroup || near != null && !apiVersion.contains(".")) {
                error(
                        m,
                        ManifestObject.child(m.root(), "kind"),
                        "has an unknown kind '" + kind + "' for apiVersion " + apiVersion
                                + (near != null ? "; did you mean '" + near + "'?" : ""));
            } else {
                warning(
                        m,
                        ManifestObject.child(m.root(), "kind"),
                        "(" + apiVersion + ") is not a built-in kind: it is applied "
                                + "as it is, its fields are not checked here (a custom resource needs its CRD in the cluster)");
            }
            return null;
        }
        KindVersion best = versions.stream()
                .max(Comparator.comparing(v -> stability(v.apiVersion())))
                .orElseThrow();
        Node at = ManifestObject.child(m.root(), "apiVersion");
        KindVersion exact = versions.stream()
                .filter(v -> v.apiVersion().equals(apiVersion))
                .findFirst()
                .orElse(null);
        String removed = RemovedApis.removedIn(apiVersion, kind);
        if (exact == null) {
            error(
                    m,
                    at,
                    "has apiVersion " + apiVersion + ", which does not serve " + kind + ": use apiVersion: "
                            + best.apiVersion());
            return best; // go on with the right schema, to find the other mistakes too
        }
        if (removed != null) {
            error(
                    m,
                    at,
                    "uses apiVersion " + apiVersion + ", which Kubernetes " + removed + " and later no longer serve: "
                            + "use apiVersion: " + best.apiVersion() + " (check the fields that changed)");
            return best;
        }
        if (exact != best
                && stability(exact.apiVersion()) < stability(best.apiVersion())
                && !isStable(exact.apiVersion())
                && isStable(best.apiVersion())) {
            warning(
                    m,
                    at,
                    "uses the pre-release apiVersion " + apiVersion + "; " + best.apiVersion() + " is the stable one");
        }
        return exact;
    }

    private static String group(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    private static boolean isStable(String apiVersion) {
        Matcher v = VERSION.matcher(apiVersion.substring(apiVersion.indexOf('/') + 1));
        return v.matches() && v.group(2) == null;
    }

    /** GA above beta above alpha, then the higher number: Kubernetes' own version priority. */
    private static int stability(String apiVersion) {
        Matcher v = VERSION.matcher(apiVersion.substring(apiVersion.indexOf('/') + 1));
        if (!v.matches()) {
            return 0;
        }
        int level = v.group(2) == null ? 3 : v.group(2).equals("beta") ? 2 : 1;
        int minor = v.group(3) == null ? 0 : Integer.parseInt(v.group(3));
        return level * 1_000_000 + Integer.parseInt(v.group(1)) * 1000 + minor;
    }

    private void metadata(ManifestObject m, KindVersion kv) {
        Node meta = ManifestObject.child(m.root(), "metadata");
        String name = m.name();
        if (name == null) {
            if (meta == null || ManifestObject.scalar(meta, "generateName") == null) {
                error(m, meta == null ? m.root() : meta, "has no metadata.name: give it a name");
            }
        } else if (!name.contains("$")) {
            boolean label = "Service".equals(kv.kind()) || "Namespace".equals(kv.kind());
            Pattern rule = label ? DNS_LABEL : DNS_SUBDOMAIN;
            if (!rule.matcher(name).matches() || name.length() > (label ? 63 : 253)) {
                error(
                        m,
                        ManifestObject.child(meta, "name"),
                        "has an invalid name '" + name + "': use lower-case letters, digits "
                                + "and '-'" + (label ? ", starting with a letter, at most 63 characters" : " (and '.')")
                                + (name.contains("_") ? "; '_' is not allowed, use '-'" : ""));
            }
        }
        String ns = m.namespace();
        if (ns != null && namespace != null && !ns.equals(namespace)) {
            error(
                    m,
                    ManifestObject.child(meta, "namespace"),
                    "names namespace " + ns + " but the deploy targets namespace " + namespace
                            + ": remove metadata.namespace or the namespace parameter");
        }
        if (ns != null && !Namespaced.class.isAssignableFrom(kv.type().model())) {
            warning(m, ManifestObject.child(meta, "namespace"), "is cluster-wide: its metadata.namespace is ignored");
        }
    }

    private String effectiveNamespace(ManifestObject m) {
        return m.namespace() != null ? m.namespace() : namespace;
    }

    private static Node podTemplate(ManifestObject m) {
        String kind = m.kind();
        if (TEMPLATED.contains(kind)) {
            return at(m.root(), "spec", "template");
        }
        if ("CronJob".equals(kind)) {
            return at(m.root(), "spec", "jobTemplate", "spec", "template");
        }
        return "Pod".equals(kind) ? m.root() : null;
    }

    private void podSpec(ManifestObject m, Node spec, String kind) {
        String base = "Pod".equals(kind)
                ? "spec"
                : "CronJob".equals(kind) ? "spec.jobTemplate.spec.template.spec" : "spec.template.spec";
        if (!(spec instanceof MappingNode)) {
            if (spec == null) {
                error(m, m.root(), "has no " + base + ": give the pod's containers there");
            }
            return;
        }
        String restart = ManifestObject.scalar(spec, "restartPolicy");
        if (restart != null && APPS_WORKLOADS.contains(kind) && !restart.equals("Always")) {
            error(
                    m,
                    ManifestObject.child(spec, "restartPolicy"),
                    "has " + base + ".restartPolicy " + restart + ": a " + kind
                            + "'s pods must have Always (the default): remove it");
        }
        Node containers = ManifestObject.child(spec, "containers");
        List<Node> items = items(containers);
        if (items.isEmpty()) {
            error(
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

    /** The items of a list; a map where a list was due (already reported) counts as its one item. */
    private static List<Node> items(Node node) {
        if (node instanceof SequenceNode s) {
            return s.getValue().stream().filter(MappingNode.class::isInstance).toList();
        }
        return node instanceof MappingNode ? List.of(node) : List.of();
    }

    private void container(ManifestObject m, Node c, String path, boolean init) {
        String name = ManifestObject.scalar(c, "name");
        String label = path + (name == null ? "" : " (" + name + ")");
        if (name == null) {
            error(m, c, "has no name in " + path + ": give each container a name");
        }
        String image = ManifestObject.scalar(c, "image");
        if (image == null) {
            error(m, c, "has no image in " + label + ": give the image to run");
        } else if (!image.contains("$")) {
            image(m, ManifestObject.child(c, "image"), label, image);
        }
        Node restart = ManifestObject.child(c, "restartPolicy");
        if (restart != null && !init) {
            error(
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
            warning(
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
                error(
                        m,
                        ManifestObject.child(p, "containerPort"),
                        "has containerPort " + port + " in " + label + ": a port is 1-65535");
            }
        }
    }

    private void image(ManifestObject m, Node at, String label, String image) {
        if (image.contains("@")) {
            return; // pinned by digest
        }
        String last = image.substring(image.lastIndexOf('/') + 1);
        int colon = last.indexOf(':');
        if (colon < 0) {
            warning(
                    m,
                    at,
                    "runs image " + image + " without a tag in " + label + ": that means :latest, which "
                            + "changes under you and cannot be rolled back to; give the tag that was built and pushed");
        } else if (release && last.substring(colon + 1).equals("latest")) {
            warning(
                    m,
                    at,
                    "runs image " + image + " in a release (PROJECT_VERSION is a release version) in " + label
                            + ": :latest is whatever was pushed last; deploy the release's tag, e.g. :$PROJECT_VERSION");
        }
    }

    private void selector(ManifestObject m, Node template) {
        Node selector = at(m.root(), "spec", "selector");
        if (selector == null) {
            error(
                    m,
                    ManifestObject.child(m.root(), "spec") == null ? m.root() : ManifestObject.child(m.root(), "spec"),
                    "has no spec.selector: apps/v1 requires one; add 'selector: matchLabels:' with the template's labels");
            return;
        }
        Map<String, String> labels = labels(at(template, "metadata", "labels"));
        if (labels.isEmpty()) {
            error(
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
            error(m, selector, "has an empty spec.selector: give matchLabels with the template's labels");
        } else if (!mismatches.isEmpty()) {
            error(
                    m,
                    selector,
                    "has a selector (" + String.join(", ", mismatches) + ") that does not match its template's "
                            + "labels (" + format(labels) + "): Kubernetes refuses it; make them equal");
        }
    }

    private void service(ManifestObject m, Map<ManifestObject, Map<String, String>> podLabels) {
        Node spec = ManifestObject.child(m.root(), "spec");
        String type = ManifestObject.scalar(spec, "type");
        boolean exposesNodePorts = "NodePort".equals(type) || "LoadBalancer".equals(type);
        for (Node p : items(ManifestObject.child(spec, "ports"))) {
            Node np = ManifestObject.child(p, "nodePort");
            Integer nodePort = integer(np);
            if (nodePort != null && nodePort != 0) {
                if (!exposesNodePorts) {
                    error(
                            m,
                            np,
                            "sets nodePort " + nodePort + " but its type is "
                                    + (type == null ? "ClusterIP (the default)" : type)
                                    + ": set 'type: NodePort' or remove the nodePort");
                } else if (nodePort < NODE_PORT_MIN || nodePort > NODE_PORT_MAX) {
                    error(
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
                error(m, p, "has a port without 'port': give the port the Service listens on");
            } else if (port != null && (port < 1 || port > 65535)) {
                error(m, portNode, "has port " + port + ": a port is 1-65535");
            }
        }
        Map<String, String> selector = labels(ManifestObject.child(spec, "selector"));
        if (selector.isEmpty() || podLabels.isEmpty()) {
            return; // no selector (endpoints managed elsewhere), or no workload here to compare with
        }
        String ns = effectiveNamespace(m);
        boolean anyInNamespace = false;
        for (Map.Entry<ManifestObject, Map<String, String>> w : podLabels.entrySet()) {
            if (java.util.Objects.equals(effectiveNamespace(w.getKey()), ns)) {
                anyInNamespace = true;
                if (w.getValue().entrySet().containsAll(selector.entrySet())) {
                    return;
                }
            }
        }
        if (anyInNamespace) {
            warning(
                    m,
                    ManifestObject.child(spec, "selector"),
                    "selects pods with " + format(selector) + " but no workload in "
                            + "these manifests has pods with those labels: the Service would have no endpoints");
        }
    }

    private static Node at(Node node, String... keys) {
        Node n = node;
        for (String k : keys) {
            n = ManifestObject.child(n, k);
            if (n == null) {
                return null;
            }
        }
        return n;
    }

    private static Map<String, String> labels(Node node) {
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

    private static List<String> scalars(Node node) {
        if (node instanceof SequenceNode s) {
            return s.getValue().stream()
                    .filter(ScalarNode.class::isInstance)
                    .map(n -> ((ScalarNode) n).getValue())
                    .toList();
        }
        return List.of();
    }

    private static Integer integer(Node node) {
        if (node instanceof ScalarNode s && s.getValue().matches("-?[0-9]+")) {
            try {
                return Integer.valueOf(s.getValue());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static String format(Map<String, String> labels) {
        StringBuilder s = new StringBuilder();
        labels.forEach((k, v) ->
                s.append(s.length() == 0 ? "" : ", ").append(k).append('=').append(v));
        return s.toString();
    }
}
