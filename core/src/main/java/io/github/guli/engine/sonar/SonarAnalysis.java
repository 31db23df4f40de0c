package io.github.guli.engine.sonar;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A SonarQube analysis to run after the Maven build, with {@code sonar-maven-plugin}. The token reaches the
 * scanner only through the environment variable {@code SONAR_TOKEN}, never a command-line argument. Serializable:
 * it travels to the agent inside the build request. Unset values take the defaults noted on their setters.
 */
public final class SonarAnalysis implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Tested against SonarQube 9.9.8 (it reads the token from SONAR_TOKEN). */
    public static final String DEFAULT_SCANNER_VERSION = "5.8.0.7211";

    private String serverUrl;
    private String token;
    private String projectKey;
    private String projectName;
    private String branch;
    private String scannerVersion;
    private String cacheHome;
    private TreeMap<String, String> cacheDigests;

    /** The SonarQube server, e.g. {@code http://sonar.example.com:9000}. Required: null is refused. */
    public SonarAnalysis serverUrl(String v) {
        serverUrl = Objects.requireNonNull(v, "serverUrl");
        return this;
    }

    /** A user token (secret text); null (the default): a server that allows anonymous analysis. */
    public SonarAnalysis token(String v) {
        token = v;
        return this;
    }

    /** The project key; null: the module's own {@code sonar.projectKey} property, else its artifactId. */
    public SonarAnalysis projectKey(String v) {
        projectKey = v;
        return this;
    }

    /** The project's name; null: the module's artifactId. */
    public SonarAnalysis projectName(String v) {
        projectName = v;
        return this;
    }

    /** The branch analysed, passed only to a server with branch analysis (not Community Edition); null: none. */
    public SonarAnalysis branch(String v) {
        branch = v;
        return this;
    }

    /** The sonar-maven-plugin version; null: {@link #DEFAULT_SCANNER_VERSION}. */
    public SonarAnalysis scannerVersion(String v) {
        scannerVersion = v;
        return this;
    }

    /**
     * The scanner's user home kept between builds ({@link ScannerCache}), a folder outside the workspace; null (the
     * default): the scanner's own ({@code ~/.sonar}), unchecked.
     */
    public SonarAnalysis cacheHome(String v) {
        cacheHome = v;
        return this;
    }

    /** The SHA-256 of the kept files, recorded after the previous build where no build can write; null: none. */
    public SonarAnalysis cacheDigests(Map<String, String> v) {
        cacheDigests = v == null ? null : new TreeMap<>(v);
        return this;
    }

    public String cacheHome() {
        return cacheHome;
    }

    public Map<String, String> cacheDigests() {
        return cacheDigests;
    }

    public String serverUrl() {
        return serverUrl;
    }

    public String token() {
        return token;
    }

    public String projectKey() {
        return projectKey;
    }

    public String projectName() {
        return projectName;
    }

    public String branch() {
        return branch;
    }

    public String scannerVersion() {
        return scannerVersion;
    }

    /** The scanner's goal, as Maven takes it. */
    public String scanner() {
        return "org.sonarsource.scanner.maven:sonar-maven-plugin:"
                + (scannerVersion == null ? DEFAULT_SCANNER_VERSION : scannerVersion) + ":sonar";
    }

    /** Where the analysis goes, and whether there is a token: never the token itself. */
    @Override
    public String toString() {
        return "SonarAnalysis[" + serverUrl + ", project " + projectKey + ", branch " + branch + ", token "
                + (token == null ? "none" : "****") + "]";
    }
}
