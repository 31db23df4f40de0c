package io.github.guli.engine.provision;

import static io.github.guli.engine.provision.KubeMaps.map;
import static io.github.guli.engine.provision.KubeMaps.object;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The middleware of the course's "有状态服务" chapter as Kubernetes objects: for MySQL master/slaves, Redis Cluster,
 * Elasticsearch, RabbitMQ and Nacos a StatefulSet with its configuration in a ConfigMap, its data on PVCs
 * (volumeClaimTemplates), a headless Service for stable DNS names and resource limits; Zipkin and Sentinel (no
 * state) as Deployments; a formation Job per clustered middleware running the script from resources/; the
 * application's production settings as a ConfigMap; the ShardingSphere-Proxy configuration as a Secret. Each
 * middleware's objects come from its own class; this one puts them in apply order.
 */
public final class Provision {
    /** The formation scripts, shipped in the engine jar from the shared library's resources/. */
    public static final List<String> SCRIPTS =
            List.of("mysql-replication.sh", "redis-cluster.sh", "elasticsearch-cluster.sh", "rabbitmq-cluster.sh");

    static final String SECRETS_FILE = "02-secrets.yaml";

    private final ProvisionSettings settings;
    private final ProvisionSecrets secrets;

    public Provision(ProvisionSettings settings, ProvisionSecrets secrets) {
        this.settings = settings;
        this.secrets = secrets;
    }

    public ProvisionResult generate() {
        Workloads w = Workloads.of(settings);
        List<Middleware> middleware = List.of(
                new MysqlObjects(settings, w, secrets),
                new RedisObjects(settings, w, secrets),
                new ElasticsearchObjects(settings, w),
                new RabbitmqObjects(settings, w, secrets),
                new NacosObjects(settings, w),
                StatelessObjects.zipkin(settings, w),
                StatelessObjects.sentinel(settings, w),
                new ShardingSphereObjects(settings, w, secrets),
                new ApplicationObjects(settings, w));
        List<MiddlewareObject> docs = new ArrayList<>();
        docs.add(
                MiddlewareObject.of("00-namespace.yaml", object("v1", "Namespace", map("name", w.namespace())), false));
        Map<String, Object> scripts = new LinkedHashMap<>();
        for (String name : SCRIPTS) {
            scripts.put(name, script(name));
        }
        docs.add(MiddlewareObject.of(
                "01-formation-scripts.yaml",
                w.configMap(Workloads.SCRIPTS_CONFIGMAP, "guli-bootstrap", scripts),
                false));
        // every Secret first, so that no pod waits for one; one file, which is never written to disk
        for (Middleware m : middleware) {
            m.secrets().forEach(secret -> docs.add(MiddlewareObject.of(SECRETS_FILE, secret, true)));
        }
        for (Middleware m : middleware) {
            m.objects().forEach(o -> docs.add(MiddlewareObject.of(m.file(), o, false)));
        }
        return new ProvisionResult(List.copyOf(docs));
    }

    public static String script(String name) {
        return Template.resource("/io/github/guli/bootstrap/" + name, "the formation script " + name);
    }
}
