package io.github.guli.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The configuration part of the Nacos open API on loopback, written from the Nacos server's sources (3.x, with the
 * 1.4/2.x auth paths): {@code /nacos/v1/cs/configs} GET/POST/DELETE, {@code /nacos/v1/cs/history} (the accurate
 * search and one entry by nid), {@code /nacos/v1/auth/login}. It keeps the server's rules: a blank tenant is the
 * {@code public} namespace; dataId, group and tenant are letters, digits and {@code _-.:} (tenant at most 128); empty
 * content is refused; a missing configuration is 404; a {@code casMd5} header that no longer matches fails the publish
 * with 500 and {@code false}; history entries are written on insert (the new content), update and delete (the content
 * replaced). With auth on, a request without a valid token is 403, as is a login with a wrong password. Every request
 * is recorded, headers and body included, so tests can show where credentials went.
 */
public final class NacosStandIn implements AutoCloseable {
    /** One request as it arrived. */
    public record Request(String method, String path, String query, Map<String, List<String>> headers, String body) {
        /** Path and query: what would show up in an access log or a proxy's. */
        public String url() {
            return query == null ? path : path + "?" + query;
        }
    }

    private record Key(String tenant, String group, String dataId) {}

    private record Stored(long id, String content, String type, long modified) {}

    private record History(long nid, long id, Key key, String content, String type, String opType, long modified) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TYPES = Set.of("properties", "xml", "json", "text", "html", "yaml", "toml");
    private final HttpServer server;
    private final String username;
    private final String password;
    private final Map<Key, Stored> configs = new HashMap<>();
    private final List<History> history = new ArrayList<>();
    private final Map<String, Long> tokens = new HashMap<>();
    private final List<Request> requests = new ArrayList<>();
    private final Set<String> failingPublishes = new HashSet<>();
    private final SecureRandom random = new SecureRandom();
    private long tokenTtlSeconds = 18_000;
    private boolean writesDenied;
    private long nextId = 1;

    private NacosStandIn(String username, String password) throws IOException {
        this.username = username;
        this.password = password;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/nacos/", this::handle);
        server.start();
    }

    /** A server with auth off (Nacos' default). */
    public static NacosStandIn open() throws IOException {
        return new NacosStandIn(null, null);
    }

    /** A server with auth on and one user, a global admin. */
    public static NacosStandIn withAuth(String username, String password) throws IOException {
        return new NacosStandIn(username, password);
    }

    /** {@code http://127.0.0.1:PORT}, without the context path (clients add {@code /nacos}). */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Tokens issued from now on live this long. */
    public synchronized void tokenTtlSeconds(long seconds) {
        tokenTtlSeconds = seconds;
    }

    /** Every token issued so far expires now, as after its tokenTtl. */
    public synchronized void expireTokens() {
        tokens.replaceAll((t, until) -> 0L);
    }

    /** The user may read but not write (403 on publish and delete), as without the namespace's write permission. */
    public synchronized void denyWrites() {
        writesDenied = true;
    }

    /** The next publish of {@code dataId} answers 500 and changes nothing. */
    public synchronized void failNextPublishOf(String dataId) {
        failingPublishes.add(dataId);
    }

    /** What the namespace ({@code ""} for public) holds for the dataId, as a test sets it up or checks it. */
    public synchronized Optional<String> content(String tenant, String group, String dataId) {
        return Optional.ofNullable(configs.get(new Key(tenantOf(tenant), group, dataId)))
                .map(Stored::content);
    }

    public synchronized void put(String tenant, String group, String dataId, String content, String type) {
        write(new Key(tenantOf(tenant), group, dataId), content, type);
    }

