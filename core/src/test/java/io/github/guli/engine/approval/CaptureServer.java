package io.github.guli.engine.approval;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A vendor's webhook endpoint on loopback: it keeps each request and gives the answer the test sets (or none). */
public final class CaptureServer implements AutoCloseable {
    public record Captured(String method, URI uri, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final CountDownLatch closed = new CountDownLatch(1);
    public final List<Captured> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String answer = "{}";
    private volatile boolean silent;
    private volatile boolean stalls;

    public CaptureServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The URL of a path (and query) on this server. */
    public String url(String pathAndQuery) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery;
    }

    public CaptureServer answer(int status, String body) {
        this.status = status;
        this.answer = body;
        return this;
    }

    /** Takes requests and never answers. */
    public CaptureServer silent() {
        this.silent = true;
        return this;
    }

    /** Answers 200 and the start of a body, then never the rest. */
    public CaptureServer stalls() {
        this.stalls = true;
        return this;
    }

    public Captured only() {
        if (requests.size() != 1) {
            throw new AssertionError("expected one request, got " + requests.size());
        }
        return requests.get(0);
    }

    private void handle(HttpExchange x) throws IOException {
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Captured(x.getRequestMethod(), x.getRequestURI(), Map.copyOf(x.getRequestHeaders()), body));
        if (stalls) {
            x.sendResponseHeaders(200, 0);
            x.getResponseBody().write("{\"errcode\":".getBytes(StandardCharsets.UTF_8));
            x.getResponseBody().flush();
        }
        if (silent || stalls) {
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
