package io.github.guli.engine;

import java.io.Serializable;
import java.util.Objects;

/**
 * An SSH user and private key (OpenSSH or PEM text), with its passphrase if it has one. Serializable because
 * Jenkins sends it to the agent that runs the step; {@link #toString()} shows neither the key nor the passphrase.
 */
public final class SshKey implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String username;
    private final String privateKey;
    private final String passphrase;

    public SshKey(String username, String privateKey, String passphrase) {
        this.username = Objects.requireNonNull(username, "username");
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.passphrase = passphrase == null || passphrase.isEmpty() ? null : passphrase;
    }

    public String username() {
        return username;
    }

    public String privateKey() {
        return privateKey;
    }

    /** The passphrase, or null when the key has none. */
    public String passphrase() {
        return passphrase;
    }

    @Override
    public String toString() {
        return username + " (SSH key, not shown)";
    }
}
