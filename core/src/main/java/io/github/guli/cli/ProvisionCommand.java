package io.github.guli.cli;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.provision.ProvisionRequest;
import io.github.guli.engine.provision.ProvisionRun;
import io.github.guli.engine.provision.ProvisionSecrets;
import io.github.guli.engine.provision.ProvisionSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/** {@code guli provision}: the guliProvision step's manifests, without Jenkins. */
final class ProvisionCommand implements Command {
    static final String MYSQL_ROOT = "GULI_MYSQL_ROOT_PASSWORD";
    static final String MYSQL_REPL = "GULI_MYSQL_REPLICATION_PASSWORD";
    static final String REDIS = "GULI_REDIS_PASSWORD";
    static final String COOKIE = "GULI_RABBITMQ_ERLANG_COOKIE";
    static final String SHARDING = "GULI_SHARDINGSPHERE_PASSWORD";

    @Override
    public String name() {
        return "provision";
    }

    @Override
    public String summary() {
        return "generate the middleware manifests (MySQL, Redis, Elasticsearch, RabbitMQ, Nacos, Zipkin, Sentinel)";
    }

    @Override
    public String help() {
        return String.join(
                "\n",
                "usage: guli provision (--dry-run | --output-dir DIR) [options]",
                "  --dry-run                  print every manifest, Secret values redacted; needs no secret",
                "  --output-dir DIR           write the manifests that hold no secret into DIR (Secrets are never written)",
                "  --settings FILE            a .properties file of settings overriding the course's defaults",
                "                             (guli provision --help-settings lists them)",
                "  --namespace NS             the namespace (default gulimall); same as namespace= in --settings",
                "  --storage-class NAME       StorageClass of every PVC (default: the cluster's default)",
                "  --help-settings            list every setting, its default and meaning",
                "secrets (environment only, NAME or NAME_FILE): " + MYSQL_ROOT + ", " + MYSQL_REPL + ", " + REDIS + ", "
                        + COOKIE + ", " + SHARDING);
    }

    @Override
    public Set<String> options() {
        return Set.of("output-dir", "settings", "namespace", "storage-class");
    }

    @Override
    public Set<String> flags() {
        return Set.of("dry-run", "help-settings");
    }

    @Override
    public int run(Options o, Secrets secrets, PrintStream out) {
        if (o.flag("help-settings")) {
            ProvisionSettings.SETTINGS.forEach(s -> out.printf(
                    "%-36s %-40s %s%n",
                    s.key(), s.defaultValue().isEmpty() ? "(none)" : s.defaultValue(), s.description()));
            return 0;
        }
        boolean dryRun = o.flag("dry-run");
        if (!dryRun && o.get("output-dir") == null) {
            throw new UsageException("guli provision: give --dry-run or --output-dir DIR");
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        if (o.get("settings") != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(Path.of(o.get("settings")), StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new GuliException("cannot read --settings " + o.get("settings") + ": " + e.getMessage());
            }
            p.stringPropertyNames().stream().sorted().forEach(k -> overrides.put(k, p.getProperty(k)));
        }
        ProvisionSecrets given = new ProvisionSecrets(
                secrets.secret(MYSQL_ROOT),
                secrets.secret(MYSQL_REPL),
                secrets.secret(REDIS),
                secrets.secret(COOKIE),
                secrets.secret(SHARDING));
        if (!dryRun) {
            given.requireAll(MYSQL_ROOT, MYSQL_REPL, REDIS, COOKIE, SHARDING);
        }
        ProvisionRequest request = new ProvisionRequest(overrides)
                .namespace(o.get("namespace"))
                .storageClass(o.get("storage-class"))
                .secrets(given)
                .dryRun(dryRun)
                .outputDir(o.get("output-dir"));
        ProvisionRun.run(request, null, Log.to(out, "[guli provision] "), out::println);
        return 0;
    }
}
