package io.github.guli.engine.sonar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The few SonarQube Web API calls guli needs. The token travels in the Authorization header (as the user name of
 * HTTP Basic, which SonarQube 9.9 and every later version accept), never in a URL.
 */
public final class SonarServer {
    /** The server could not be reached or answered 5xx: worth another try while waiting for a gate. */
    public static final class Unavailable extends GuliException {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String url;
    private final String authorization;
    private final HttpClient http;

    public SonarServer(String url, String token) {
        this.url = normalize(url);
        this.authorization = token == null || token.isEmpty()
                ? null
                : "Basic " + Base64.getEncoder().encodeToString((token + ":").getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    static String normalize(String url) {
        String u = url.trim();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        if (!u.startsWith("http://") && !u.startsWith("https://")) {
            throw new GuliException("the SonarQube URL '" + url + "' must start with http:// or https://");
        }
        if (URI.create(u).getUserInfo() != null) {
            throw new GuliException("the SonarQube URL carries a user or password: remove it and give a token "
                    + "through a credentials ID (it would otherwise show up in logs)");
        }
        return u;
    }

    public String url() {
        return url;
    }

    /** The project's dashboard on this server: the link a build page shows, made from trusted values only. */
    public String dashboard(String projectKey) {
        return url + "/dashboard?id=" + enc(projectKey);
    }

    /** The server's version; fails with {@link Unavailable} when it cannot be reached. */
    public String version() {
        return get("api/server/version", false).asText().trim();
    }

    /** Fails with a clear message unless the token is accepted (a wrong token is not refused by every call). */
    public void checkToken() {
        if (authorization == null) {
            return;
        }
        JsonNode v = get("api/authentication/validate", true);
        if (!v.path("valid").asBoolean(false)) {
            throw rejected();
        }
    }

    /** The edition: community, developer, enterprise or datacenter ("" when the server does not say). */
    public String edition() {
        return get("api/navigation/global", true).path("edition").asText("");
    }

    /** {@code api/ce/task?id=}: the background task that processes an analysis report. */
    public JsonNode ceTask(String taskId) {
        return get("api/ce/task?id=" + enc(taskId), true).path("task");
    }

    /** {@code api/qualitygates/project_status?analysisId=}. */
    public JsonNode projectStatus(String analysisId) {
        return get("api/qualitygates/project_status?analysisId=" + enc(analysisId), true)
                .path("projectStatus");
    }

    /** The revision (commit) SonarQube recorded for an analysis of the project, or "" when it knows none. */
    public String analysisRevision(String projectKey, String analysisId) {
        JsonNode analyses = get("api/project_analyses/search?ps=100&project=" + enc(projectKey), true)
                .path("analyses");
        for (JsonNode a : analyses) {
            if (a.path("key").asText().equals(analysisId)) {
                return a.path("revision").asText("");
            }
        }
        return "";
    }

    /** Metric keys to their display names ({@code new_bugs} to "New Bugs"). */
    public Map<String, String> metricNames() {
        Map<String, String> names = new HashMap<>();
        for (JsonNode m : get("api/metrics/search?ps=500", true).path("metrics")) {
            names.put(m.path("key").asText(), m.path("name").asText());
        }
        return names;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private GuliException rejected() {
        return new GuliException("SonarQube at " + url + " rejected the token (HTTP 401): it is wrong, expired or "
                + "revoked; generate a new one (My Account > Security) and update the secret text credentials");
    }

    JsonNode get(String path, boolean authenticated) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + "/" + path))
                .timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json")
                .GET();
        if (authenticated && authorization != null) {
            b.header("Authorization", authorization);
        }
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException | HttpConnectTimeoutException | UnresolvedAddressException e) {
            throw new Unavailable(
                    "cannot reach SonarQube at " + url + " (" + describe(e) + "): is it running, and is "
                            + "the URL right? (the machine that asks must reach it: the agent for an analysis, the controller "
                            + "for guliQualityGate)",
                    e);
        } catch (HttpTimeoutException e) {
            throw new Unavailable("SonarQube at " + url + " did not answer within 60 s", e);
        } catch (IOException e) {
            throw new Unavailable("cannot reach SonarQube at " + url + " (" + describe(e) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GuliException("interrupted while talking to SonarQube at " + url, e);
        }
        int s = r.statusCode();
        if (s == 401) {
            if (authorization == null) {
                throw new GuliException("SonarQube at " + url + " requires authentication (HTTP 401): give a token "
                        + "(secret text credentials ID)");
            }
            throw rejected();
        }
        if (s == 403) {
            throw new GuliException(
                    "SonarQube at " + url + " refused " + path.replaceFirst("\\?.*", "") + " (HTTP 403): "
                            + "the token's user lacks the permission (Browse on the project, or Execute Analysis)");
        }
        if (s >= 500) {
            throw new Unavailable(
                    "SonarQube at " + url + " answered HTTP " + s + " to " + path.replaceFirst("\\?.*", ""), null);
        }
        if (s == 404) {
            throw new GuliException("SonarQube at " + url + " has no " + path + " (HTTP 404)" + errors(r.body()));
        }
        if (s != 200) {
            throw new GuliException("SonarQube at " + url + " answered HTTP " + s + " to "
                    + path.replaceFirst("\\?.*", "") + errors(r.body()));
        }
        String body = r.body();
        try {
            return path.startsWith("api/server/version") ? JSON.getNodeFactory().textNode(body) : JSON.readTree(body);
        } catch (IOException e) {
            throw new GuliException(
                    "SonarQube at " + url + " answered " + path.replaceFirst("\\?.*", "")
                            + " with something that is not JSON: is the URL that of a SonarQube server?",
                    e);
        }
    }

    private static String errors(String body) {
        try {
            StringBuilder s = new StringBuilder();
            for (JsonNode e : JSON.readTree(body).path("errors")) {
                s.append(s.length() == 0 ? ": " : "; ").append(e.path("msg").asText());
            }
            return s.toString();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** "connection refused", "unknown host", or the first message the exception chain has. */
    private static String describe(Throwable e) {
        if (e instanceof UnresolvedAddressException) {
            return "unknown host";
        }
        if (e instanceof HttpConnectTimeoutException) {
            return "connection timed out";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (!Blank.isBlank(t.getMessage())) {
                return t.getMessage();
            }
        }
        return e instanceof ConnectException
                ? "connection refused"
                : e.getClass().getSimpleName();
    }
}
