package io.github.guli.engine.git;

import java.io.Serializable;

/**
 * @param commit the commit now checked out (detached, as Jenkins does)
 * @param ref what was asked for, or the remote's default branch
 */
public record CheckoutResult(String url, String ref, String commit) implements Serializable {}
