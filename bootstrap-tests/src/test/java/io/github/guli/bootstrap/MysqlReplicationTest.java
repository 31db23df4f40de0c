package io.github.guli.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * mysql-replication.sh against two real MariaDB servers on loopback, configured with the course's my.cnf
 * replication settings (server_id, log-bin, binlog-do-db, replicate-ignore-db).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MysqlReplicationTest {
    // quotes, a backslash and a dollar: the script must quote them in SQL and never hand them to a shell
    static final String ADMIN_PASSWORD = "adm-" + Long.toHexString(System.nanoTime()) + "'\"$x";
    static final String REPL_PASSWORD = "repl-" + Long.toHexString(System.nanoTime()) + "'\\q\"";
    static final String APP_PASSWORD = "app-" + Long.toHexString(System.nanoTime());

    @TempDir
    static Path dir;

    static Instance master;
    static Instance slave;

    record Instance(Local.Server server, int port, Path socket) {}

    @BeforeAll
    static void start() throws Exception {
        master = start("master", 1, false);
        slave = start("slave", 2, false);
    }

    @AfterAll
    static void stop() throws Exception {
        for (Instance i : new Instance[] {master, slave}) {
            if (i != null) {
                i.server().close();
            }
        }
    }

    /** A mariadbd with the course's my.cnf; the slave starts writable so that the script is seen making it read-only. */
    static Instance start(String name, int serverId, boolean readOnly) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        int port = Local.freePort();
        Path socket = home.resolve("mysqld.sock");
        String cnf = String.join(
                "\n",
                "[mysqld]",
                "datadir=" + home.resolve("data"),
                "socket=" + socket,
                "pid-file=" + home.resolve("mysqld.pid"),
                "port=" + port,
                "bind-address=127.0.0.1",
                "log-error=" + home.resolve("error.log"),
                "innodb-buffer-pool-size=16M",
                "character-set-server=utf8mb4",
                "skip-name-resolve",
                "server_id=" + serverId,
                "log-bin=mysql-bin",
                "read-only=" + (readOnly ? 1 : 0),
                "binlog-do-db=gulimall_ums",
                "binlog-do-db=gulimall_pms",
                "binlog-do-db=gulimall_oms",
                "binlog-do-db=gulimall_sms",
                "binlog-do-db=gulimall_wms",
                "binlog-do-db=gulimall_admin",
                "replicate-ignore-db=mysql",
                "replicate-ignore-db=sys",
                "replicate-ignore-db=information_schema",
                "replicate-ignore-db=performance_schema",
                "");
        Path cnfFile = home.resolve("my.cnf");
        Files.writeString(cnfFile, cnf);
        String user = System.getProperty("user.name");
        Local.ok(
                List.of("mariadb-install-db", "--defaults-file=" + cnfFile, "--user=" + user, "--skip-test-db"),
                Map.of());
        Local.Server server = new Local.Server(
                "mariadbd " + name,
                List.of("mariadbd", "--defaults-file=" + cnfFile, "--user=" + user),
                Map.of(),
                home.resolve("server.log"));
        try {
            server.awaitPort(port, Duration.ofSeconds(90));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + Files.readString(home.resolve("error.log")), e);
        }
        Instance i = new Instance(server, port, socket);
        // root over the socket (unix_socket auth) makes the TCP admin the script uses, as an operator would
        rootSql(
                i,
                "CREATE USER 'admin'@'%' IDENTIFIED BY '"
                        + ADMIN_PASSWORD.replace("\\", "\\\\").replace("'", "\\'")
                        + "';\nGRANT ALL PRIVILEGES ON *.* TO 'admin'@'%' WITH GRANT OPTION;\n");
        return i;
    }

    static String rootSql(Instance i, String statements) throws IOException, InterruptedException {
        return Local.ok(
                List.of("mariadb", "-S", i.socket().toString(), "-u", "root", "-N", "-B"), Map.of(), statements);
    }

    Map<String, String> env() throws IOException {
        Path pw = dir.resolve("admin-password");
        Files.writeString(pw, ADMIN_PASSWORD + "\n");
        Map<String, String> env = new HashMap<>();
        env.put("MYSQL_MASTER", "127.0.0.1:" + master.port());
        env.put("MYSQL_SLAVES", "127.0.0.1:" + slave.port());
        env.put("MYSQL_ADMIN_USER", "admin");
        env.put("MYSQL_ADMIN_PASSWORD_FILE", pw.toString());
        env.put("MYSQL_REPL_PASSWORD", REPL_PASSWORD);
        env.put("MYSQL_WAIT_SECONDS", "60");
        return env;
    }

    @Test
    @Order(1)
    void formsReplicationWithoutPasswordsInArgumentsOrLog() throws Exception {
        Local.Watched r =
                Local.runWatched("mysql-replication.sh", env(), Duration.ofMinutes(3), ADMIN_PASSWORD, REPL_PASSWORD);
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output())
                .contains(
                        "creating the replication user 'backup'@'%'",
                        "CHANGE MASTER TO 127.0.0.1:" + master.port(), "setting read_only", "replication formed");
        assertThat(r.output()).doesNotContain(ADMIN_PASSWORD, REPL_PASSWORD);
        assertThat(r.leaks()).as("process command lines holding a password").isEmpty();
        assertThat(rootSql(slave, "SELECT @@global.read_only;\n").trim()).isEqualTo("1");
    }

    @Test
    @Order(2)
    void aRowWrittenOnTheMasterIsReadOnTheSlave() throws Exception {
        rootSql(
                master,
                "CREATE DATABASE gulimall_oms;\nUSE gulimall_oms;\n"
                        + "CREATE TABLE oms_order (id BIGINT PRIMARY KEY, order_sn VARCHAR(64));\n"
                        + "INSERT INTO oms_order VALUES (1, 'sn-from-master');\n");
        String seen = "";
        for (int i = 0; i < 100 && !seen.contains("sn-from-master"); i++) {
            Thread.sleep(200);
            seen = Local.exec(
                            List.of("mariadb", "-S", slave.socket().toString(), "-u", "root", "-N", "-B"),
                            Map.of(),
                            "SELECT order_sn FROM gulimall_oms.oms_order WHERE id = 1;\n",
                            Duration.ofSeconds(30))
                    .output();
        }
        assertThat(seen.trim()).isEqualTo("sn-from-master");
    }

    @Test
    @Order(3)
    void theSlaveRefusesApplicationWrites() throws Exception {
        rootSql(
                slave,
                "CREATE USER 'app'@'%' IDENTIFIED BY '" + APP_PASSWORD + "';\n"
                        + "GRANT SELECT, INSERT ON gulimall_oms.* TO 'app'@'%';\n");
        Local.Result write = Local.exec(
                List.of(
                        "mariadb",
                        "--protocol=TCP",
                        "-h",
                        "127.0.0.1",
                        "-P",
                        String.valueOf(slave.port()),
                        "-u",
                        "app",
                        "-N",
                        "-B"),
                Map.of("MYSQL_PWD", APP_PASSWORD),
                "INSERT INTO gulimall_oms.oms_order VALUES (2, 'written-on-slave');\n",
                Duration.ofSeconds(30));
        assertThat(write.exit()).isNotZero();
        assertThat(write.output()).contains("read-only");
    }

    @Test
    @Order(4)
    void aSecondRunChangesNothing() throws Exception {
        Local.Result r = Local.run(Local.script("mysql-replication.sh"), env(), Duration.ofMinutes(3));
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output())
                .contains("already replicating from 127.0.0.1:" + master.port(), "nothing to do")
                .doesNotContain("CHANGE MASTER", "creating");
    }

    @Test
    @Order(5)
    void missingSettingsAreNamed() throws Exception {
        Map<String, String> env = env();
        env.remove("MYSQL_REPL_PASSWORD");
        Local.Result r = Local.run(Local.script("mysql-replication.sh"), env, Duration.ofMinutes(1));
        assertThat(r.exit()).isNotZero();
        assertThat(r.output()).contains("set MYSQL_REPL_PASSWORD or MYSQL_REPL_PASSWORD_FILE");
        env = env();
        env.put("MYSQL_SLAVES", "127.0.0.1:" + master.port());
        r = Local.run(Local.script("mysql-replication.sh"), env, Duration.ofMinutes(1));
        assertThat(r.exit()).isNotZero();
        assertThat(r.output()).contains("both have server_id=1", "distinct server_id");
    }
}
