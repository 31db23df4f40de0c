package io.github.guli.cli;

import io.github.guli.engine.Blank;
import io.github.guli.engine.Log;
import io.github.guli.engine.UsernamePassword;
import io.github.guli.engine.environment.EnvironmentRequest;
import io.github.guli.engine.environment.EnvironmentResult;
import io.github.guli.engine.environment.Environments;
import io.github.guli.engine.environment.Promotion;
import io.github.guli.engine.environment.RollbackTo;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** {@code guli promote} and {@code guli rollback}: the guliPromote step, promoting or rolling back. */
final class EnvironmentCommand implements Command {
    private final boolean promote;

    private EnvironmentCommand(boolean promote) {
        this.promote = promote;
    }

    static EnvironmentCommand promote() {
        return new EnvironmentCommand(true);
    }

    static EnvironmentCommand rollback() {
        return new EnvironmentCommand(false);
    }

    @Override
    public String name() {
        return promote ? "promote" : "rollback";
    }

    @Override
    public String summary() {
        return promote
                ? "deploy to an environment the digest its predecessor runs, rolled out healthy (no rebuild)"
                : "roll an environment back to a released version its predecessor ran";
    }

    @Override
    public String help() {
        return String.join(
                "\n",
                promote
                        ? "usage: guli promote --project-name NAME --to ENV [--version V | --digest sha256:...] [options]"
                        : "usage: guli rollback --project-name NAME --to ENV --version vX.Y.Z [options]",
                "  --project-name NAME    the service (its Deployment's name); default PROJECT_NAME from the environment",
                "  --to ENV               the environment to " + (promote ? "promote to" : "roll back"),
                promote
                        ? "  --version V, --digest D  what the previous environment must run (default: whatever it runs)"
                        : "  --version V            the release to go back to (its registry tag)",
                "  --environments FILE    the environments, in order (default GULI_ENVIRONMENTS_FILE): a YAML list of",
                "                         {name, namespace, kubeconfigFile, releasePoint, ...}",
                "  --registry HOST[:PORT] where the images are; http://HOST:PORT for a plain-HTTP registry",
                "  --registry-username USER   or GULI_REGISTRY_USERNAME; password: GULI_REGISTRY_PASSWORD[_FILE]",
                "  --nacos-username USER  the login of the target's Nacos (its nacosUrl), or GULI_NACOS_USERNAME;",
                "                         password: GULI_NACOS_PASSWORD[_FILE]; without one: anonymous",
                "  --configs PATTERNS     the manifests under --dir (default <project-name>/deploy/**);",
                "                         <project-name>/config/<ENV>/ is published to the target's Nacos first",
                "  --dir DIR              the checkout (default .)",
                "  --timeout SECONDS      how long to wait for the rollout (default 600)",
                "exit status: 0 deployed, 1 refused or failed (and rolled back), 2 usage error");
    }

    @Override
    public Set<String> options() {
        return Set.of(
                "project-name",
                "to",
                "version",
                "digest",
                "environments",
                "registry",
                "registry-username",
                "nacos-username",
                "configs",
                "dir",
                "timeout");
    }

    @Override
    public Set<String> flags() {
        return Set.of();
    }

    @Override
    public int run(Options o, Secrets secrets, PrintStream out) {
        String usage = "guli " + name() + ": ";
        String file = o.get("environments", secrets.env("GULI_ENVIRONMENTS_FILE"));
        if (Blank.isBlank(file)) {
            throw new UsageException(usage + "give --environments FILE (or GULI_ENVIRONMENTS_FILE)");
        }
        if (Blank.isBlank(o.get("to"))) {
            throw new UsageException(
                    usage + "give --to ENV, the environment to " + (promote ? "promote to" : "roll back"));
        }
        if (!promote && Blank.isBlank(o.get("version"))) {
            throw new UsageException(usage + "give --version, the release to roll back to (e.g. v1.4.2)");
        }
        if (promote && o.get("version") != null && o.get("digest") != null) {
            throw new UsageException(usage + "give --version or --digest, not both");
        }
        if (Blank.isBlank(o.get("registry"))) {
            throw new UsageException(usage + "give --registry, where the images are");
        }
        int timeout;
        try {
            timeout = Integer.parseInt(o.get("timeout", "0"));
        } catch (NumberFormatException e) {
            throw new UsageException(usage + "--timeout takes whole seconds, e.g. --timeout 300");
        }
        Map<String, String> env = new TreeMap<>(secrets.environment());
        env.keySet().removeIf(k -> k.startsWith("GULI_")); // secrets and paths, not for the manifests
        Environments environments = EnvironmentsFile.read(Path.of(file));
        UsernamePassword nacos = secrets.credentials("GULI_NACOS", o.get("nacos-username"));
        if (nacos != null) {
            environments.get(o.get("to")).nacosCredentials(nacos);
        }
        EnvironmentRequest request = new EnvironmentRequest()
                .service(o.get("project-name", secrets.env("PROJECT_NAME")))
                .to(o.get("to"))
                .version(o.get("version"))
                .digest(o.get("digest"))
                .environments(environments)
                .workspace(Path.of(o.get("dir", ".")).toAbsolutePath().toString())
                .configs(o.get("configs"))
                .env(env)
                .registry(o.get("registry"))
                .registryCredentials(secrets.credentials("GULI_REGISTRY", o.get("registry-username")))
                .timeoutSeconds(timeout);
        Log log = Log.to(out, "[guli " + name() + "] ");
        EnvironmentResult result = promote ? new Promotion(log).run(request) : new RollbackTo(log).run(request);
        log.info(result.summary());
        return 0;
    }
}
