package io.github.guli.engine.provision;

import io.github.guli.engine.Blank;
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
        if (Blank.isBlank(mysqlRootPassword)) {
            missing.add(mysqlRoot);
        }
        if (Blank.isBlank(mysqlReplicationPassword)) {
            missing.add(mysqlRepl);
        }
        if (Blank.isBlank(redisPassword)) {
            missing.add(redis);
        }
        if (Blank.isBlank(rabbitmqErlangCookie)) {
            missing.add(cookie);
        }
        if (Blank.isBlank(shardingspherePassword)) {
            missing.add(sharding);
        }
        if (!missing.isEmpty()) {
            throw new GuliException("provisioning needs these secrets, missing: " + String.join(", ", missing)
                    + " (a dry run needs none)");
        }
    }

    @Override
    public String toString() {
        return "ProvisionSecrets[****]";
    }
}
