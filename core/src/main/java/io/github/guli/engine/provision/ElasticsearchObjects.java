package io.github.guli.engine.provision;

import static io.github.guli.engine.provision.KubeMaps.configMapVolume;
import static io.github.guli.engine.provision.KubeMaps.env;
import static io.github.guli.engine.provision.KubeMaps.list;
import static io.github.guli.engine.provision.KubeMaps.map;
import static io.github.guli.engine.provision.KubeMaps.meta;
import static io.github.guli.engine.provision.KubeMaps.mount;
import static io.github.guli.engine.provision.KubeMaps.object;
import static io.github.guli.engine.provision.KubeMaps.port;
import static io.github.guli.engine.provision.KubeMaps.resources;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Elasticsearch: master-eligible and data nodes as two StatefulSets, and the Job that checks the cluster. */
record ElasticsearchObjects(ProvisionSettings settings, Workloads workloads) implements Middleware {
    private static final Template CONFIG = Template.load("elasticsearch/elasticsearch.yml");

    @Override
    public String file() {
        return "elasticsearch.yaml";
    }

    @Override
    public List<Map<String, Object>> objects() {
        int masters = settings.number("elasticsearch.masters");
        String ns = workloads.namespace();
        return List.of(
                workloads.configMap(
                        "es-config", "elasticsearch", map("master.yml", config(true), "data.yml", config(false))),
                workloads.headless(
                        "es-master", "elasticsearch", map("app", "elasticsearch", "role", "master"), "transport", 9300),
                workloads.headless(
                        "es-data",
                        "elasticsearch",
                        map("app", "elasticsearch", "role", "data"),
                        "http",
                        9200,
                        "transport",
                        9300),
                object(
                        "v1",
                        "Service",
                        meta("elasticsearch", ns, "elasticsearch"),
                        "spec",
                        map(
                                "selector", map("app", "elasticsearch", "role", "data"),
                                "ports", list(map("name", "http", "port", 9200, "targetPort", 9200)))),
                statefulSet("es-master", "master", masters, "1Gi"),
                statefulSet(
                        "es-data",
                        "data",
                        settings.number("elasticsearch.dataNodes"),
                        settings.get("elasticsearch.storage")),
                workloads.formationJob(
                        "elasticsearch-cluster",
                        settings.get("elasticsearch.image"),
                        "elasticsearch-cluster.sh",
                        null,
                        null,
                        list(
                                env("ES_URL", "http://elasticsearch." + ns + ":9200"),
                                env("ES_MASTER_NODES", masters),
                                env("ES_DATA_NODES", settings.get("elasticsearch.dataNodes")),
                                env("ES_WAIT_SECONDS", 600))));
    }

    /**
     * elasticsearch.yml of a master-eligible or a data node. Every master-eligible node names all of them as initial
     * masters: the course named one IP, which cannot bootstrap a quorum of three.
     */
    private String config(boolean master) {
        int masters = settings.number("elasticsearch.masters");
        String initial =
                IntStream.range(0, masters).mapToObj(i -> "es-master-" + i).collect(Collectors.joining(", "));
        return CONFIG.fill(Map.of(
                "clusterName",
                settings.get("elasticsearch.clusterName"),
                "seedHosts",
                workloads.hosts("es-master", masters, "es-master", ":9300", ", "),
                "master",
                master,
                "data",
                !master,
                "initialMasterNodes",
                master ? List.of(initial) : List.of()));
    }

    private Map<String, Object> statefulSet(String name, String role, int replicas, String storage) {
        String heap = settings.get("elasticsearch.heap");
        Map<String, Object> container = map(
                "name",
                "elasticsearch",
                "image",
                settings.get("elasticsearch.image"),
                "env",
                list(env("ES_JAVA_OPTS", "-Xms" + heap + " -Xmx" + heap)),
                "ports",
                list(port("http", 9200), port("transport", 9300)),
                "readinessProbe",
                map("tcpSocket", map("port", 9300), "periodSeconds", 10),
                "resources",
                resources(settings.get("elasticsearch.cpu"), settings.get("elasticsearch.memory")),
                "volumeMounts",
                list(
                        mount("data", "/usr/share/elasticsearch/data"),
                        mount("config", "/usr/share/elasticsearch/config/elasticsearch.yml", role + ".yml")));
        // Elasticsearch refuses to start below vm.max_map_count 262144 (the course set it on the host by hand)
        Map<String, Object> sysctl = map(
                "name",
                "max-map-count",
                "image",
                "busybox:1.36",
                "command",
                list("sysctl", "-w", "vm.max_map_count=262144"),
                "securityContext",
                map("privileged", true));
        Map<String, Object> set = workloads.statefulSet(
                name,
                name,
                replicas,
                container,
                list(configMapVolume("config", "es-config")),
                list(sysctl),
                list(workloads.claim("data", storage)));
        Map<String, Object> template = child(child(set, "spec"), "template");
        child(child(template, "metadata"), "labels").put("role", role);
        child(child(child(set, "spec"), "selector"), "matchLabels").put("role", role);
        child(template, "spec").put("securityContext", map("fsGroup", 1000));
        return set;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.get(key);
    }
}
