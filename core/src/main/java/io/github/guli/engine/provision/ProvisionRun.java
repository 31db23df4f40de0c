package io.github.guli.engine.provision;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import java.io.File;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One provisioning: the manifests generated, then printed (a dry run, Secrets redacted) and/or written without
 * their Secrets. The step runs it on the agent that holds the workspace, the command line where it is started.
 */
public final class ProvisionRun {
    /**
     * What was done; holds no secret.
     *
     * @param manifests every manifest, Secrets redacted, for a dry run; else null
     * @param written   the files written
     * @param withheld  the Secrets, which are never written (applied from the credentials only)
     */
    public record Outcome(String summary, String manifests, List<String> written, List<String> withheld)
            implements Serializable {}

    private ProvisionRun() {}

    /**
     * Generates, prints and writes. The caller has checked that a real run has every secret, naming where each
     * comes from (the step's credentials parameters, the command's variables).
     *
     * @param workspace what the output directory is relative to, and must stay inside; null: the output directory
     *                  as given (the command line's own machine)
     * @param log       the run's lines
     * @param manifests where a dry run prints the manifests
     */
    public static Outcome run(ProvisionRequest request, File workspace, Log log, Log manifests) {
        if (!request.dryRun() && request.outputDir() == null) {
            throw new GuliException("a real run writes the manifests: give an output directory, or a dry run");
        }
        ProvisionResult result = new Provision(request.settings(), request.secrets()).generate();
        List<String> withheld = new ArrayList<>(
                result.secrets().stream().map(MiddlewareObject::name).toList());
        String text = null;
        if (request.dryRun()) {
            text = result.dryRun();
            text.lines().forEach(manifests::info);
        }
        List<String> written = new ArrayList<>();
        if (request.outputDir() != null) {
            for (Path p : result.writeWithoutSecrets(outputDir(workspace, request.outputDir()))) {
                log.info("wrote " + p);
                written.add(p.toString());
            }
            log.info("not written (Secrets, applied from the credentials only): " + String.join(", ", withheld));
        }
        log.info(result.summary());
        return new Outcome(result.summary(), text, written, withheld);
    }

    private static Path outputDir(File workspace, String dir) {
        if (workspace == null) {
            return Path.of(dir);
        }
        Path base = workspace.toPath().toAbsolutePath().normalize();
        Path out = base.resolve(dir).normalize();
        if (!out.startsWith(base)) {
            throw new GuliException("outputDir '" + dir + "' is outside the workspace " + base
                    + ": give a directory inside it, e.g. middleware-manifests");
        }
        return out;
    }
}
