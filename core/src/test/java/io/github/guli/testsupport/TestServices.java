package io.github.guli.testsupport;

import io.github.guli.engine.UsernamePassword;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The local services the tests use, as test/services/start leaves them (test/services/env names them).
 * A service that is not there fails the test with the command that starts it: nothing is skipped.
 */
public final class TestServices {
    private static final Path STATE = Path.of(env("GULI_SERVICES_DIR", "/var/tmp/guli-services"));

    private TestServices() {}

    /** host:port of the Docker Distribution registry (htpasswd auth, plain HTTP on loopback). */
    public static String registry() {
        String r = env("GULI_TEST_REGISTRY", "127.0.0.1:5000");
        requireUp("registry", "http://" + r + "/v2/");
        return r;
    }

    public static UsernamePassword registryCredentials() {
        return new UsernamePassword(
                env("GULI_TEST_REGISTRY_USER", "guli"),
                read(env(
                        "GULI_TEST_REGISTRY_PASSWORD_FILE",
                        STATE.resolve("registry/password").toString())));
    }

    /** Base URL of the git smart-HTTP server (basic auth). */
    public static String gitUrl() {
        String u = env("GULI_TEST_GIT_URL", "http://127.0.0.1:8929");
        requireUp("git server", u + "/");
        return u;
    }

    public static UsernamePassword gitCredentials() {
        return new UsernamePassword(
                env("GULI_TEST_GIT_USER", "guli-git"),
                read(env(
                        "GULI_TEST_GIT_PASSWORD_FILE",
                        STATE.resolve("git/password").toString())));
    }

    /** Where the git server's bare repositories live on disk; a test creates its own there. */
    public static Path gitRoot() {
        return Path.of(env("GULI_TEST_GIT_ROOT", STATE.resolve("git/repos").toString()));
    }

    /** Base URL of SonarQube 9.9 (Community Edition, embedded database). */
    public static String sonarUrl() {
        String u = env("GULI_TEST_SONAR_URL", "http://127.0.0.1:9000");
        requireUp("SonarQube", u + "/api/system/status");
        return u;
    }

    /** A user token of the SonarQube admin (what a Jenkins secret text credential would hold). */
    public static String sonarToken() {
        return read(env(
                "GULI_TEST_SONAR_TOKEN_FILE", STATE.resolve("sonarqube/token").toString()));
    }

    /** The SonarQube admin's password, for setting up quality gates and projects through the Web API. */
    public static String sonarAdminPassword() {
        return read(env(
                "GULI_TEST_SONAR_ADMIN_PASSWORD_FILE",
                STATE.resolve("sonarqube/admin-password").toString()));
    }

    private static void requireUp(String name, String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setConnectTimeout(3000);
            c.getResponseCode();
        } catch (IOException e) {
            throw new IllegalStateException("the test " + name + " does not answer at " + url + " (" + e.getMessage()
                    + "): start the test services with test/services/start (bash test/run does it all)");
        }
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot read " + file + ": start the test services with test/services/start");
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
