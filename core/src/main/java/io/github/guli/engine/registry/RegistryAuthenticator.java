package io.github.guli.engine.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.UsernamePassword;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers a registry's 401 the way {@code docker login} does: HTTP Basic where the registry asks for it (Docker
 * Distribution with htpasswd), or a Bearer token from the realm the registry names (Docker Hub, Harbor, Aliyun
 * ACR). Decides who may receive the password: only a challenge from the registry's own origin is answered, and
 * only a token service the realm rules accept ({@link #tokenRealm}).
 */
final class RegistryAuthenticator {
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryEndpoint endpoint;
    private final UsernamePassword credentials;
    private final RegistryHttp http;

    RegistryAuthenticator(RegistryEndpoint endpoint, UsernamePassword credentials, RegistryHttp http) {
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.http = http;
    }

    /** A {@code WWW-Authenticate} header: its scheme and its quoted parameters. */
    record Challenge(String scheme, Map<String, String> params) {
        static Challenge parse(String header) {
            String h = header == null ? "" : header.strip();
            int space = h.indexOf(' ');
            Map<String, String> p = new LinkedHashMap<>();
            Matcher m = PARAM.matcher(space < 0 ? "" : h.substring(space + 1));
            while (m.find()) {
                p.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
            }
            return new Challenge(space < 0 ? h : h.substring(0, space), p);
        }
    }

    /**
     * The {@code Authorization} for the registry that answers {@code challenged} (a 401) for {@code scopes}.
     *
     * @throws GuliException when the 401 came from another origin (a redirect's target), or names a token service
     *     that may not receive the password
     */
    RegistryHttp.Authorization answer(HttpResponse<?> challenged, List<String> scopes) {
        checkOrigin(challenged);
        Challenge c = Challenge.parse(
                challenged.headers().firstValue("WWW-Authenticate").orElse(""));
        if (c.scheme().equalsIgnoreCase("Basic")) {
            if (credentials == null) {
                throw loginNeeded();
            }
            return forRegistry(basic());
        }
        if (!c.scheme().equalsIgnoreCase("Bearer")) {
            throw new GuliException("registry " + endpoint.host() + " asked for an unsupported authentication '"
                    + c.scheme() + "': only Basic and Bearer token authentication are supported");
        }
        String realm = c.params().get("realm");
        if (realm == null) {
            throw new GuliException("registry " + endpoint.host() + " sent a Bearer challenge without a realm");
        }
        return forRegistry(
                "Bearer " + token(tokenRealm(endpoint, realm), c.params().get("service"), scopes));
    }

    /** A 401 is answered only when the registry's own origin sent it, not the target of a redirect. */
    void checkOrigin(HttpResponse<?> challenged) {
        URI from = challenged.uri();
        if (!RegistryHttp.sameOrigin(from, endpoint.baseUri())) {
            throw new GuliException("registry " + endpoint.host() + " redirected to " + from + ", which asked for a "
                    + "login (HTTP 401): refused, the registry credentials are only sent to the registry's own address "
                    + RegistryHttp.origin(endpoint.baseUri()) + ". Check the registry's storage settings (a redirect "
                    + "to storage must be readable without a login, e.g. a signed URL), or that nothing between this "
                    + "agent and the registry rewrites its answers");
        }
    }

    private RegistryHttp.Authorization forRegistry(String value) {
        return new RegistryHttp.Authorization(endpoint.baseUri(), value);
    }

    private String token(URI realm, String service, List<String> scopes) {
        StringBuilder q = new StringBuilder(realm.toString()).append(realm.getRawQuery() != null ? '&' : '?');
        if (service != null) {
            q.append("service=")
                    .append(URLEncoder.encode(service, StandardCharsets.UTF_8))
                    .append('&');
        }
        q.append(String.join(
                "&",
                scopes.stream()
                        .map(s -> "scope=" + URLEncoder.encode(s, StandardCharsets.UTF_8))
                        .toList()));
        // no credentials: an anonymous token, as public registries give for pulls
        HttpResponse<byte[]> r = http.send(
                () -> HttpRequest.newBuilder(URI.create(q.toString())).GET(),
                credentials == null ? null : new RegistryHttp.Authorization(realm, basic()),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 401 || r.statusCode() == 403) {
            throw credentials == null
                    ? loginNeeded()
                    : loginRefused("HTTP " + r.statusCode() + " from the token service");
        }
        if (r.statusCode() / 100 != 2) {
            throw new GuliException("registry " + endpoint.host() + " failed getting a token: HTTP " + r.statusCode());
        }
        try {
            JsonNode token = JSON.readTree(r.body());
            String t = token.hasNonNull("token")
                    ? token.get("token").asText()
                    : token.path("access_token").asText(null);
            if (t == null) {
                throw new GuliException("the token service of " + endpoint.host() + " answered without a token");
            }
            return t;
        } catch (IOException e) {
            throw new GuliException(
                    "the token service of " + endpoint.host() + " answered with something that is not JSON", e);
        }
    }

    /**
     * The token service a registry names receives the password: over https anywhere (Docker Hub's is on another
     * host), over plain http only when the registry itself is plain http (a registry on a private network, where the
     * password already travels in clear), and then only on the registry's own host and port.
     */
    static URI tokenRealm(RegistryEndpoint endpoint, String realm) {
        URI u;
        try {
            u = new URI(realm);
        } catch (URISyntaxException e) {
            throw new GuliException(
                    "registry " + endpoint.host() + " named a token service that is not a URL: " + realm);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        boolean plainRegistry = endpoint.baseUri().getScheme().equals("http");
        boolean allowed = scheme.equals("https") && u.getHost() != null
                || scheme.equals("http") && plainRegistry && RegistryHttp.sameOrigin(u, endpoint.baseUri());
        if (!allowed) {
            throw new GuliException("registry " + endpoint.host() + " named the token service " + realm + ", which "
                    + "would receive the registry password "
                    + (plainRegistry
                            ? "on another host over plain http, or on another port of it (an http token service must "
                                    + "be the registry's own " + RegistryHttp.origin(endpoint.baseUri()) + ")"
                            : "over plain http")
                    + ": refused. The token service of an https registry must be https (check "
                    + "the registry's auth.token.realm setting, or that nothing between this agent and the registry "
                    + "rewrites its answers)");
        }
        return u;
    }

    GuliException loginNeeded() {
        return new RegistryClient.LoginRequired("registry " + endpoint.host() + " requires a login: give registry "
                + "credentials (a username/password credentials ID, or GULI_REGISTRY_USERNAME/GULI_REGISTRY_PASSWORD)");
    }

    GuliException loginRefused(String why) {
        return new GuliException("registry " + endpoint.host() + " refused the login of user '" + credentials.username()
                + "' (" + why + "): check the username and password (for Aliyun ACR, the registry password set in "
                + "the console, not the Aliyun account password)");
    }

    private String basic() {
        String pair = credentials.username() + ":" + credentials.password();
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
}
