package io.github.guli.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A reverse proxy on loopback in front of a real service. It records every request ("METHOD /path") so a
 * test can show what crossed the wire, and can answer the next requests with injected failures.
 */
public final class RecordingProxy implements AutoCloseable {
    private static final Set<String> HOP =
            Set.of("connection", "content-length", "host", "transfer-encoding", "upgrade", "keep-alive", "expect");
    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private final URI target;
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<String> uploads = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong bytesReceived = new AtomicLong();
    private final Deque<Integer> injected = new ArrayDeque<>();
    private final Map<String, Integer> refused = new ConcurrentHashMap<>();

    public RecordingProxy(String targetBase) throws IOException {
        this.target = URI.create(targetBase);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** host:port of the proxy. */
    public String hostPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The request bodies received since the last {@link #reset()}: what a push uploaded, counted as the bench does. */
    public long bytesReceived() {
        return bytesReceived.get();
    }

    /** Each request that carried a body since the last {@link #reset()}: "METHOD /path?query BYTES". */
    public List<String> uploads() {
        synchronized (uploads) {
            return List.copyOf(uploads);
        }
    }

    public void reset() {
        requests.clear();
        uploads.clear();
        bytesReceived.set(0);
    }

    /** The next {@code times} requests get {@code status} without reaching the service. */
    public synchronized void failNext(int status, int times) {
        for (int i = 0; i < times; i++) {
            injected.add(status);
        }
    }

    /** Every request with {@code method} gets {@code status} without reaching the service (a registry's 405). */
    public void refuse(String method, int status) {
        refused.put(method, status);
    }

    private synchronized Integer nextFailure() {
        return injected.poll();
    }

    private void handle(HttpExchange ex) throws IOException {
        String pathAndQuery = ex.getRequestURI().getRawPath()
                + (ex.getRequestURI().getRawQuery() == null
                        ? ""
                        : "?" + ex.getRequestURI().getRawQuery());
        requests.add(ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath());
        try (ex) {
            Integer failure =
                    refused.containsKey(ex.getRequestMethod()) ? refused.get(ex.getRequestMethod()) : nextFailure();
            if (failure != null) {
                ex.sendResponseHeaders(failure, -1);
                return;
            }
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            bytesReceived.addAndGet(body.length);
            if (body.length > 0) {
                uploads.add(ex.getRequestMethod() + " " + pathAndQuery + " " + body.length);
            }
            HttpRequest.Builder b = HttpRequest.newBuilder(target.resolve(pathAndQuery))
                    .method(
                            ex.getRequestMethod(),
                            body.length == 0
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofByteArray(body));
            ex.getRequestHeaders().forEach((k, vs) -> {
                if (!HOP.contains(k.toLowerCase())) {
                    vs.forEach(v -> b.header(k, v));
                }
            });
            HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            r.headers().map().forEach((k, vs) -> {
                if (!HOP.contains(k.toLowerCase()) && !k.startsWith(":")) {
                    // upload locations name the service: clients must come back through the proxy
                    ex.getResponseHeaders()
                            .put(
                                    k,
                                    k.equalsIgnoreCase("location")
                                            ? vs.stream()
                                                    .map(v -> v.replace(
                                                            target.toString().replaceAll("/$", ""),
                                                            "http://" + hostPort()))
                                                    .toList()
                                            : vs);
                }
            });
            if (ex.getRequestMethod().equals("HEAD")) {
                // a HEAD answer's length says how big the resource is (a registry's blob check reads it)
                r.headers()
                        .firstValue("content-length")
                        .ifPresent(v -> ex.getResponseHeaders().set("Content-Length", v));
            }
            boolean noBody = r.body().length == 0 || ex.getRequestMethod().equals("HEAD");
            ex.sendResponseHeaders(r.statusCode(), noBody ? -1 : r.body().length);
            if (!noBody) {
                ex.getResponseBody().write(r.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
