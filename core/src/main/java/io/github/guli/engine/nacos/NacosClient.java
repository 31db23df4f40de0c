package io.github.guli.engine.nacos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.UsernamePassword;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The Nacos open API's configuration calls ({@code /v1/cs/configs}, {@code /v1/cs/history}) for one namespace of one
 * server. With credentials it logs in ({@code /v1/auth/login}, both sent in the form body) and sends the token in the
 * {@code Authorization: Bearer} header, which Nacos reads from 1.4 on; neither ever goes in a URL.
 */
public final class NacosClient {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Nacos' own default content limit is 10 MB; an answer above this is not a configuration. */
    static final int MAX_ANSWER = 16 * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String base;
    private final UsernamePassword credentials;
    private final String namespace;
    private final HttpClient http;
    private final Duration timeout;
    private String token;

    /**
     * {@code url} is the server ({@code http://host:8848}, then the context path {@code /nacos} is added) or the
     * server with its context path; {@code credentials} null for a server without auth; {@code namespace} blank for
     * the default one.
     */
    public NacosClient(String url, UsernamePassword credentials, String namespace) {
        this(url, credentials, namespace, REQUEST_TIMEOUT);
    }

    NacosClient(String url, UsernamePassword credentials, String namespace, Duration timeout) {
        this.timeout = timeout;
        this.base = base(url);
        this.credentials = credentials;
        this.namespace = NacosNames.namespace(namespace);
        this.http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    static String base(String url) {
        if (url == null || url.isBlank()) {
            throw new GuliException("no Nacos URL: give the environment's Nacos server, e.g. http://nacos:8848");
        }
        String u = url.trim();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        URI uri;
        try {
            uri = new URI(u);
        } catch (java.net.URISyntaxException e) {
            throw new GuliException(
                    "the Nacos URL '" + shown(url) + "' is not a URL: give e.g. " + "http://nacos:8848");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new GuliException("the Nacos URL '" + shown(url) + "' must be http:// or https:// "
                    + "and name a host, e.g. http://nacos:8848");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new GuliException("the Nacos URL must not carry a user, password, query or fragment: give the "
                    + "credentials separately (a URL shows up in logs)");
        }
        return uri.getRawPath() == null || uri.getRawPath().isEmpty() ? u + "/nacos" : u;
    }

    /** A URL as an error may show it: what comes before an {@code @} may be a password. */
    private static String shown(String url) {
        return NacosNames.printable(url.substring(url.lastIndexOf('@') + 1));
    }

    /** The server as the messages name it. */
    public String url() {
        return base;
    }

    public String namespace() {
        return namespace;
    }

    /** The configuration, or empty when Nacos has none (404). */
    public Optional<NacosConfig> get(String group, String dataId) {
        Reply r = send("GET", "/v1/cs/configs", key(group, dataId), null);
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        expectOk(r, "read " + dataId);
        String type = r.headers().firstValue("Config-Type").orElse("text");
        return Optional.of(new NacosConfig(r.body(), type));
    }

    /**
     * Publishes (creates or replaces) the configuration. With {@code casMd5}, Nacos replaces it only while its content
     * still has that MD5 (a configuration that does not exist is created either way).
     */
    public void publish(String group, String dataId, NacosConfig config, String casMd5) {
        if (config.content().isBlank()) {
            throw new GuliException("the content of " + dataId + " is empty: Nacos refuses empty content");
        }
        Map<String, String> form = key(group, dataId);
        form.put("content", config.content());
        form.put("type", config.type());
        Reply r = send("POST", "/v1/cs/configs", form, casMd5);
        if (r.statusCode() == 500 && casMd5 != null && r.body().strip().equals("false")) {
            throw new GuliException("Nacos at " + base + " did not publish " + dataId + ": its content changed in "
                    + "Nacos since it was read (someone published it meanwhile); look at the diff again and re-run");
        }
        expectOk(r, "publish " + dataId);
        if (!r.body().strip().equals("true")) {
            throw new GuliException("Nacos at " + base + " did not publish " + dataId + " (it answered '"
                    + NacosNames.printable(r.body().strip()) + "'): see the Nacos server's log");
        }
    }

    public void delete(String group, String dataId) {
        Reply r = send("DELETE", "/v1/cs/configs", key(group, dataId), null);
        expectOk(r, "delete " + dataId);
    }

    /** The configuration's history, newest first (the first 100 entries). */
    public List<HistoryEntry> history(String group, String dataId) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("search", "accurate");
        q.putAll(key(group, dataId));
        q.put("pageNo", "1");
        q.put("pageSize", "100");
        Reply r = send("GET", "/v1/cs/history", q, null);
        expectOk(r, "read the history of " + dataId);
        List<HistoryEntry> entries = new ArrayList<>();
        for (JsonNode item : json(r, dataId).path("pageItems")) {
            entries.add(new HistoryEntry(
                    item.path("id").asLong(),
                    item.path("opType").asText("").strip(),
                    item.path("lastModifiedTime").asLong()));
        }
        return entries;
    }

    /** The content one history entry recorded. */
    public String historyContent(String group, String dataId, long id) {
        Map<String, String> q = key(group, dataId);
        q.put("nid", Long.toString(id));
        Reply r = send("GET", "/v1/cs/history", q, null);
        expectOk(r, "read history entry " + id + " of " + dataId);
        JsonNode item = json(r, dataId);
        if (!item.hasNonNull("content")) {
            throw new GuliException("Nacos at " + base + " has no history entry " + id + " of " + dataId);
        }
        return item.path("content").asText();
    }

