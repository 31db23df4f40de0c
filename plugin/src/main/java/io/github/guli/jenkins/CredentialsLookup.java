package io.github.guli.jenkins;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.model.Run;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.SecretFile;
import io.github.guli.engine.SshKey;
import io.github.guli.engine.UsernamePassword;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * Credentials are looked up for the run that uses them (so folder credentials and the run's authentication
 * apply), tracked on it, and turned into the engine's value type on the controller.
 */
final class CredentialsLookup {
    /** Where credentials come from: Jenkins' credentials store, or a test's. */
    interface Store {
        <C extends IdCredentials> C find(String id, Class<C> type, Run<?, ?> run);

        void track(Run<?, ?> run, Credentials credentials);
    }

    static final Store JENKINS = new Store() {
        @Override
        public <C extends IdCredentials> C find(String id, Class<C> type, Run<?, ?> run) {
            return CredentialsProvider.findCredentialById(id, type, run);
        }

        @Override
        public void track(Run<?, ?> run, Credentials credentials) {
            CredentialsProvider.track(run, credentials);
        }
    };

    private final Store store;
    private final Set<String> secrets = new LinkedHashSet<>();

    CredentialsLookup(Store store) {
        this.store = store;
    }

    /** Every secret this lookup handed out (passwords, tokens, keys, those inside secret files): to mask. */
    Set<String> secrets() {
        return new LinkedHashSet<>(secrets);
    }

    private <V> V secret(V value, String... masked) {
        for (String m : masked) {
            if (m != null) {
                secrets.add(m);
            }
        }
        return value;
    }

    /**
     * The username/password credentials {@code id}, or null when no ID is given.
     *
     * @throws GuliException naming the ID and the type needed when there are none such for this run
     */
    UsernamePassword usernamePassword(String id, Run<?, ?> run, String purpose) {
        StandardUsernamePasswordCredentials c =
                find(id, StandardUsernamePasswordCredentials.class, run, purpose, "Username with password");
        return c == null
                ? null
                : secret(
                        new UsernamePassword(c.getUsername(), c.getPassword().getPlainText()),
                        c.getPassword().getPlainText());
    }

    /** The secret of "Secret text" credentials {@code id} (a SonarQube token), or null when no ID is given. */
    String secretText(String id, Run<?, ?> run, String purpose) {
        StringCredentials c = find(id, StringCredentials.class, run, purpose, "Secret text");
        return c == null
                ? null
                : secret(c.getSecret().getPlainText(), c.getSecret().getPlainText());
    }

    /** The content of "Secret file" credentials {@code id} (a Maven settings.xml), or null when no ID is given. */
    SecretFile secretFile(String id, Run<?, ?> run, String purpose) {
        FileCredentials c = find(id, FileCredentials.class, run, purpose, "Secret file");
        if (c == null) {
            return null;
        }
        try (InputStream in = c.getContent()) {
            byte[] content = in.readAllBytes();
            return secret(
                    new SecretFile("credentials '" + id + "'", content),
                    MaskingOutputStream.secretsIn(new String(content, StandardCharsets.UTF_8))
                            .toArray(String[]::new));
        } catch (IOException e) {
            throw new GuliException(
                    "cannot read the secret file of credentials '" + id + "' (" + purpose + "): " + e.getMessage(), e);
        }
    }

    /** "SSH Username with private key" credentials {@code id}, or null when no ID is given. */
    SshKey sshKey(String id, Run<?, ?> run, String purpose) {
        SSHUserPrivateKey c = find(id, SSHUserPrivateKey.class, run, purpose, "SSH Username with private key");
        if (c == null) {
            return null;
        }
        List<String> keys = c.getPrivateKeys();
        if (keys.isEmpty()) {
            throw new GuliException("credentials '" + id + "' (" + purpose + ") hold no private key");
        }
        String passphrase = c.getPassphrase() == null ? null : c.getPassphrase().getPlainText();
        return secret(new SshKey(c.getUsername(), keys.get(0), passphrase), keys.get(0), passphrase);
    }

    private <C extends IdCredentials> C find(String id, Class<C> type, Run<?, ?> run, String purpose, String typeName) {
        if (id == null) {
            return null;
        }
        C c = store.find(id, type, run);
        if (c == null) {
            StandardCredentials other = store.find(id, StandardCredentials.class, run);
            if (other != null) {
                throw new GuliException("credentials '" + id + "' (" + purpose + ") are " + typeName(other) + ", but '"
                        + typeName + "' is needed: pick other credentials or recreate them");
            }
            throw new GuliException("no credentials with ID '" + id + "' (" + purpose + ") are visible to this build: "
                    + "add '" + typeName + "' credentials with that ID in Manage Jenkins > Credentials (or in "
                    + "the job's folder), or fix the ID");
        }
        store.track(run, c);
        return c;
    }

    /**
     * The text of a "Secret file" or "Secret text" credential {@code id} (a kubeconfig, say), or null when no ID is
     * given. Read into memory on the controller; it is never written to a file.
     *
     * @throws GuliException naming the ID and the types needed when there are none such for this run
     */
    String fileOrSecretText(String id, Run<?, ?> run, String purpose) {
        if (id == null) {
            return null;
        }
        FileCredentials file = store.find(id, FileCredentials.class, run);
        StringCredentials text = file == null ? store.find(id, StringCredentials.class, run) : null;
        if (file == null && text == null) {
            StandardCredentials other = store.find(id, StandardCredentials.class, run);
            if (other != null) {
                throw new GuliException("credentials '" + id + "' (" + purpose + ") are " + typeName(other)
                        + ", but 'Secret file' or 'Secret text' is needed: store the " + purpose + " as a secret file "
                        + "(or its text as secret text) under that ID");
            }
            throw new GuliException("no credentials with ID '" + id + "' (" + purpose + ") are visible to this build: "
                    + "add 'Secret file' (or 'Secret text') credentials holding the " + purpose + " with that ID in "
                    + "Manage Jenkins > Credentials (or in the job's folder), or fix the ID");
        }
        store.track(run, file != null ? file : text);
        if (text != null) {
            String t = text.getSecret().getPlainText();
            return secret(t, MaskingOutputStream.secretsIn(t).toArray(String[]::new));
        }
        try (InputStream in = file.getContent()) {
            String t = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return secret(t, MaskingOutputStream.secretsIn(t).toArray(String[]::new));
        } catch (IOException e) {
            throw new GuliException(
                    "cannot read the secret file of credentials '" + id + "' (" + purpose + "): " + e.getMessage());
        }
    }

    private static String typeName(StandardCredentials c) {
        String n = c.getClass().getSimpleName();
        return "of type " + (n.endsWith("Impl") ? n.substring(0, n.length() - 4) : n);
    }
}