    /** The history's operations for the dataId, newest first ("U", "I", ...). */
    public synchronized List<String> operations(String tenant, String group, String dataId) {
        Key key = new Key(tenantOf(tenant), group, dataId);
        List<String> ops = new ArrayList<>();
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).key().equals(key)) {
                ops.add(history.get(i).opType());
            }
        }
        return ops;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body;
            try (InputStream in = ex.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Answer a;
            synchronized (this) {
                requests.add(new Request(
                        ex.getRequestMethod(),
                        ex.getRequestURI().getRawPath(),
                        ex.getRequestURI().getRawQuery(),
                        new TreeMap<>(ex.getRequestHeaders()),
                        body));
                a = answer(ex, params(ex, body));
            }
            a.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    private record Answer(int status, String body, Map<String, String> headers) {
        Answer(int status, String body) {
            this(status, body, Map.of());
        }
    }

    /** The servlet's parameters: the query's, then a form body's (as Tomcat merges them for a form POST). */
    private static Map<String, String> params(HttpExchange ex, String body) {
        Map<String, String> p = new LinkedHashMap<>();
        decode(ex.getRequestURI().getRawQuery(), p);
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (ex.getRequestMethod().equals("POST")
                && type != null
                && type.startsWith("application/x-www-form-urlencoded")) {
            decode(body, p);
        }
        return p;
    }

    private static void decode(String raw, Map<String, String> into) {
        if (raw == null || raw.isEmpty()) {
            return;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            into.putIfAbsent(k, v);
        }
    }

    private Answer answer(HttpExchange ex, Map<String, String> p) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        if (method.equals("POST")
                && (path.equals("/nacos/v1/auth/login") || path.equals("/nacos/v1/auth/users/login"))) {
            return login(p);
        }
        boolean configs = path.equals("/nacos/v1/cs/configs");
        boolean historyPath = path.equals("/nacos/v1/cs/history");
        if (!configs && !historyPath) {
            return new Answer(404, "{\"status\":404,\"error\":\"Not Found\",\"path\":\"" + path + "\"}");
        }
        if (username != null) {
            String denied = identity(ex, p);
            if (denied != null) {
                return new Answer(403, denied);
            }
            if (writesDenied && (method.equals("POST") || method.equals("DELETE"))) {
                return new Answer(403, "authorization failed!");
            }
        }
        String tenant = p.getOrDefault("tenant", "");
        if (!tenant.isBlank() && (!valid(tenant.trim()) || tenant.length() > 128)) {
            return new Answer(400, tenant.length() > 128 ? "too long tenant, over 128" : "invalid tenant");
        }
        if (p.get("dataId") == null || p.get("group") == null) {
            return new Answer(
                    400,
                    "Required request parameter '" + (p.get("dataId") == null ? "dataId" : "group")
                            + "' is not present");
        }
        Key key = new Key(tenantOf(tenant), p.get("group"), p.get("dataId"));
        if (historyPath) {
            return p.containsKey("nid") ? historyEntry(key, p.get("nid")) : historyPage(key, p);
        }
        String invalid = invalidKey(key);
        if (invalid != null) {
            return new Answer(400, "{\"code\":400,\"message\":\"" + invalid + "\",\"data\":null}");
        }
        return switch (method) {
            case "GET" -> get(key);
            case "POST" -> publish(ex, key, p);
            case "DELETE" -> delete(key);
            default -> new Answer(405, "Request method '" + method + "' is not supported");
        };
    }

    private Answer login(Map<String, String> p) {
        if (username == null || !username.equals(p.get("username")) || !password.equals(p.get("password"))) {
            return new Answer(403, "unknown user!");
        }
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        tokens.put(token, System.currentTimeMillis() + tokenTtlSeconds * 1000);
        ObjectNode o = JSON.createObjectNode();
        o.put("accessToken", token);
        o.put("tokenTtl", tokenTtlSeconds);
        o.put("globalAdmin", true);
        o.put("username", username);
        return new Answer(200, o.toString(), Map.of("Authorization", "Bearer " + token));
    }

    /** Null when the request carries a valid identity (as the auth filter reads it), else the server's reason. */
    private String identity(HttpExchange ex, Map<String, String> p) {
        String bearer = ex.getRequestHeaders().getFirst("Authorization");
        String token = bearer != null && bearer.startsWith("Bearer ") ? bearer.substring(7) : null;
        if (token == null) {
            token = ex.getRequestHeaders().getFirst("accessToken");
        }
        if (token == null) {
            token = p.get("accessToken");
        }
        if (token == null) {
            return username.equals(p.get("username")) && password.equals(p.get("password")) ? null : "user not found!";
        }
        Long until = tokens.get(token);
        if (until == null) {
            return "token invalid!";
        }
        return until < System.currentTimeMillis() ? "token expired!" : null;
    }

    private Answer get(Key key) {
        Stored s = configs.get(key);
        if (s == null) {
            return new Answer(404, "config data not exist\n");
        }
        return new Answer(
                200,
                s.content(),
                Map.of(
                        "Config-Type",
                        s.type(),
                        "Content-MD5",
                        md5(s.content()),
                        "Content-Type",
                        "text/plain;charset=UTF-8"));
    }

    private Answer publish(HttpExchange ex, Key key, Map<String, String> p) {
        String content = p.get("content");
        if (content == null || content.isBlank()) {
            return new Answer(400, "{\"code\":400,\"message\":\"content is blank : " + content + "\",\"data\":null}");
        }
        if (key.dataId().length() > 255) {
            return new Answer(500, "value too long for column data_id varchar(255)");
        }
        if (failingPublishes.remove(key.dataId())) {
            return new Answer(500, "false");
        }
        String cas = ex.getRequestHeaders().getFirst("casMd5");
        Stored old = configs.get(key);
        if (cas != null && !cas.isBlank() && old != null && !md5(old.content()).equals(cas)) {
            return new Answer(500, "false");
        }
        String type = TYPES.contains(p.get("type")) ? p.get("type") : "text";
        write(key, content, type);
        return new Answer(200, "true");
    }

    private void write(Key key, String content, String type) {
        Stored old = configs.get(key);
        long now = System.currentTimeMillis();
        if (old == null) {
            Stored s = new Stored(nextId++, content, type, now);
            configs.put(key, s);
            history.add(new History(nextId++, s.id(), key, content, type, "I", now));
        } else {
            configs.put(key, new Stored(old.id(), content, type, now));
            history.add(new History(nextId++, old.id(), key, old.content(), old.type(), "U", now));
        }
    }

    private Answer delete(Key key) {
        Stored old = configs.remove(key);
        if (old != null) {
            history.add(
                    new History(nextId++, old.id(), key, old.content(), old.type(), "D", System.currentTimeMillis()));
        }
        return new Answer(200, "true");
    }

    private Answer historyPage(Key key, Map<String, String> p) {
        if (!"accurate".equals(p.get("search"))) {
            return new Answer(400, "Required request parameter 'nid' is not present");
        }
        int pageNo = Integer.parseInt(p.getOrDefault("pageNo", "1"));
        int pageSize = Math.min(500, Integer.parseInt(p.getOrDefault("pageSize", "100")));
        List<History> matching = new ArrayList<>();
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).key().equals(key)) {
                matching.add(history.get(i));
            }
        }
        ObjectNode page = JSON.createObjectNode();
        page.put("totalCount", matching.size());
        page.put("pageNumber", pageNo);
        page.put("pagesAvailable", (matching.size() + pageSize - 1) / pageSize);
        ArrayNode items = page.putArray("pageItems");
        matching.stream()
                .skip((long) (pageNo - 1) * pageSize)
                .limit(pageSize)
                .forEach(h -> items.add(historyJson(h, false)));
        return new Answer(200, page.toString(), Map.of("Content-Type", "application/json"));
    }

    private Answer historyEntry(Key key, String nid) {
        for (History h : history) {
            if (Long.toString(h.nid()).equals(nid)) {
                return h.key().equals(key)
                        ? new Answer(200, historyJson(h, true).toString(), Map.of("Content-Type", "application/json"))
                        : new Answer(403, "Please check dataId, group or namespaceId.");
            }
        }
        return new Answer(200, "");
    }

    /** As ConfigHistoryInfo serialises: the id as a string; the list has no content or md5, the detail has both. */
    private static ObjectNode historyJson(History h, boolean detail) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", Long.toString(h.nid()));
        o.put("lastId", -1);
        o.put("dataId", h.key().dataId());
        o.put("group", h.key().group());
        o.put("tenant", h.key().tenant());
        o.putNull("appName");
        o.put("md5", detail ? md5(h.content()) : null);
        o.put("content", detail ? h.content() : null);
        o.put("srcIp", "127.0.0.1");
        o.put("opType", h.opType() + "         ");
        o.put("publishType", "formal");
        o.put("createdTime", h.modified());
        o.put("lastModifiedTime", h.modified());
        return o;
    }

    private static String invalidKey(Key key) {
        if (key.dataId().isBlank() || !valid(key.dataId().trim())) {
            return "invalid dataId : " + key.dataId();
        }
        if (key.group().isBlank() || !valid(key.group())) {
            return "invalid group : " + key.group();
        }
        return null;
    }

    private static boolean valid(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Character.isLetterOrDigit(c) && c != '_' && c != '-' && c != '.' && c != ':') {
                return false;
            }
        }
        return true;
    }

    private static String tenantOf(String tenant) {
        return tenant == null || tenant.isBlank() ? "public" : tenant.trim();
    }

    private static String md5(String content) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("MD5").digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
