package io.github.guli.engine.image;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.registry.ImageRef;
import io.github.guli.engine.registry.RegistryEndpoint;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The base image reference of a generated image, {@code [host[:port]/]path[:tag][@sha256:...]}, read the way
 * Docker reads it: no host means Docker Hub, a one-part path there means {@code library/}, no tag means
 * {@code latest}. Parsed strictly, so that the text can go into a Dockerfile's {@code FROM} as it is.
 *
 * @param registry the registry host ({@code docker.io} for Docker Hub)
 * @param repository the repository path in that registry
 * @param reference the digest when one is given, else the tag
 */
public record BaseImage(String registry, String repository, String reference) {
    static final String DOCKER_HUB = "docker.io";
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    /** @param setting the setting that gave the text, named in the error */
    public static BaseImage parse(String text, String setting) {
        if (text == null
                || text.isEmpty()
                || text.length() > 255
                || !text.strip().equals(text)
                || text.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw invalid(text, setting, "one word of printable characters, no space or line break");
        }
        String rest = text;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw invalid(text, setting, "a digest is sha256: and 64 lower-case hex digits");
            }
        }
        String host = DOCKER_HUB;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                host = first.toLowerCase(Locale.ROOT);
                rest = rest.substring(slash + 1);
            }
        }
        String tag = "latest";
        int colon = rest.lastIndexOf(':');
        if (colon >= 0) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        if (host.equals(DOCKER_HUB) && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        try {
            new ImageRef(host, rest, tag); // the host, path and tag grammar of image names
        } catch (GuliException e) {
            throw invalid(text, setting, e.getMessage());
        }
        return new BaseImage(host, rest, digest != null ? digest : tag);
    }

    private static GuliException invalid(String text, String setting, String why) {
        return new GuliException(setting + " '" + text + "' is not an image reference (" + why + "): give "
                + "[registry/]name[:tag][@sha256:digest], e.g. eclipse-temurin:17-jre or "
                + "registry.cn-hangzhou.aliyuncs.com/atguigumall/jre:17");
    }

    /** Whether the image is in the configured registry, the only one that gets the registry credentials. */
    boolean in(RegistryEndpoint configured) {
        return registry.equalsIgnoreCase(configured.host());
    }

    /**
     * Where to read it: the configured registry's own address (and scheme) when it is there; Docker Hub's API host;
     * else https on its host, or plain http on a loopback host, as Docker treats 127.0.0.0/8 by default.
     */
    RegistryEndpoint endpoint(RegistryEndpoint configured) {
        if (in(configured)) {
            return configured;
        }
        if (registry.equals(DOCKER_HUB)) {
            return RegistryEndpoint.parse("https://registry-1.docker.io");
        }
        String host = registry.replaceFirst(":[0-9]+$", "");
        boolean loopback = host.equals("localhost") || host.startsWith("127.");
        return RegistryEndpoint.parse((loopback ? "http://" : "https://") + registry);
    }

    @Override
    public String toString() {
        return registry + "/" + repository + (reference.startsWith("sha256:") ? "@" : ":") + reference;
    }
}
