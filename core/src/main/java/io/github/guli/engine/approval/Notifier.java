package io.github.guli.engine.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends approval messages to one admin-configured endpoint, in its vendor's format. Sending is bounded in time
 * (connect, then the whole exchange) and never throws: the {@link Delivery} says what happened, in words that never
 * carry the URL or the secret.
 */
public abstract class Notifier {
    /** Keys in order, so that a card's text is the same on every run (the samples in docs/approvals.md). */
    static final ObjectMapper JSON = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private static final int MAX_ANSWER = 64 * 1024;

    final NotifierConfig config;
    final Clock clock;
    private final HttpClient http;

    Notifier(NotifierConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The notifier its configuration names. */
    public static Notifier of(NotifierConfig config) {
        return of(config, Clock.systemUTC());
    }

    static Notifier of(NotifierConfig config, Clock clock) {
        switch (config.kind()) {
            case DINGTALK:
                return new DingTalkNotifier(config, clock);
            case WECOM:
                return new WeComNotifier(config, clock);
            case FEISHU:
                return new FeishuNotifier(config, clock);
            default:
                return new WebhookNotifier(config, clock);
        }
    }

    public String name() {
        return config.name();
    }

    public Delivery send(ApprovalNotice notice) {
        return deliver(() -> request(notice, clock.instant()));
    }

    public Delivery send(ApprovalOutcome outcome) {
        return deliver(() -> request(outcome, clock.instant()));
    }

    /** The request announcing an approval that waits. */
    abstract Request request(ApprovalNotice notice, Instant now);

    /** The request telling how it ended. */
    abstract Request request(ApprovalOutcome outcome, Instant now);

    /**
     * What the vendor's answer says went wrong, or null when it took the message. The base accepts any 2xx; vendors
     * also report errors in the body of a 200.
     */
    String problem(int status, String body) {
        return status / 100 == 2 ? null : "it answered HTTP " + status;
    }

    /** A request ready to send: its URL (a secret), its JSON body and its headers. */
    record Request(URI uri, byte[] body, Map<String, String> headers) {
        Request(URI uri, Object json) {
            this(uri, bytes(json), Map.of());
        }

        static byte[] bytes(Object json) {
            try {
                return JSON.writeValueAsBytes(json);
            } catch (IOException e) {
                throw new IllegalStateException("a card that Jackson cannot write", e);
            }
        }
    }

    interface RequestMaker {
        Request make() throws Exception;
    }

    private Delivery deliver(RequestMaker maker) {
        String kind = config.kind().label();
        long deadline = System.nanoTime() + config.timeout().toNanos();
        CompletableFuture<HttpResponse<InputStream>> call = null;
        InputStream answerBody = null;
        try {
            Request r = maker.make();
            HttpRequest.Builder b = HttpRequest.newBuilder(r.uri())
                    .timeout(config.timeout())
                    .header("Content-Type", "application/json; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(r.body()));
            r.headers().forEach(b::header);
            call = http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            HttpResponse<InputStream> answer = call.get(left(deadline), TimeUnit.NANOSECONDS);
            InputStream in = answer.body();
            answerBody = in;
            // the answer's body is read on a thread of its own, so a server that stops half way is bounded too
            String body = CompletableFuture.supplyAsync(() -> read(in), Notifier::daemon)
                    .get(left(deadline), TimeUnit.NANOSECONDS);
            String problem = problem(answer.statusCode(), body);
            return problem == null ? Delivery.ok(name(), kind) : Delivery.failed(name(), kind, scrub(problem));
        } catch (TimeoutException e) {
            return Delivery.failed(
                    name(), kind, "no answer within " + config.timeout().toMillis() + " ms");
        } catch (ExecutionException e) {
            return Delivery.failed(name(), kind, scrub(words(e.getCause())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Delivery.failed(name(), kind, "interrupted while sending");
        } catch (Exception e) {
            return Delivery.failed(name(), kind, scrub(words(e)));
        } finally {
            if (call != null) {
                call.cancel(true);
            }
            closeQuietly(answerBody);
        }
    }

    private static long left(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "guli-notifier-answer");
        t.setDaemon(true);
        t.start();
    }

    /** Closing the answer's stream ends its exchange (and a read still waiting on it). */
    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                // the exchange is over either way
            }
        }
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readNBytes(MAX_ANSWER), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Our own words for a failure: exception messages may quote the URL, so only their kind is told. */
    private String words(Throwable e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "no connection within " + config.connectTimeout().toMillis() + " ms";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + config.timeout().toMillis() + " ms";
        }
        if (e instanceof ConnectException) {
            return "the connection was refused or the host cannot be reached";
        }
        if (e instanceof java.nio.channels.UnresolvedAddressException || e instanceof java.net.UnknownHostException) {
            return "the host name is unknown";
        }
        if (e instanceof javax.net.ssl.SSLException) {
            return "the TLS handshake failed (certificate or protocol)";
        }
        if (e != null && e.getCause() != null && e.getCause() != e && !(e instanceof IOException)) {
            return words(e.getCause());
        }
        return "the request failed (" + (e == null ? "unknown" : e.getClass().getSimpleName()) + ")";
    }

    /** The text without the URL, any part of its path or query, or the secret. */
    String scrub(String text) {
        String out = text;
        URI uri = config.uri();
        for (String secret : secrets(uri)) {
            if (!secret.isEmpty()) {
                out = out.replace(secret, "****");
            }
        }
        return out;
    }

    private java.util.List<String> secrets(URI uri) {
        java.util.List<String> s = new java.util.ArrayList<>();
        s.add(config.webhookUrl());
        if (config.secret() != null) {
            s.add(config.secret());
        }
        // the tokens in the URL (DingTalk's access_token, WeCom's key, Feishu's hook id) are long; the words around
        // them (robot, send, webhook) are not secrets
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                addToken(s, pair.substring(pair.indexOf('=') + 1));
            }
        }
        if (uri.getRawPath() != null) {
            for (String segment : uri.getRawPath().split("/")) {
                addToken(s, segment);
            }
        }
        s.sort((a, b) -> b.length() - a.length());
        return s;
    }

    private static void addToken(java.util.List<String> s, String part) {
        if (part.length() >= 8) {
            s.add(part);
            s.add(java.net.URLDecoder.decode(part, StandardCharsets.UTF_8));
        }
    }

    /** The vendor's error in a 200 answer ({@code errcode} or {@code code} not 0), or null. */
    static String vendorError(String vendor, String body, String codeField, String messageField) {
        JsonNode answer;
        try {
            answer = JSON.readTree(body);
        } catch (IOException e) {
            answer = null;
        }
        if (answer == null || !answer.isObject() || !answer.has(codeField)) {
            return vendor + " answered something other than its JSON answer (no " + codeField + ")";
        }
        if (answer.get(codeField).asLong(-1) == 0) {
            return null;
        }
        String message = Card.cut(answer.path(messageField).asText(""), 200);
        return vendor + " refused the message: " + codeField + " "
                + answer.get(codeField).asText() + " (" + message + ")";
    }
}
