package io.github.guli.engine.provision;

import io.github.guli.engine.GuliException;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The generated objects, grouped by file in apply order. */
public record ProvisionResult(List<MiddlewareObject> docs) implements Serializable {
    static final String REDACTED = "<redacted: from credentials>";

    /**
     * Each file's YAML. With {@code redact} every Secret value is replaced by a marker (what a dry run prints);
     * without it the Secrets carry their values, for the applier only.
     */
    public Map<String, String> files(boolean redact) {
        Map<String, StringBuilder> out = new LinkedHashMap<>();
        for (MiddlewareObject d : docs) {
            StringBuilder b = out.computeIfAbsent(d.file(), f -> new StringBuilder());
            if (b.length() > 0) {
                b.append("---\n");
            }
            b.append(Yamls.dump(d.secret() ? secretObject(d, redact) : d.object()));
        }
        Map<String, String> files = new LinkedHashMap<>();
        out.forEach((f, b) -> files.put(f, b.toString()));
        return files;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> secretObject(MiddlewareObject d, boolean redact) {
        Map<String, Object> copy = new LinkedHashMap<>(d.object());
        Map<String, Object> data =
                new LinkedHashMap<>((Map<String, Object>) d.object().get("stringData"));
        for (Map.Entry<String, Object> e : data.entrySet()) {
            if (redact) {
                e.setValue(REDACTED);
            } else if (e.getValue() == null) {
                throw new GuliException(
                        "Secret " + d.name() + " has no value for " + e.getKey() + ": give the credentials");
            }
        }
        copy.put("stringData", data);
        return copy;
    }

    /** Every file, Secrets redacted, one after another: the dry run's output. */
    public String dryRun() {
        StringBuilder b = new StringBuilder();
        files(true)
                .forEach((f, yaml) -> b.append("# ---- ").append(f).append('\n').append(yaml));
        return b.toString();
    }

    /**
     * Writes the manifests that hold no secret into {@code dir} (for review or GitOps) and returns their paths.
     * Secrets are never written: they go from the credentials to the API server through the applier only.
     */
    public List<Path> writeWithoutSecrets(Path dir) {
        List<Path> written = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            Map<String, String> files = files(true);
            for (Map.Entry<String, String> e : files.entrySet()) {
                boolean secretFile = docs.stream().anyMatch(d -> d.file().equals(e.getKey()) && d.secret());
                if (!secretFile) {
                    Path p = dir.resolve(e.getKey());
                    Files.writeString(p, e.getValue(), StandardCharsets.UTF_8);
                    written.add(p);
                }
            }
        } catch (IOException e) {
            throw new GuliException("cannot write the manifests to " + dir + ": " + e.getMessage());
        }
        return written;
    }

    public List<MiddlewareObject> secrets() {
        return docs.stream().filter(MiddlewareObject::secret).toList();
    }

    /** One line: how many objects of which kinds. */
    public String summary() {
        Map<String, Integer> kinds = new LinkedHashMap<>();
        docs.forEach(d -> kinds.merge(d.kind(), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        kinds.forEach((k, n) -> parts.add(n + " " + k));
        return docs.size() + " objects: " + String.join(", ", parts);
    }
}
