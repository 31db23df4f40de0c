package io.github.guli.engine.deploy;

import java.io.Serializable;

/**
 * One thing wrong (or worth a look) in a manifest, at a file and line, printed as compilers do:
 * {@code deploy/app.yaml:12: error: message}.
 *
 * @param file the path as the user wrote it in the workspace, e.g. {@code gulimall-auth-server/deploy/deploy.yaml}
 * @param line 1-based; 0 when the problem is about the file as a whole
 */
public record Problem(Severity severity, String file, int line, String message) implements Serializable {
    public enum Severity {
        ERROR,
        WARNING
    }

    public static Problem error(String file, int line, String message) {
        return new Problem(Severity.ERROR, file, line, message);
    }

    public static Problem warning(String file, int line, String message) {
        return new Problem(Severity.WARNING, file, line, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line : "") + ": " + severity.name().toLowerCase() + ": " + message;
    }
}
