package io.github.guli.engine.provision;

import static io.github.guli.engine.provision.KubeMaps.env;
import static io.github.guli.engine.provision.KubeMaps.list;
import static io.github.guli.engine.provision.KubeMaps.map;
import static io.github.guli.engine.provision.KubeMaps.mount;
import static io.github.guli.engine.provision.KubeMaps.port;
import static io.github.guli.engine.provision.KubeMaps.resources;

import java.util.List;
import java.util.Map;

/** Nacos: one standalone server, its embedded storage on a PVC. */
record NacosObjects(ProvisionSettings settings, Workloads workloads) implements Middleware {

    @Override
    public String file() {
        return "nacos.yaml";
    }

    @Override
    public List<Map<String, Object>> objects() {
        Map<String, Object> container = map(
                "name",
                "nacos",
                "image",
                settings.get("nacos.image"),
                "env",
                list(env("MODE", "standalone")),
                "ports",
                list(port("http", 8848)),
                "readinessProbe",
                map("tcpSocket", map("port", 8848), "periodSeconds", 10),
                "resources",
                resources(settings.get("nacos.cpu"), settings.get("nacos.memory")),
                "volumeMounts",
                list(mount("data", "/home/nacos/data")));
        return List.of(
                workloads.headless("nacos-service", "nacos", map("app", "nacos"), "http", 8848),
                workloads.statefulSet(
                        "nacos",
                        "nacos-service",
                        1,
                        container,
                        list(),
                        null,
                        list(workloads.claim("data", settings.get("nacos.storage")))));
    }
}
