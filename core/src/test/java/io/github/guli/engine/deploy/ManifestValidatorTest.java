package io.github.guli.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.testsupport.CourseEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Validation against the schema derived from the fabric8 model, on the course's manifest and on typical mistakes. */
class ManifestValidatorTest {
    static final Path FIXTURES = Path.of("../test/fixtures/k8s");
    static final String FILE = "gulimall-auth-server/deploy/deploy.yaml";
    static final Map<String, String> COURSE_ENV = CourseEnv.OF_THE_JENKINSFILE;

    @TempDir
    Path ws;

    static List<String> check(
            Path base, List<String> files, Map<String, String> env, String namespace, boolean release) {
        ManifestLoader.Loaded loaded = ManifestLoader.load(base, files, true, env);
        List<Problem> all = new ArrayList<>(loaded.problems());
        all.addAll(new ManifestValidator(namespace, release).validate(loaded.manifests()));
        // in the order the deploy prints them
        return all.stream()
                .sorted(java.util.Comparator.comparing(Problem::file).thenComparingInt(Problem::line))
                .map(Problem::toString)
                .toList();
    }

    private List<String> check(String yaml) throws Exception {
        Files.writeString(ws.resolve("m.yaml"), yaml);
        return check(ws, List.of("m.yaml"), Map.of(), null, false);
    }

