package io.github.guli.jenkins;

import com.cloudbees.plugins.credentials.CredentialsDescriptor;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
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
