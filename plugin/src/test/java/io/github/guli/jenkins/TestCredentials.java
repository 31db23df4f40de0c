package io.github.guli.jenkins;

import com.cloudbees.plugins.credentials.CredentialsDescriptor;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.util.Secret;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;

/**
 * Credentials of the test's own: an ID and a description in the global scope, with no descriptor since no Jenkins
 * is behind them. A subclass's simple name is what CredentialsLookup's type errors show.
 */
class TestCredentials implements StandardCredentials {
    private final String id;
    private final String description;

    /** Username/password credentials as Jenkins hands them out (the stand-in Secret cannot hold one: stubbed). */
    static StandardUsernamePasswordCredentials login(String username, String password) {
        Secret secret = org.mockito.Mockito.mock(Secret.class);
        org.mockito.Mockito.when(secret.getPlainText()).thenReturn(password);
        StandardUsernamePasswordCredentials c = org.mockito.Mockito.mock(StandardUsernamePasswordCredentials.class);
        org.mockito.Mockito.when(c.getUsername()).thenReturn(username);
        org.mockito.Mockito.when(c.getPassword()).thenReturn(secret);
        return c;
    }

    TestCredentials(String id, String description) {
        this.id = id;
        this.description = description;
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public String getDescription() {
        return description;
    }

    @Override
    public CredentialsScope getScope() {
        return CredentialsScope.GLOBAL;
    }

    @Override
    public CredentialsDescriptor getDescriptor() {
        return null;
    }

    /** A "Secret file" credential holding the given text. */
    static class SecretFile extends TestCredentials implements FileCredentials {
        private final String fileName;
        private final String content;

        SecretFile(String id, String fileName, String content) {
            super(id, fileName);
            this.fileName = fileName;
            this.content = content;
        }

        @Override
        public String getFileName() {
            return fileName;
        }

        @Override
        public InputStream getContent() {
            return new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8));
        }
    }
}