    static String deployment(String containers) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                %s""".formatted(containers.indent(8));
    }

    @Test
    void theCourseManifestHasSevenMistakesAndEachIsNamedAtItsLine() {
        assertThat(check(FIXTURES.resolve("course"), List.of(FILE), COURSE_ENV, null, false))
                .containsExactly(
                        FILE
                                + ":2: error: Deployment gulimall-auth-server has apiVersion v1, which does not serve Deployment: use "
                                + "apiVersion: apps/v1",
                        FILE
                                + ":19: error: Deployment gulimall-auth-server: spec.template.spec.containers must be a list, not a "
                                + "map: write each item as '- name: ...' (a '- ' before the item's first field, the other fields "
                                + "aligned under it)",
                        FILE + ":34: error: Deployment gulimall-auth-server has restartPolicy inside "
                                + "spec.template.spec.containers[0] (gulimall-auth-server): a container may have one only as an "
                                + "init container (a sidecar); the pod's restartPolicy goes in the pod spec, beside containers "
                                + "(and Always, the default, is the only one a Deployment allows): remove it from the container",
                        FILE
                                + ":37: error: Deployment gulimall-auth-server: 'strategy' is not a field of spec.template "
                                + "(PodTemplateSpec); it belongs under spec: move it there (check its indentation)",
                        FILE
                                + ":42: error: Deployment gulimall-auth-server: 'revisionHistoryLimit' is not a field of the top level "
                                + "of Deployment; it belongs under spec: move it there (check its indentation)",
                        FILE
                                + ":43: error: Deployment gulimall-auth-server: unknown field 'progressDeadkuneSeconds' in the top "
                                + "level of Deployment; did you mean 'progressDeadlineSeconds' (a field of spec)?",
                        FILE
                                + ":59: error: Service gulimall-auth-server has nodePort 20001, outside 30000-32767 (Kubernetes' "
                                + "default service-node-port-range): the API server refuses it; pick one in the range, or leave "
                                + "it out and one is assigned");
    }

    @Test
    void theCorrectedManifestPassesAndOnlyWarnsAboutLatestInARelease() {
        assertThat(check(FIXTURES.resolve("corrected"), List.of(FILE), COURSE_ENV, null, true))
                .isEmpty();
        Map<String, String> latest = new java.util.HashMap<>(COURSE_ENV);
        latest.put("TAG_NAME", "latest");
        assertThat(check(FIXTURES.resolve("corrected"), List.of(FILE), latest, null, false))
                .isEmpty();
        assertThat(check(FIXTURES.resolve("corrected"), List.of(FILE), latest, null, true))
                .containsExactly(FILE
                        + ":20: warning: Deployment gulimall-auth-server runs image registry.cn-hangzhou.aliyuncs.com/"
                        + "atguigumall/gulimall-auth-server:latest in a release (PROJECT_VERSION is a release version) in "
                        + "spec.template.spec.containers[0] (gulimall-auth-server): :latest is whatever was pushed last; "
                        + "deploy the release's tag, e.g. :$PROJECT_VERSION");
    }

    @Test
    void undefinedVariablesOfTheCourseManifestAreErrorsToo() {
        assertThat(check(FIXTURES.resolve("corrected"), List.of(FILE), Map.of("REGISTRY", "r"), null, false))
                .containsExactly(
                        FILE + ":20: error: $DOCKERHUB_NAMESPACE is not defined: define DOCKERHUB_NAMESPACE (a "
                                + "build parameter, an environment variable, withEnv) or write $$ for a literal $ (or turn "
                                + "enableConfigSubstitution off)",
                        FILE
                                + ":20: error: $APP_NAME is not defined: define APP_NAME (a build parameter, an environment "
                                + "variable, withEnv) or write $$ for a literal $ (or turn enableConfigSubstitution off)",
                        FILE
                                + ":20: error: $TAG_NAME is not defined: define TAG_NAME (a build parameter, an environment "
                                + "variable, withEnv) or write $$ for a literal $ (or turn enableConfigSubstitution off)");
    }

    @Test
    void wrongTypesAreNamedWithTheFix() throws Exception {
        assertThat(check(deployment("""
                - name: web
                  image: web:1.0
                  env:
                    - {name: PORT, value: 8080}
                  ports:
                    - containerPort: "8080"
                  resources:
                    limits: {memory: 500MB, cpu: 1}
                    requests: {memory: 10Mi, cpu: 10m}
                  args: --verbose
                """)))
                .containsExactly(
                        "m.yaml:13: error: Deployment web: spec.template.spec.containers[0].env[0].value must be a string, but "
                                + "8080 reads as a number: quote it (\"8080\")",
                        "m.yaml:15: error: Deployment web: spec.template.spec.containers[0].ports[0].containerPort must be an "
                                + "integer, not the string \"8080\": remove the quotes",
                        "m.yaml:17: error: Deployment web: spec.template.spec.containers[0].resources.limits.memory: '500MB' is "
                                + "not a Kubernetes quantity; did you mean 500Mi (binary) or 500M (decimal)?",
                        "m.yaml:19: error: Deployment web: spec.template.spec.containers[0].args must be a list (items starting "
                                + "with '- '), not the value '--verbose'");
    }

    @Test
    void aMisspeltFieldGetsTheNearestNameAndAMisplacedOneWhereItBelongs() throws Exception {
        assertThat(check(deployment("""
                - name: web
                  imagePullPolicy: Always
                  imgae: web:1.0
                  replicas: 2
                """)))
                .contains(
                        "m.yaml:12: error: Deployment web: unknown field 'imgae' in spec.template.spec.containers[0] (Container); "
                                + "did you mean 'image'?",
                        "m.yaml:13: error: Deployment web: 'replicas' is not a field of spec.template.spec.containers[0] "
                                + "(Container); it belongs under spec: move it there (check its indentation)",
                        "m.yaml:10: error: Deployment web has no image in spec.template.spec.containers[0] (web): give the image "
                                + "to run");
    }

    @Test
    void problemsInEveryDocumentOfEveryFileAreReportedAtOnce() throws Exception {
        Files.writeString(ws.resolve("a.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: one}
                data: {a: b}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: two}
                dta: {a: b}
                ---
                """);
        Files.writeString(ws.resolve("b.yaml"), """
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  ports: [{port: 80, nodePort: 30080}]
                  selector: {app: web}
                """);
        Files.writeString(
                ws.resolve("c.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n   bad: indent\n");
        assertThat(check(ws, List.of("a.yaml", "b.yaml", "c.yaml"), Map.of(), null, false))
                .containsExactly(
                        "a.yaml:9: error: ConfigMap two: unknown field 'dta' in the top level of ConfigMap; did you mean 'data'?",
                        "b.yaml:5: error: Service web sets nodePort 30080 but its type is ClusterIP (the default): set "
                                + "'type: NodePort' or remove the nodePort",
                        "c.yaml:5: error: is not valid YAML: mapping values are not allowed here (check the indentation and the "
                                + "':' and '- ' of this line and the one above)");
    }

    @Test
    void selectorsMustMatchTheTemplateAndServicesSomeWorkload() throws Exception {
        assertThat(check("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: webapp}}
                    spec:
                      containers:
                        - name: web
                          image: web:1.0
                          resources: {requests: {cpu: 1m}, limits: {cpu: 1}}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  selector: {app: web}
                  ports: [{port: 80}]
                """))
                .containsExactly(
                        "m.yaml:5: error: Deployment web has a selector (app=web) that does not match its template's labels "
                                + "(app=webapp): Kubernetes refuses it; make them equal",
                        "m.yaml:18: warning: Service web selects pods with app=web but no workload in these manifests has pods "
                                + "with those labels: the Service would have no endpoints");
    }

    @Test
    void warnsAboutMissingResourcesAndImagesWithoutATag() throws Exception {
        assertThat(check(deployment("""
                - name: web
                  image: nginx
                """)))
                .containsExactly(
                        "m.yaml:10: warning: Deployment web sets no resources.requests and limits in "
                                + "spec.template.spec.containers[0] (web): without requests the scheduler places it blindly, "
                                + "without limits one pod can starve the node; set both for cpu and memory",
                        "m.yaml:11: warning: Deployment web runs image nginx without a tag in spec.template.spec.containers[0] "
                                + "(web): that means :latest, which changes under you and cannot be rolled back to; give the "
                                + "tag that was built and pushed");
    }

    @Test
    void kindsAndApiVersionsComeFromTheModel() throws Exception {
        assertThat(check("""
                apiVersion: extensions/v1beta1
                kind: Ingress
                metadata: {name: a}
                ---
                apiVersion: apps/v1
                kind: Deploymnet
                metadata: {name: b}
                ---
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata: {name: c}
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: gulimall_hpa, namespace: other}
                spec: {maxReplicas: 3, scaleTargetRef: {kind: Deployment, name: b}}
                ---
                kind: ConfigMap
                metadata: {name: d}
                """))
                .containsExactly(
                        "m.yaml:1: error: Ingress a uses apiVersion extensions/v1beta1, which Kubernetes 1.22 and later no longer "
                                + "serve: use apiVersion: networking.k8s.io/v1 (check the fields that changed)",
                        "m.yaml:6: error: Deploymnet b has an unknown kind 'Deploymnet' for apiVersion apps/v1; did you mean "
                                + "'Deployment'?",
                        "m.yaml:10: warning: ServiceMonitor c (monitoring.coreos.com/v1) is not a built-in kind: it is applied as "
                                + "it is, its fields are not checked here (a custom resource needs its CRD in the cluster)",
                        "m.yaml:15: error: HorizontalPodAutoscaler gulimall_hpa has an invalid name 'gulimall_hpa': use "
                                + "lower-case letters, digits and '-' (and '.'); '_' is not allowed, use '-'",
                        "m.yaml:18: error: document has no apiVersion: every object starts with apiVersion and kind, e.g. "
                                + "'apiVersion: apps/v1' and 'kind: Deployment'");
    }

    @Test
    void duplicatesAndANamespaceThatContradictsTheStepAreErrors() throws Exception {
        Files.writeString(ws.resolve("m.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: cfg, namespace: gulimall}
                data: {a: b, a: c}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: cfg, namespace: gulimall}
                """);
        assertThat(check(ws, List.of("m.yaml"), Map.of(), "gulimall-test", false))
                .containsExactly(
                        "m.yaml:3: error: ConfigMap cfg names namespace gulimall but the deploy targets namespace gulimall-test: "
                                + "remove metadata.namespace or the namespace parameter",
                        "m.yaml:4: error: ConfigMap cfg: data.a is given twice in the same map: the first one would be lost; keep one",
                        "m.yaml:6: error: ConfigMap cfg is defined twice (first at m.yaml:1): keep one",
                        "m.yaml:8: error: ConfigMap cfg names namespace gulimall but the deploy targets namespace gulimall-test: "
                                + "remove metadata.namespace or the namespace parameter");
    }

    /**
     * 16 levels of two aliases each, in a schema the check walks recursively (a CRD's JSON schema): under 1.5 KB
     * that expands to 2^16 schemas, each with an unknown field.
     */
    static String billionLaughs() {
        StringBuilder y = new StringBuilder("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
                + "metadata: {name: lols.example.com}\nx:\n  l0: &l0 {type: object, lol: 1}\n");
        for (int i = 1; i <= 16; i++) {
            y.append("  l")
                    .append(i)
                    .append(": &l")
                    .append(i)
                    .append(" {properties: {a: *l")
                    .append(i - 1)
                    .append(", b: *l")
                    .append(i - 1)
                    .append("}}\n");
        }
        y.append("spec:\n  group: example.com\n  names: {kind: Lol, plural: lols}\n  scope: Namespaced\n"
                + "  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: *l16}}]\n");
        return y.toString();
    }

    @Test
    void aliasesOfMapsAndListsAreRefusedFastWithOneProblem() throws Exception {
        String lol = billionLaughs();
        assertThat(lol.length()).isLessThan(1500);
        long start = System.nanoTime();
        List<String> problems = check(lol);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(problems)
                .singleElement()
                .asString()
                .matches("m\\.yaml:1: error: document 1 repeats a map or a "
                        + "list with a YAML alias \\(\\*name\\) at line \\d+: aliases of maps and lists are refused \\(they can "
                        + "expand without bound or refer to themselves\\); write the fields out; nothing of this document is "
                        + "checked or applied");

        // an alias that refers to itself: no StackOverflowError
        assertThat(check("apiVersion: v1\nkind: ConfigMap\nmetadata: &m {name: loop, labels: *m}\n"))
                .singleElement()
                .asString()
                .contains("repeats a map or a list with a YAML alias");
        assertThat(check("apiVersion: v1\nkind: List\nitems: &i [*i]\n"))
                .singleElement()
                .asString()
                .contains("repeats a map or a list with a YAML alias");
        // an alias of a scalar copies one value and stays allowed
        assertThat(check("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: &n cfg}\ndata: {a: *n}\n"))
                .isEmpty();
    }

    @Test
    void aMergeKeyCannotSlipANamespacePastTheCheck() throws Exception {
        Files.writeString(
                ws.resolve("m.yaml"),
                "apiVersion: v1\nkind: ConfigMap\n"
                        + "metadata: {name: cfg, <<: {namespace: kube-system, anything: 1}}\n");
        assertThat(check(ws, List.of("m.yaml"), Map.of(), "gulimall", false))
                .containsExactly(
                        "m.yaml:1: error: "
                                + "document 1 has a YAML merge key (<<) at line 3: merge keys are refused (the fields they add would "
                                + "land unchecked, e.g. a namespace); write the fields out; nothing of this document is checked or applied");
        ManifestLoader.Loaded loaded = ManifestLoader.load(ws, List.of("m.yaml"), false, Map.of());
        assertThat(loaded.manifests()).as("nothing left to apply").isEmpty();
        // nor does a tag that constructs to something else than it reads
        assertThat(
                        check(
                                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, namespace: !!binary a3ViZS1zeXN0ZW0=}\n"))
                .singleElement()
                .asString()
                .contains("uses the YAML tag tag:yaml.org,2002:binary at line 3");
        assertThat(check("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: !!set {a, b}\n"))
                .singleElement()
                .asString()
                .contains("uses the YAML tag tag:yaml.org,2002:set");
    }

    @Test
    void deepNestingIsAProblemNotAnError() throws Exception {
        String deep = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: " + "[".repeat(5000)
                + "]".repeat(5000) + "\n";
        assertThat(check(deep)).singleElement().asString().startsWith("m.yaml:").contains("error:");
    }

    @Test
    void theDeployListsAtMostFiftyProblemsOfAFile() throws Exception {
        StringBuilder many = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n");
        for (int i = 0; i < 2000; i++) {
            many.append("unknown").append(i).append(": x\n");
        }
        Files.createDirectories(ws.resolve("deploy"));
        Files.writeString(ws.resolve("deploy/m.yaml"), many);
        Files.writeString(ws.resolve("deploy/lol.yaml"), billionLaughs());
        List<String> log = new ArrayList<>();
        DeployRequest r = new DeployRequest()
                .workspace(ws.toString())
                .configs("deploy/**")
                .substitute(false)
                .waitForRollout(false)
                .timeoutSeconds(1)
                .rollbackOnFailure(false)
                .dryRun(true);
        assertThatThrownBy(() -> new Deploy(log::add, log::add, Duration.ofMillis(10)).run(r))
                .hasMessageStartingWith("the manifests have 2001 errors (listed above): nothing was applied");
        assertThat(log.stream().filter(l -> l.startsWith("deploy/m.yaml:"))).hasSize(50 + 1);
        assertThat(log)
                .contains("deploy/m.yaml: 1950 more problems not listed (the first 50 are): fix those and run again");
        assertThat(String.join("\n", log).length()).as("bounded log").isLessThan(64 * 1024);
    }
}
