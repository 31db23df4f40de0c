package io.github.guli.engine.provision;

import static io.github.guli.engine.provision.KubeMaps.list;
import static io.github.guli.engine.provision.KubeMaps.map;
import static io.github.guli.engine.provision.KubeMaps.port;
import static io.github.guli.engine.provision.KubeMaps.resources;

import java.util.List;
import java.util.Map;

/**
 * A console that keeps no state (Zipkin, the Sentinel dashboard): a Deployment and a Service named name-service. Its
 * settings are name.image, name.cpu and name.memory.
 */
record StatelessObjects(
        ProvisionSettings settings, Workloads workloads, String name, int servicePort, int containerPort)
        implements Middleware {

    static StatelessObjects zipkin(ProvisionSettings settings, Workloads workloads) {
        return new StatelessObjects(settings, workloads, "zipkin", 9411, 9411);
    }

    /** The dashboard's Service listens on 8080, what the applications' sentinel settings name. */
    static StatelessObjects sentinel(ProvisionSettings settings, Workloads workloads) {
        return new StatelessObjects(settings, workloads, "sentinel", 8080, settings.number("sentinel.containerPort"));
    }

    @Override
    public String file() {
        return name + ".yaml";
    }

    @Override
    public List<Map<String, Object>> objects() {
        return List.of(
                workloads.service(name + "-service", name, servicePort, containerPort),
                workloads.deployment(
                        name,
                        map(
                                "name",
                                name,
                                "image",
                                settings.get(name + ".image"),
                                "ports",
                                list(port("http", containerPort)),
                                "readinessProbe",
                                map("tcpSocket", map("port", containerPort), "periodSeconds", 10),
                                "resources",
                                resources(settings.get(name + ".cpu"), settings.get(name + ".memory")))));
    }
}
