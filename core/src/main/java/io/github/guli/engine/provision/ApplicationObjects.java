package io.github.guli.engine.provision;

import static io.github.guli.engine.provision.KubeMaps.map;

import java.util.List;
import java.util.Map;

/** The application's production settings (application-prod.properties), with the names provisioned beside. */
record ApplicationObjects(ProvisionSettings settings, Workloads workloads) implements Middleware {

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
    String applicationProperties() {
        String ns = workloads.namespace();
        return String.join(
                "\n",
                "spring.redis.host=redis." + ns,
                "spring.redis.cluster.nodes="
                        + workloads.hosts("redis", settings.number("redis.nodes"), "redis", ":6379", ","),
                "spring.cloud.sentinel.transport.dashboard=sentinel-service." + ns + ":8080",
                "spring.cloud.nacos.discovery.server-addr=nacos-service." + ns + ":8848",
                "spring.cloud.nacos.config.server-addr=nacos-service." + ns + ":8848",
                "spring.zipkin.base-url=http://zipkin-service." + ns + ":9411/",
                "# each service names its database: guli.database=gulimall_oms (or env GULI_DATABASE)",
                "spring.datasource.url=jdbc:mysql://mysql-master." + ns + ":3306/${guli.database}",
                "spring.rabbitmq.addresses="
                        + workloads.hosts("rabbitmq", settings.number("rabbitmq.nodes"), "rabbitmq", ":5672", ","),
                "spring.elasticsearch.rest.uris=http://elasticsearch." + ns + ":9200",
                "");
    }
}