    private Map<String, String> key(String group, String dataId) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("dataId", NacosNames.dataId(dataId));
        m.put("group", NacosNames.group(group));
        if (!namespace.isEmpty()) {
            m.put("tenant", namespace);
        }
        return m;
    }

    private Reply send(String method, String path, Map<String, String> params, String casMd5) {
        boolean fresh = false;
        if (credentials != null && token == null) {
            login();
            fresh = true;
        }
        Reply r = once(method, path, params, casMd5);
        if (r.statusCode() == 403 && credentials != null && !fresh) {
            login(); // the token may have expired since
            fresh = true;
            r = once(method, path, params, casMd5);
        }
        if (r.statusCode() == 403) {
            throw new GuliException(
                    credentials == null
                            ? "Nacos at " + base + " refused the request (HTTP 403" + says(r)
                                    + "): it requires a login; " + "give the environment's Nacos username and password"
                            : "Nacos at " + base + " refused user '" + credentials.username() + "' (HTTP 403" + says(r)
                                    + "): give that user read and write permission on namespace '" + shownNamespace()
                                    + "' in Nacos (Authority Control), or use credentials that have it");
        }
        return r;
    }

    private Reply once(String method, String path, Map<String, String> params, String casMd5) {
        String encoded = form(params);
        boolean inBody = method.equals("POST");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path + (inBody ? "" : "?" + encoded)))
                .timeout(timeout)
                .method(
                        method,
                        inBody
                                ? HttpRequest.BodyPublishers.ofString(encoded, StandardCharsets.UTF_8)
                                : HttpRequest.BodyPublishers.noBody());
        if (inBody) {
            b.header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (casMd5 != null) {
            b.header("casMd5", casMd5);
        }
        return exchange(b.build());
    }

    private void login() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("username", credentials.username());
        form.put("password", credentials.password());
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/auth/login"))
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(form(form), StandardCharsets.UTF_8))
                .build();
        Reply r = exchange(request);
        if (r.statusCode() == 401 || r.statusCode() == 403) {
            throw new GuliException("Nacos at " + base + " refused the login of user '" + credentials.username()
                    + "' (HTTP " + r.statusCode() + says(r) + "): the username or password is wrong; fix the "
                    + "environment's Nacos credentials");
        }
        expectOk(r, "log in");
        String t = json(r, "the login").path("accessToken").asText("");
        if (t.isEmpty()) {
            throw new GuliException("Nacos at " + base + " answered the login of user '" + credentials.username()
                    + "' without an accessToken: is " + base + " a Nacos server (and its context path right)?");
        }
        token = t;
    }

    private Reply exchange(HttpRequest request) {
        try {
            HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            String body;
            try (InputStream in = r.body()) {
                byte[] bytes = in.readNBytes(MAX_ANSWER + 1);
                if (bytes.length > MAX_ANSWER) {
                    throw new GuliException("Nacos at " + base + " answered " + request.method() + " "
                            + request.uri().getRawPath() + " with more than " + MAX_ANSWER / (1024 * 1024) + " MiB: "
                            + "is the URL that of a Nacos server?");
                }
                body = new String(bytes, StandardCharsets.UTF_8);
            }
            return new Reply(r.statusCode(), r.headers(), body);
        } catch (HttpConnectTimeoutException | ConnectException | UnresolvedAddressException e) {
            throw new GuliException(
                    "cannot reach Nacos at " + base + " (" + describe(e) + "): is it running, and is "
                            + "the environment's Nacos URL right?",
                    e);
        } catch (HttpTimeoutException e) {
            throw new GuliException(
                    "Nacos at " + base + " did not answer within " + timeout.toSeconds()
                            + " s: is the server overloaded, or the URL that of something else?",
                    e);
        } catch (IOException e) {
            throw new GuliException("cannot talk to Nacos at " + base + " (" + describe(e) + "): is the URL right?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GuliException("interrupted while waiting for Nacos at " + base, e);
        }
    }

    private void expectOk(Reply r, String what) {
        if (r.statusCode() == 200) {
            return;
        }
        String hint = r.statusCode() == 400
                ? ": Nacos refused a parameter (the namespace, group or dataId)"
                : r.statusCode() == 404 ? ": is the context path right (the URL usually ends in /nacos)?" : "";
        throw new GuliException(
                "Nacos at " + base + " could not " + what + " (HTTP " + r.statusCode() + says(r) + ")" + hint);
    }

    private JsonNode json(Reply r, String what) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new GuliException("Nacos at " + base + " answered " + what + " with something that is not JSON: is "
                    + "the URL that of a Nacos server?");
        }
    }

    private String shownNamespace() {
        return namespace.isEmpty() ? "public" : namespace;
    }

    private static String says(Reply r) {
        String body = r.body().strip();
        if (body.isEmpty()) {
            return "";
        }
        String shown = NacosNames.printable(body.length() > 200 ? body.substring(0, 200) : body);
        return ", Nacos says: " + shown;
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String form(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** An answer with its body read (bounded). */
    private record Reply(int statusCode, HttpHeaders headers, String body) {}
}
