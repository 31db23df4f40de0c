package io.github.guli.cli;

import io.github.guli.engine.Blank;
import io.github.guli.engine.Log;
import io.github.guli.engine.deploy.Deploy;
import io.github.guli.engine.deploy.DeployRequest;
import io.github.guli.engine.deploy.Kubeconfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** {@code guli deploy}: the guliDeployK8s step. */
final class DeployCommand implements Command {
    private static final String PREFIX = "[guli deploy] ";

    @Override
    public String name() {
        return "deploy";
    }

    @Override
    public String summary() {
        return "validate Kubernetes manifests, apply them, wait for the rollout, roll back on failure";
    }

    @Override
    public String help() {
        return String.join(
                "\n",
                "usage: guli deploy [--configs PATTERNS | --project-name NAME] [options]",
                "  --configs PATTERNS     comma-separated Ant patterns under --dir (default <project-name>/deploy/**)",
                "  --project-name NAME    the module; default PROJECT_NAME from the environment",
                "  --dir DIR              the directory the patterns are relative to (default .)",
                "  --no-substitution      do not replace $VAR and ${VAR} from the environment ($$ is a literal $)",
                "  --dry-run              validate and print the rendered manifests; contact no cluster",
                "  --context NAME         the kubeconfig context (default its current-context)",
                "  --namespace NS         for objects that name none (default the context's namespace)",
                "  --no-wait              do not wait for Deployments, StatefulSets and DaemonSets to roll out",
                "  --timeout SECONDS      how long to wait for the rollout (default "
                        + DeployRequest.DEFAULT_TIMEOUT_SECONDS + ")",
                "  --no-rollback          leave what was applied when the deploy fails",
                "kubeconfig: GULI_KUBECONFIG (its text) or GULI_KUBECONFIG_FILE (a file); without either, this machine's",
                "  own (KUBECONFIG, ~/.kube/config, or the pod's service account)",
                "exit status: 0 deployed (or valid, with --dry-run), 1 failed or invalid, 2 usage error");
    }

    @Override
    public Set<String> options() {
        return Set.of("configs", "project-name", "dir", "context", "namespace", "timeout");
    }

    @Override
    public Set<String> flags() {
        return Set.of("no-substitution", "dry-run", "no-wait", "no-rollback");
    }

    @Override
    public int run(Options o, Secrets secrets, PrintStream out) {
        String configs = o.get("configs");
        if (configs == null) {
            String module = o.get("project-name", secrets.environment().get("PROJECT_NAME"));
            if (Blank.isBlank(module)) {
                throw new UsageException("guli deploy: give --configs (e.g. 'gulimall-auth-server/deploy/**') or "
                        + "--project-name (or PROJECT_NAME in the environment)");
            }
            configs = module + "/deploy/**";
        }
        int timeout;
        try {
            timeout = Integer.parseInt(o.get("timeout", String.valueOf(DeployRequest.DEFAULT_TIMEOUT_SECONDS)));
        } catch (NumberFormatException e) {
            throw new UsageException("guli deploy: --timeout takes whole seconds, e.g. --timeout 300");
        }
        String kubeconfig = secrets.text("GULI_KUBECONFIG");
        Map<String, String> env = new TreeMap<>(secrets.environment());
        env.keySet().removeIf(k -> k.startsWith("GULI_KUBECONFIG")); // a secret, not something to put in a manifest
        DeployRequest request = new DeployRequest()
                .workspace(Path.of(o.get("dir", ".")).toAbsolutePath().toString())
                .configs(configs)
                .substitute(!o.flag("no-substitution"))
                .env(env)
                .kubeconfig(
                        kubeconfig == null
                                ? null
                                : new Kubeconfig(
                                        secrets.environment().containsKey("GULI_KUBECONFIG")
                                                ? "GULI_KUBECONFIG"
                                                : "GULI_KUBECONFIG_FILE",
                                        kubeconfig))
                .context(o.get("context"))
                .namespace(o.get("namespace"))
                .waitForRollout(!o.flag("no-wait"))
                .timeoutSeconds(timeout)
                .rollbackOnFailure(!o.flag("no-rollback"))
                .dryRun(o.flag("dry-run"));
        new Deploy(Log.to(out, PREFIX), out::println).run(request);
        return 0;
    }
}
