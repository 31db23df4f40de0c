package io.github.guli.cli;

import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.UsernamePassword;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Secrets reach the command line only through the environment: {@code PREFIX_PASSWORD}, or
 * {@code PREFIX_PASSWORD_FILE} naming a file. Never through a flag, which any user could read in the process list.
 */
final class Secrets {
    private final Map<String, String> env;

    Secrets(Map<String, String> env) {
        this.env = env;
    }

    /** A plain (not secret) variable. */
    String env(String name) {
        return env.get(name);
    }

    /**
     * A secret from {@code NAME}, or from the file {@code NAME_FILE} names, without surrounding whitespace (a file
     * usually ends with a newline); null when neither is set or it is empty.
     */
    String secret(String name) {
        String value = text(name);
        value = value == null ? null : value.strip();
        return value == null || value.isEmpty() ? null : value;
    }

    /** The credentials for {@code prefix} (e.g. GULI_REGISTRY), or null when no password is given. */
    UsernamePassword credentials(String prefix, String usernameOption) {
        String password = secret(prefix + "_PASSWORD");
        if (password == null) {
            return null;
        }
        String username = usernameOption != null ? usernameOption : env.get(prefix + "_USERNAME");
        if (Blank.isBlank(username)) {
            throw new GuliException(prefix + "_PASSWORD is set but no username: set " + prefix + "_USERNAME");
        }
        return new UsernamePassword(username, password);
    }

    /** The secret text in {@code NAME}, or in the file named by {@code NAME_FILE}, as it is (e.g. a kubeconfig). */
    String text(String name) {
        String value = env.get(name);
        String file = env.get(name + "_FILE");
        if (value == null && file != null) {
            try {
                value = Files.readString(Path.of(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new GuliException("cannot read " + name + "_FILE " + file + ": " + e.getMessage());
            }
        }
        return value;
    }

    /** The environment, for what the commands read from it besides secrets (e.g. manifest substitution). */
    Map<String, String> environment() {
        return env;
    }
}
