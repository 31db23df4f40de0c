package io.github.guli.engine.provision;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builders of Kubernetes objects as ordered maps (the order a reader expects: apiVersion, kind, ...). */
final class KubeMaps {
    private KubeMaps() {}

    /** map("a", 1, "b", 2); null values are left out, so optional fields need no if. */
    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                m.put((String) kv[i], kv[i + 1]);
            }
        }
        return m;
    }

    static List<Object> list(Object... items) {
        return new ArrayList<>(Arrays.asList(items));
    }

    static Map<String, Object> meta(String name, String namespace, String app) {
        return map(
                "name",
                name,
                "namespace",
                namespace,
                "labels",
                map("app", app, "app.kubernetes.io/managed-by", "guli-pipeline"));
    }

    static Map<String, Object> object(String apiVersion, String kind, Map<String, Object> metadata, Object... rest) {
        Map<String, Object> m = map("apiVersion", apiVersion, "kind", kind, "metadata", metadata);
        m.putAll(map(rest));
        return m;
    }

    static Map<String, Object> resources(String cpu, String memory) {
        // requests: all the memory (no overcommit for data stores), a tenth of the CPU
        return map("limits", map("cpu", cpu, "memory", memory), "requests", map("cpu", tenth(cpu), "memory", memory));
    }

    private static String tenth(String cpu) {
        double cores = cpu.endsWith("m")
                ? Double.parseDouble(cpu.substring(0, cpu.length() - 1)) / 1000
                : Double.parseDouble(cpu);
        return Math.max(10, Math.round(cores * 100)) + "m";
    }

    static Map<String, Object> port(String name, int port) {
        return map("name", name, "containerPort", port);
    }

    /** A headless Service: stable DNS names pod-N.name.namespace for a StatefulSet. */
    static Map<String, Object> headless(
            String name, String ns, String app, Map<String, Object> selector, Object... namePort) {
        List<Object> ports = new ArrayList<>();
        for (int i = 0; i < namePort.length; i += 2) {
            ports.add(map("name", namePort[i], "port", namePort[i + 1], "targetPort", namePort[i + 1]));
        }
        return object(
                "v1",
                "Service",
                meta(name, ns, app),
                "spec",
                map("clusterIP", "None", "publishNotReadyAddresses", true, "selector", selector, "ports", ports));
    }

    static Map<String, Object> configMapVolume(String name, String configMap) {
        return map("name", name, "configMap", map("name", configMap));
    }

    static Map<String, Object> secretVolume(String name, String secret) {
        return map("name", name, "secret", map("secretName", secret, "defaultMode", 0400));
    }

    static Map<String, Object> mount(String name, String path) {
        return map("name", name, "mountPath", path);
    }

    static Map<String, Object> mount(String name, String path, String subPath) {
        return map("name", name, "mountPath", path, "subPath", subPath);
    }

    static Map<String, Object> env(String name, Object value) {
        return map("name", name, "value", String.valueOf(value));
    }

    static Map<String, Object> claim(String name, String size, String storageClass) {
        return map(
                "metadata",
                map("name", name),
                "spec",
                map(
                        "accessModes",
                        list("ReadWriteOnce"),
                        "storageClassName",
                        storageClass.isEmpty() ? null : storageClass,
                        "resources",
                        map("requests", map("storage", size))));
    }
}
