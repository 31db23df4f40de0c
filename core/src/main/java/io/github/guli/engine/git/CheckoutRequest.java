package io.github.guli.engine.git;

import io.github.guli.engine.SshKey;
import io.github.guli.engine.UsernamePassword;
import java.io.Serializable;

/**
 * A repository to check out into the workspace. Serializable: Jenkins builds it on the controller and checks out
 * on the agent that holds the workspace. Unset values take the defaults noted on their setters.
 */
public final class CheckoutRequest implements Serializable {
    private static final long serialVersionUID = 1L;

    private String url;
    private String ref;
    private UsernamePassword password;
    private SshKey sshKey;
    private String sshDir;

    /**
     * HTTP(S) or SSH ({@code ssh://git@host/repo.git}, {@code git@host:repo.git}), never with a password in it.
     * Required.
     */
    public CheckoutRequest url(String v) {
        url = v;
        return this;
    }

    /** A branch, a tag or a commit; null: the remote's default branch. */
    public CheckoutRequest ref(String v) {
        ref = v;
        return this;
    }

    /** Username and password (or token) for HTTP(S); null: none. */
    public CheckoutRequest password(UsernamePassword v) {
        password = v;
        return this;
    }

    /** The key for SSH; null: none. */
    public CheckoutRequest sshKey(SshKey v) {
        sshKey = v;
        return this;
    }

    /** Where known_hosts is (the host key must be there); null: ~/.ssh of the user running the build. */
    public CheckoutRequest sshDir(String v) {
        sshDir = v;
        return this;
    }

    public String url() {
        return url;
    }

    public String ref() {
        return ref;
    }

    public UsernamePassword password() {
        return password;
    }

    public SshKey sshKey() {
        return sshKey;
    }

    public String sshDir() {
        return sshDir;
    }
}
