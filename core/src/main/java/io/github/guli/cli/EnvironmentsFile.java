package io.github.guli.cli;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.deploy.Kubeconfig;
import io.github.guli.engine.environment.Environment;
import io.github.guli.engine.environment.Environments;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The command line's environments: a YAML list the admin writes, each with the path of its kubeconfig file (the file
 * is read, its path alone is in argv). The keys are those of the Jenkins configuration.
 */
final class EnvironmentsFile {
    private static final Set<String> KEYS = Set.of(
            "name",
            "namespace",
            "kubeconfigFile",
            "approvalRequired",
            "approvers",
            "releasePoint",
            "nacosUrl",
            "nacosNamespace",
            "nacosGroup",
            "imageRepository");

    private EnvironmentsFile() {}

    static Environments read(Path file) {
        Object parsed;
        try {
            parsed = new Yaml(new SafeConstructor(new LoaderOptions()))
                    .load(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new GuliException("cannot read the environments file " + file + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new GuliException("the environments file " + file + " is not YAML: " + e.getMessage());
        }
        if (!(parsed instanceof List<?> list)) {
            throw new GuliException("the environments file " + file + " must be a list of environments, e.g.\n"
                    + "- {name: staging, namespace: gulimall-staging, kubeconfigFile: /etc/guli/staging.kubeconfig}");
        }
        List<Environment> out = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> m)) {
                throw new GuliException("the environments file " + file + ": each item is a map (name, namespace, "
                        + "kubeconfigFile...), not '" + item + "'");
            }
            for (Object k : m.keySet()) {
                if (!KEYS.contains(String.valueOf(k))) {
                    throw new GuliException("the environments file " + file + ": unknown key '" + k + "'; the keys are "
                            + String.join(", ", new java.util.TreeSet<>(KEYS)));
                }
            }
            out.add(environment(m));
        }
        return Environments.of(out);
    }

    private static Environment environment(Map<?, ?> m) {
        Environment e = new Environment(string(m, "name"))
                .namespace(string(m, "namespace"))
                .approvalRequired(!"false".equals(string(m, "approvalRequired")))
                .releasePoint("true".equals(string(m, "releasePoint")))
                .nacosUrl(string(m, "nacosUrl"))
                .nacosNamespace(string(m, "nacosNamespace"))
                .nacosGroup(string(m, "nacosGroup"))
                .imageRepository(string(m, "imageRepository"));
        if (m.get("approvers") instanceof List<?> approvers) {
            e.approvers(approvers.stream().map(String::valueOf).toList());
        }
        String kubeconfig = string(m, "kubeconfigFile");
        if (kubeconfig != null) {
            try {
                e.kubeconfig(new Kubeconfig(
                        "file " + kubeconfig, Files.readString(Path.of(kubeconfig), StandardCharsets.UTF_8)));
            } catch (IOException x) {
                throw new GuliException("environment '" + e.name() + "': cannot read its kubeconfigFile " + kubeconfig
                        + ": " + x.getMessage());
            }
        }
        return e;
    }

    private static String string(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return v == null ? null : String.valueOf(v);
    }
}
