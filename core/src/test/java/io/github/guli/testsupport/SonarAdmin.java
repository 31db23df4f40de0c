package io.github.guli.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Sets the test SonarQube up through its Web API, as its admin: quality gates with conditions, projects, and the
 * background task queue. Every name it makes is unique, so tests never see each other's.
 */
public final class SonarAdmin {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String url = TestServices.sonarUrl();
    private final String auth = "Basic "
            + Base64.getEncoder()
                    .encodeToString(("admin:" + TestServices.sonarAdminPassword()).getBytes(StandardCharsets.UTF_8));
    private final HttpClient http = HttpClient.newHttpClient();

    public String url() {
        return url;
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a quality gate with one condition on an overall metric, e.g. ("bugs", "GT", "0"). */
    public String createGate(String name, String metric, String op, String error) {
        post("api/qualitygates/create", Map.of("name", name));
        post("api/qualitygates/create_condition", Map.of("gateName", name, "metric", metric, "op", op, "error", error));
        return name;
    }

    public void createProject(String key, String name) {
        post("api/projects/create", Map.of("project", key, "name", name));
    }

    public void selectGate(String projectKey, String gateName) {
        post("api/qualitygates/select", Map.of("projectKey", projectKey, "gateName", gateName));
    }

    /** Submits a report that is not one (SonarQube accepts it, then its background task FAILS); returns the task ID. */
    public String submitBrokenReport(String projectKey) throws Exception {
        String boundary = "guli" + UUID.randomUUID();
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"projectKey\"\r\n\r\n" + projectKey
                + "\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"report\"; filename=\"report.zip\"\r\n"
                + "Content-Type: application/zip\r\n\r\nnot a report\r\n--" + boundary + "--\r\n";
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(url + "/api/ce/submit"))
                        .header("Authorization", auth)
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        check(r, "api/ce/submit");
        return JSON.readTree(r.body()).path("taskId").asText();
    }

    /** Stops the background workers from taking tasks (they stay PENDING) until {@link #resumeTasks()}. */
    public void pauseTasks() {
        post("api/ce/pause", Map.of());
    }

    public void resumeTasks() {
        post("api/ce/resume", Map.of());
    }

    public void cancelTask(String id) {
        post("api/ce/cancel", Map.of("id", id));
    }

    public JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(url + "/" + path))
                        .header("Authorization", auth)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        check(r, path);
        return JSON.readTree(r.body());
    }

    public void post(String path, Map<String, String> form) {
        String body = new LinkedHashMap<>(form)
                .entrySet().stream()
                        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                        .collect(Collectors.joining("&"));
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(url + "/" + path))
                            .header("Authorization", auth)
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            check(r, path);
        } catch (Exception e) {
            throw new IllegalStateException(path + ": " + e.getMessage(), e);
        }
    }

    private static void check(HttpResponse<String> r, String path) {
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("SonarQube " + path + " answered " + r.statusCode() + ": " + r.body());
        }
    }
}
