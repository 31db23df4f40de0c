package io.github.guli.jenkins;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.AbortException;
import hudson.model.Run;
import io.github.guli.engine.UsernamePassword;

/**
 * Credentials are looked up for the run that uses them (so folder credentials and the run's authentication
 * apply), tracked on it, and turned into the engine's value type on the controller.
 */
final class CredentialsLookup {
    private CredentialsLookup() {
    }

    /** The username/password credentials {@code id}, or null when no ID is given. */
    static UsernamePassword usernamePassword(String id, Run<?, ?> run, String purpose) throws AbortException {
        if (id == null) {
            return null;
        }
        StandardUsernamePasswordCredentials c =
                CredentialsProvider.findCredentialById(id, StandardUsernamePasswordCredentials.class, run);
        if (c == null) {
            StandardCredentials other = CredentialsProvider.findCredentialById(id, StandardCredentials.class, run);
            if (other != null) {
                throw new AbortException("credentials '" + id + "' (" + purpose + ") are a " + typeName(other)
                        + ", but a 'Username with password' is needed: pick other credentials or recreate them");
            }
            throw new AbortException("no credentials with ID '" + id + "' (" + purpose + ") are visible to this build: "
                    + "add 'Username with password' credentials with that ID in Manage Jenkins > Credentials (or in "
                    + "the job's folder), or fix the ID");
        }
        CredentialsProvider.track(run, c);
        return new UsernamePassword(c.getUsername(), c.getPassword().getPlainText());
    }

    private static String typeName(StandardCredentials c) {
        String n = c.getClass().getSimpleName();
        return n.endsWith("Impl") ? n.substring(0, n.length() - 4) : n;
    }
}
