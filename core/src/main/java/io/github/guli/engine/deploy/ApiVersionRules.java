package io.github.guli.engine.deploy;

import io.github.guli.engine.deploy.KubeSchema.KindVersion;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/** Rules on kind and apiVersion: known, served, not removed, stable where a stable one exists. */
final class ApiVersionRules {
    private static final Pattern VERSION = Pattern.compile("v([0-9]+)(?:(alpha|beta)([0-9]+))?");

    private final KubeSchema schema;
    private final Findings findings;

    ApiVersionRules(KubeSchema schema, Findings findings) {
        this.schema = schema;
        this.findings = findings;
    }

    /** The schema to check the object against; reports a missing, unknown or wrong kind or apiVersion. */
    KindVersion kindVersion(ManifestObject m) {
        String kind = m.kind();
        String apiVersion = m.apiVersion();
        if (kind == null || apiVersion == null) {
            findings.list()
                    .add(
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
                findings.error(
                        m,
                        ManifestObject.child(m.root(), "kind"),
                        "has an unknown kind '" + kind + "' for apiVersion " + apiVersion
                                + (near != null ? "; did you mean '" + near + "'?" : ""));
            } else {
                findings.warning(
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
            findings.error(
                    m,
                    at,
                    "has apiVersion " + apiVersion + ", which does not serve " + kind + ": use apiVersion: "
                            + best.apiVersion());
            return best; // go on with the right schema, to find the other mistakes too
        }
        if (removed != null) {
            findings.error(
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
            findings.warning(
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
}
