package io.github.guli.engine.approval;

import io.github.guli.engine.GuliException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * One notifier as the admin configures it. The webhook URL is a secret (it carries DingTalk's access token, WeCom's
 * key, Feishu's hook id), so no message here repeats it. The secret signs requests where the vendor has a signed mode
 * (blank: unsigned).
 */
public record NotifierConfig(
        String name, NotifierKind kind, String webhookUrl, String secret, Duration connectTimeout, Duration timeout) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    public NotifierConfig {
        if (name == null || name.isBlank()) {
            throw new GuliException("a notifier needs a name (it names the notifier in the build's warnings)");
        }
        name = name.trim();
        if (kind == null) {
            throw new GuliException("notifier '" + name + "' needs a kind: dingtalk, wecom, feishu or webhook");
        }
        webhookUrl = webhookUrl == null ? "" : webhookUrl.trim();
        URI uri = uri(name, webhookUrl);
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            throw new GuliException("notifier '" + name + "': the webhook URL is not an http(s) URL with a host; give"
                    + " the URL the vendor shows for the robot");
        }
        secret = secret == null || secret.isBlank() ? null : secret.trim();
        connectTimeout = positive(name, "connect timeout", connectTimeout, DEFAULT_CONNECT_TIMEOUT);
        timeout = positive(name, "timeout", timeout, DEFAULT_TIMEOUT);
    }

    public static NotifierConfig of(String name, NotifierKind kind, String webhookUrl, String secret) {
        return new NotifierConfig(name, kind, webhookUrl, secret, null, null);
    }

    /** Without the URL or the secret: a configuration may be logged. */
    @Override
    public String toString() {
        return "NotifierConfig[name=" + name + ", kind=" + kind.label() + ", webhookUrl=****, secret="
                + (secret == null ? "none" : "****") + ", connectTimeout=" + connectTimeout + ", timeout=" + timeout
                + "]";
    }

    URI uri() {
        return URI.create(webhookUrl);
    }

    private static URI uri(String name, String url) {
        try {
            URI uri = new URI(url);
            if (uri.getScheme() != null) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // the message below, without the URL
        }
        throw new GuliException("notifier '" + name + "': the webhook URL is not a URL; give the URL the vendor shows"
                + " for the robot (https://...)");
    }

    private static Duration positive(String name, String what, Duration d, Duration fallback) {
        if (d == null) {
            return fallback;
        }
        if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new GuliException("notifier '" + name + "': the " + what + " must be between 1 ms and 1 minute (a"
                    + " notifier never holds up the build for long), not " + d);
        }
        return d;
    }
}
