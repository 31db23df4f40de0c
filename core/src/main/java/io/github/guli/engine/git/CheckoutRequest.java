package io.github.guli.engine.git;

import io.github.guli.engine.SshKey;
import io.github.guli.engine.UsernamePassword;
import java.io.Serializable;

/**
 * A repository to check out into the workspace.
 *
 * @param url HTTP(S) or SSH ({@code ssh://git@host/repo.git}, {@code git@host:repo.git}); never with a password
 * @param ref a branch, a tag or a commit; null: the remote's default branch
 * @param password username and password (or token) for HTTP(S); null: none
 * @param sshKey the key for SSH; null: none
 * @param sshDir where known_hosts is (the host key must be there); null: ~/.ssh of the user running the build
 */
public record CheckoutRequest(String url, String ref, UsernamePassword password, SshKey sshKey, String sshDir)
        implements Serializable {}
