package io.github.guli.cli;

import io.github.guli.engine.Blank;
import io.github.guli.engine.Log;
import io.github.guli.engine.nacos.ConfigDiff;
import io.github.guli.engine.nacos.ConfigPublish;
import io.github.guli.engine.nacos.ConfigRecord;
import io.github.guli.engine.nacos.ConfigSet;
import io.github.guli.engine.nacos.ConfigSnapshot;
import io.github.guli.engine.nacos.NacosClient;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

/** {@code guli config diff|publish}: a module's configuration for one environment, against that environment's Nacos. */
final class ConfigCommand implements Command {
    private static final String PREFIX = "[guli config] ";

    @Override
    public String name() {
        return "config";
    }

    @Override
    public String summary() {
        return "diff a module's configuration for an environment against its Nacos, or publish it";
    }

    @Override
    public String help() {
        return String.join(
                "\n",
                "usage: guli config diff|publish --nacos-url URL --environment ENV [options]",
                "  diff                   show what Nacos holds against <module>/config/<ENV>/ (secrets masked)",
                "  publish                the same diff, then publish the files; on a failure part-way, put back",
                "                         what it had published",
                "  --nacos-url URL        the environment's Nacos server (http://host:8848; /nacos is added)",
                "  --namespace ID         the Nacos namespace ID (default: the public namespace)",
                "  --group GROUP          the Nacos group (default DEFAULT_GROUP)",
                "  --environment ENV      the folder <module>/config/<ENV> to read",
                "  --module NAME          the module; default PROJECT_NAME from the environment",
                "  --dir DIR              the workspace the module is in (default .)",
                "  --nacos-username NAME  default GULI_NACOS_USERNAME",
                "credentials: GULI_NACOS_PASSWORD or GULI_NACOS_PASSWORD_FILE (a file), with the username; none for a",
                "  Nacos without auth",
                "exit status: 0 done, 1 failed (nothing changed, or what changed was put back), 2 usage error");
    }

    @Override
    public Set<String> actions() {
        return Set.of("diff", "publish");
    }

    @Override
    public Set<String> options() {
        return Set.of("nacos-url", "namespace", "group", "environment", "module", "dir", "nacos-username");
    }

    @Override
    public Set<String> flags() {
        return Set.of();
    }

    @Override
    public int run(Options o, Secrets secrets, PrintStream out) {
        String url = required(o, "nacos-url", "e.g. --nacos-url http://nacos:8848");
        String environment = required(o, "environment", "e.g. --environment prod");
        String module = o.get("module", secrets.env("PROJECT_NAME"));
        if (Blank.isBlank(module)) {
            throw new UsageException(
                    "guli config: give --module (e.g. gulimall-product) or PROJECT_NAME in the environment");
        }
        ConfigSet set =
                ConfigSet.read(Path.of(o.get("dir", ".")).toAbsolutePath(), module, environment, o.get("group"));
        NacosClient nacos =
                new NacosClient(url, secrets.credentials("GULI_NACOS", o.get("nacos-username")), o.get("namespace"));
        Log log = Log.to(out, PREFIX);
        ConfigPublish publish = new ConfigPublish(nacos, log);
        ConfigSnapshot before = publish.snapshot(set);
        ConfigDiff diff = ConfigDiff.of(before, set);
        out.print(diff.text());
        if (o.action().equals("diff")) {
            return 0;
        }
        if (!diff.changesAnything()) {
            log.info("nothing to publish: Nacos holds this configuration already");
            return 0;
        }
        ConfigRecord record = publish.publish(set, before);
        log.info("published " + record);
        return 0;
    }

    private static String required(Options o, String name, String example) {
        String v = o.get(name);
        if (Blank.isBlank(v)) {
            throw new UsageException("guli config: --" + name + " is required, " + example);
        }
        return v;
    }
}
