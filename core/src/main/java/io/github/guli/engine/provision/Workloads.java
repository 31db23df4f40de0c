package io.github.guli.engine.provision;

import static io.github.guli.engine.provision.KubeMaps.configMapVolume;
import static io.github.guli.engine.provision.KubeMaps.list;
import static io.github.guli.engine.provision.KubeMaps.map;
import static io.github.guli.engine.provision.KubeMaps.meta;
import static io.github.guli.engine.provision.KubeMaps.mount;
import static io.github.guli.engine.provision.KubeMaps.object;
import static io.github.guli.engine.provision.KubeMaps.resources;
import static io.github.guli.engine.provision.KubeMaps.secretVolume;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The shapes the middleware share, in the namespace they are provisioned to: ConfigMap, Secret, StatefulSet with
 * its PVCs, Deployment with its Service, and the formation Job.
 */
record Workloads(String namespace, String storageClass) {
    static final String SCRIPTS_CONFIGMAP = "guli-bootstrap-scripts";

    static Workloads of(ProvisionSettings s) {
        return new Workloads(s.get("namespace"), s.get("storageClass"));
    }

    Map<String, Object> configMap(String name, String app, Map<String, Object> data) {
        return object("v1", "ConfigMap", meta(name, namespace, app), "data", data);
    }

    /** A Secret; absent values (a dry run without credentials) stay as keys, printed redacted like the others. */
    Map<String, Object> secret(String name, String app, String... keyValues) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            data.put(keyValues[i], keyValues[i + 1]);
        }
        return object("v1", "Secret", meta(name, namespace, app), "type", "Opaque", "stringData", data);
    }

    /** A PVC template of the given size in the settings' StorageClass. */
    Map<String, Object> claim(String name, String size) {
        return KubeMaps.claim(name, size, storageClass);
    }

    /** Host names pod-i.service.namespace + suffix, joined. */
    String hosts(String set, int count, String service, String suffix, String separator) {
        return IntStream.range(0, count)
                .mapToObj(i -> set + "-" + i + "." + service + "." + namespace + suffix)
                .collect(Collectors.joining(separator));
    }

    Map<String, Object> headless(String name, String app, Map<String, Object> selector, Object... namePort) {
        return KubeMaps.headless(name, namespace, app, selector, namePort);
    }

    Map<String, Object> statefulSet(
            String name,
            String service,
            int replicas,
            Map<String, Object> container,
            List<Object> volumes,
            List<Object> initContainers,
            List<Object> claims) {
        String app = name.startsWith("es-") ? "elasticsearch" : name;
        Map<String, Object> podSpec = map(
                "initContainers",
                initContainers,
                "containers",
                list(container),
                "volumes",
                volumes.isEmpty() ? null : volumes);
        return object(
                "apps/v1",
                "StatefulSet",
                meta(name, namespace, app),
                "spec",
                map(
                        "serviceName",
                        service,
                        "replicas",
                        replicas,
                        // start all pods at once: the formation Job, not the start order, makes the cluster
                        "podManagementPolicy",
                        "Parallel",
                        "selector",
                        map("matchLabels", map("app", app)),
                        "template",
                        map("metadata", map("labels", map("app", app)), "spec", podSpec),
                        "volumeClaimTemplates",
                        claims));
    }

    Map<String, Object> deployment(String name, Map<String, Object> container) {
        return object(
                "apps/v1",
                "Deployment",
                meta(name, namespace, name),
                "spec",
                map(
                        "replicas", 1,
                        "selector", map("matchLabels", map("app", name)),
                        "template",
                                map(
                                        "metadata",
                                        map("labels", map("app", name)),
                                        "spec",
                                        map("containers", list(container)))));
    }

    /** A Service with one port named http. */
    Map<String, Object> service(String name, String app, int port, int target) {
        return object(
                "v1",
                "Service",
                meta(name, namespace, app),
                "spec",
                map(
                        "selector",
                        map("app", app),
                        "ports",
                        list(map("name", "http", "port", port, "targetPort", target))));
    }

    /** A formation Job: the script from the scripts ConfigMap, secrets as files, retried until the pods are up. */
    Map<String, Object> formationJob(
            String name, String image, String script, String secret, String secretPath, List<Object> env) {
        List<Object> mounts = list(mount("scripts", "/scripts"));
        List<Object> volumes = list(configMapVolume("scripts", SCRIPTS_CONFIGMAP));
        if (secret != null) {
            mounts.add(mount("secret", secretPath));
            volumes.add(secretVolume("secret", secret));
        }
        Map<String, Object> container = map(
                "name",
                "formation",
                "image",
                image,
                "command",
                list("bash", "/scripts/" + script),
                "env",
                env,
                "resources",
                resources("500m", "256Mi"),
                "volumeMounts",
                mounts);
        return object(
                "batch/v1",
                "Job",
                meta(name, namespace, name),
                "spec",
                map(
                        "backoffLimit",
                        6,
                        "template",
                        map(
                                "metadata",
                                map("labels", map("app", name)),
                                "spec",
                                map("restartPolicy", "OnFailure", "containers", list(container), "volumes", volumes))));
    }
}
