package io.github.guli.engine.provision;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The course's ShardingSphere-Proxy configuration (server.yaml, config-sharding.yaml,
 * config-readwrite-splitting.yaml) over the provisioned MySQL, as a Secret: it holds the passwords.
 */
record ShardingSphereObjects(ProvisionSettings settings, Workloads workloads, ProvisionSecrets credentials)
        implements Middleware {
    private static final Template SERVER = Template.load("shardingsphere/server.yaml");
    private static final Template SHARDING = Template.load("shardingsphere/config-sharding.yaml");
    private static final Template READWRITE = Template.load("shardingsphere/config-readwrite-splitting.yaml");
    private static final Template DATA_SOURCE = Template.load("shardingsphere/data-source.yaml");

    @Override
    public List<Map<String, Object>> secrets() {
        String root = credentials.mysqlRootPassword();
        String proxy = credentials.shardingspherePassword();
        return List.of(workloads.secret(
                "shardingsphere-config",
                "shardingsphere",
                "server.yaml",
                proxy == null ? null : serverYaml(proxy),
                "config-sharding.yaml",
                root == null ? null : shardingYaml(root),
                "config-readwrite-splitting.yaml",
                root == null ? null : readwriteYaml(root)));
    }

    @Override
    public String file() {
        return "shardingsphere.yaml";
    }

    /** None: the proxy itself is not provisioned, only its configuration. */
    @Override
    public List<Map<String, Object>> objects() {
        return List.of();
    }

    private String serverYaml(String password) {
        return SERVER.fill(Map.of(
                "user", Yamls.quote(settings.get("shardingsphere.user") + "@%"), "password", Yamls.quote(password)));
    }

    private String shardingYaml(String password) {
        List<String> dbs = settings.list("shardingsphere.shardingDatabases");
        List<Map<String, ?>> sources = new ArrayList<>();
        for (int i = 0; i < dbs.size(); i++) {
            sources.add(dataSource("ds_" + i, master(), dbs.get(i), password));
        }
        return SHARDING.fill(Map.of(
                "dataSources",
                DATA_SOURCE.fillEach(sources),
                "lastDataSource",
                dbs.size() - 1,
                "dataSourceCount",
                dbs.size()));
    }

    private String readwriteYaml(String password) {
        String db = settings.get("shardingsphere.readwriteDatabase");
        List<Map<String, ?>> sources = new ArrayList<>();
        sources.add(dataSource("write_ds", master(), db, password));
        List<String> reads = new ArrayList<>();
        if (Boolean.parseBoolean(settings.get("shardingsphere.readFromMaster"))) {
            reads.add("read_ds_0");
            sources.add(dataSource("read_ds_0", master(), db, password));
        }
        for (int i = 0; i < settings.number("mysql.slaves"); i++) {
            String name = "read_ds_" + reads.size();
            reads.add(name);
            sources.add(dataSource(name, "mysql-slave-" + i + ".mysql-slave." + workloads.namespace(), db, password));
        }
        return READWRITE.fill(Map.of("dataSources", DATA_SOURCE.fillEach(sources), "readDataSource", reads));
    }

    private String master() {
        return "mysql-master-0.mysql-master." + workloads.namespace();
    }

    private static Map<String, ?> dataSource(String name, String host, String database, String password) {
        return Map.of("name", name, "host", host, "database", database, "password", Yamls.quote(password));
    }
}
