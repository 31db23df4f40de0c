package io.github.guli.engine.registry;

import java.time.Duration;

/** How often and how patiently to retry a registry call: exponential backoff from {@code firstDelay}. */
public record Retry(int attempts, Duration firstDelay) {
    public static final Retry DEFAULT = new Retry(4, Duration.ofSeconds(1));

    public Duration delayBefore(int attempt) {
        return firstDelay.multipliedBy(1L << Math.max(0, attempt - 2));
    }

    void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
