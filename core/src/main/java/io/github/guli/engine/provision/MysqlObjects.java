package io.github.guli.engine.provision;

import static io.github.guli.engine.provision.KubeMaps.configMapVolume;
import static io.github.guli.engine.provision.KubeMaps.env;
import static io.github.guli.engine.provision.KubeMaps.list;
import static io.github.guli.engine.provision.KubeMaps.map;
import static io.github.guli.engine.provision.KubeMaps.mount;
import static io.github.guli.engine.provision.KubeMaps.port;
import static io.github.guli.engine.provision.KubeMaps.resources;
import static io.github.guli.engine.provision.KubeMaps.secretVolume;

import java.util.List;
import java.util.Map;

/** MySQL: a master and its slaves, each a StatefulSet with the course's my.cnf, and the Job that links them. */
record MysqlObjects(ProvisionSettings settings, Workloads workloads, ProvisionSecrets credentials)
        implements Middleware {
    private static final Template MY_CNF = Template.load("mysql/my.cnf");

    @Override
    public List<Map<String, Object>> secrets() {
        return List.of(workloads.secret(
                "mysql-secret",
                "mysql",
                "root-password",
                credentials.mysqlRootPassword(),
                "replication-password",
                credentials.mysqlReplicationPassword()));
    }

    @Override
    public String file() {
        return "mysql.yaml";
    }

    @Override
    public List<Map<String, Object>> objects() {
        int slaves = settings.number("mysql.slaves");
        return List.of(
                workloads.configMap("mysql-master-cnf", "mysql-master", map("my.cnf", myCnf(1, false))),
                workloads.configMap("mysql-slave-cnf", "mysql-slave", map("my.cnf", myCnf(2, true))),
                workloads.headless("mysql-master", "mysql-master", map("app", "mysql-master"), "mysql", 3306),
                workloads.headless("mysql-slave", "mysql-slave", map("app", "mysql-slave"), "mysql", 3306),
                statefulSet("mysql-master", "mysql-master-cnf", 1, "1"),
                // each slave its own server_id (2, 3, ...) from its ordinal: one ConfigMap cannot give distinct ones
                statefulSet("mysql-slave", "mysql-slave-cnf", slaves, "$((2 + ${HOSTNAME##*-}))"),
                workloads.formationJob(
                        "mysql-replication",
                        settings.get("mysql.image"),
                        "mysql-replication.sh",
                        "mysql-secret",
                        "/secrets/mysql",
                        list(
                                env("MYSQL_MASTER", "mysql-master-0.mysql-master." + workloads.namespace() + ":3306"),
                                env(
                                        "MYSQL_SLAVES",
                                        workloads.hosts("mysql-slave", slaves, "mysql-slave", ":3306", " ")),
                                env("MYSQL_ADMIN_USER", "root"),
                                env("MYSQL_ADMIN_PASSWORD_FILE", "/secrets/mysql/root-password"),
                                env("MYSQL_REPL_USER", settings.get("mysql.replicationUser")),
                                env("MYSQL_REPL_PASSWORD_FILE", "/secrets/mysql/replication-password"),
                                env("MYSQL_WAIT_SECONDS", 600))));
    }

    /** The course's my.cnf of master (server_id=1, read-only=0) and slave (server_id=2, read-only=1). */
    private String myCnf(int serverId, boolean slave) {
        return MY_CNF.fill(
                Map.of("serverId", serverId, "readOnly", slave ? 1 : 0, "database", settings.list("mysql.databases")));
    }

    private Map<String, Object> statefulSet(String name, String cnf, int replicas, String serverId) {
        Map<String, Object> container = map(
                "name",
                "mysql",
                "image",
                settings.get("mysql.image"),
                "command",
                list("bash", "-c", "exec docker-entrypoint.sh mysqld --server-id=" + serverId),
                "env",
                list(env("MYSQL_ROOT_PASSWORD_FILE", "/secrets/mysql/root-password")),
                "ports",
                list(port("mysql", 3306)),
                "readinessProbe",
                map("tcpSocket", map("port", 3306), "initialDelaySeconds", 10, "periodSeconds", 5),
                "resources",
                resources(settings.get("mysql.cpu"), settings.get("mysql.memory")),
                "volumeMounts",
                list(
                        mount("data", "/var/lib/mysql"),
                        mount("cnf", "/etc/mysql/conf.d"),
                        mount("secret", "/secrets/mysql")));
        return workloads.statefulSet(
                name,
                name,
                replicas,
                container,
                list(configMapVolume("cnf", cnf), secretVolume("secret", "mysql-secret")),
                null,
                list(workloads.claim("data", settings.get("mysql.storage"))));
    }
}
