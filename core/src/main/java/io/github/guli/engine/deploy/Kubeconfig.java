package io.github.guli.engine.deploy;

import java.io.Serializable;
import java.util.Objects;

/**
 * A kubeconfig's text, held in memory only: it goes from the credentials store to the client's configuration and is
 * never written to a file. {@link #toString()} names where it came from, never what it holds.
 *
 * @param source where it came from, for messages, e.g. "credentials 'demo-kubeconfig'"
 */
public record Kubeconfig(String source, String content) implements Serializable {
    public Kubeconfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(content, "content");
    }

    @Override
    public String toString() {
        return "kubeconfig from " + source;
    }
}
