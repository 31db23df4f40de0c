package io.github.guli.engine.provision;

import static io.github.guli.engine.provision.KubeMaps.map;

import java.util.List;
import java.util.Map;

/** The application's production settings (application-prod.properties), with the names provisioned beside. */
record ApplicationObjects(ProvisionSettings settings, Workloads workloads) implements Middleware {
    private static final Template PROPERTIES = Template.load("gulimall/application-prod.properties");

    @Override
    public String file() {
        return "gulimall-prod-config.yaml";
    }

    @Override
    public List<Map<String, Object>> objects() {
        return List.of(workloads.configMap(
                "gulimall-prod-config", "gulimall", map("application-prod.properties", applicationProperties())));
    }

    /** The course's production settings, naming the Services of the other middleware. */
    private String applicationProperties() {
        return PROPERTIES.fill(Map.of(
                "namespace",
                workloads.namespace(),
                "redisNodes",
                workloads.hosts("redis", settings.number("redis.nodes"), "redis", ":6379", ","),
                "rabbitmqNodes",
                workloads.hosts("rabbitmq", settings.number("rabbitmq.nodes"), "rabbitmq", ":5672", ",")));
    }
}
