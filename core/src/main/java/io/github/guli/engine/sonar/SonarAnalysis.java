package io.github.guli.engine.sonar;

import java.io.Serializable;
import java.util.Objects;

/**
 * A SonarQube analysis to run after the Maven build, with {@code sonar-maven-plugin}. The token reaches the
 * scanner only through the environment variable {@code SONAR_TOKEN}, never a command-line argument.
 *
 * @param serverUrl the SonarQube server, e.g. {@code http://sonar.example.com:9000}
 * @param token a user token (secret text); may be null for a server that allows anonymous analysis
 * @param projectKey null: the module's own {@code sonar.projectKey} property, else {@code groupId:artifactId}
 * @param projectName null: the module's artifactId
 * @param branch the branch analysed; passed only to a server with branch analysis (not Community Edition)
 * @param scannerVersion the sonar-maven-plugin version; null: {@link #DEFAULT_SCANNER_VERSION}
 */
public record SonarAnalysis(
        String serverUrl, String token, String projectKey, String projectName, String branch, String scannerVersion)
        implements Serializable {
    /** Tested against SonarQube 9.9.8 (it reads the token from SONAR_TOKEN). */
    public static final String DEFAULT_SCANNER_VERSION = "5.8.0.7211";

    public SonarAnalysis {
        Objects.requireNonNull(serverUrl, "serverUrl");
    }

    public String scanner() {
        return "org.sonarsource.scanner.maven:sonar-maven-plugin:"
                + (scannerVersion == null ? DEFAULT_SCANNER_VERSION : scannerVersion) + ":sonar";
    }

    @Override
    public String toString() {
        return "SonarAnalysis[" + serverUrl + ", project " + projectKey + ", branch " + branch + ", token "
                + (token == null ? "none" : "****") + "]";
    }
}
