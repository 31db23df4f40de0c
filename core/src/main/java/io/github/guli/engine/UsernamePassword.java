package io.github.guli.engine;

import java.io.Serializable;
import java.util.Objects;

/**
 * A username and its password or token. Serializable because Jenkins sends it to the agent that runs the
 * step; {@link #toString()} never shows the password, so it cannot leak through a log line by accident.
 */
public final class UsernamePassword implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String username;
    private final String password;

    public UsernamePassword(String username, String password) {
        this.username = Objects.requireNonNull(username, "username");
        this.password = Objects.requireNonNull(password, "password");
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    @Override
    public String toString() {
        return username + ":****";
    }
}
