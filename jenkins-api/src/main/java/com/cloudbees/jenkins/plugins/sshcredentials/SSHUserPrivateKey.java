package com.cloudbees.jenkins.plugins.sshcredentials;

import hudson.util.Secret;
import java.util.List;

public interface SSHUserPrivateKey extends SSHUser {
    @Deprecated
    default String getPrivateKey() {
        throw new UnsupportedOperationException();
    }

    Secret getPassphrase();

    List<String> getPrivateKeys();
}
