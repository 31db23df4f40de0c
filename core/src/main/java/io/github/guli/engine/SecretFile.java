package io.github.guli.engine;

import java.io.Serializable;
import java.util.Objects;

/**
 * The content of a secret file (a Jenkins "Secret file" credential, e.g. a Maven settings.xml holding server
 * passwords). Serializable because Jenkins sends it to the agent; {@link #toString()} never shows the content.
 */
public final class SecretFile implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String name;
    private final byte[] content;

    /** @param name where it came from, for messages (e.g. "credentials 'maven-settings'") */
    public SecretFile(String name, byte[] content) {
        this.name = Objects.requireNonNull(name, "name");
        this.content = Objects.requireNonNull(content, "content").clone();
    }

    public String name() {
        return name;
    }

    public byte[] content() {
        return content.clone();
    }

    @Override
    public String toString() {
        return name + " (" + content.length + " bytes, not shown)";
    }
}
