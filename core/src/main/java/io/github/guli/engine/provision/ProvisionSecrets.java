package io.github.guli.engine.provision;

import io.github.guli.engine.GuliException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The secrets the middleware needs, from credentials. toString hides them. A dry run may leave them out: the
 * Secrets it prints are redacted anyway.
 */
public record ProvisionSecrets(
        String mysqlRootPassword,
        String mysqlReplicationPassword,
        String redisPassword,
        String rabbitmqErlangCookie,
        String shardingspherePassword)
        implements Serializable {

    public static ProvisionSecrets none() {
        return new ProvisionSecrets(null, null, null, null, null);
    }

    /** Fails naming every missing secret and where it comes from (the step's parameter, the command's variable). */
    public void requireAll(String mysqlRoot, String mysqlRepl, String redis, String cookie, String sharding) {
        List<String> missing = new ArrayList<>();
        if (blank(mysqlRootPassword)) {
            missing.add(mysqlRoot);
        }
        if (blank(mysqlReplicationPassword)) {
            missing.add(mysqlRepl);
        }
        if (blank(redisPassword)) {
            missing.add(redis);
        }
        if (blank(rabbitmqErlangCookie)) {
            missing.add(cookie);
        }
        if (blank(shardingspherePassword)) {
            missing.add(sharding);
        }
        if (!missing.isEmpty()) {
            throw new GuliException("provisioning needs these secrets, missing: " + String.join(", ", missing)
                    + " (a dry run needs none)");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    @Override
    public String toString() {
        return "ProvisionSecrets[****]";
    }
}
