package io.github.guli.engine.image;

import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.registry.ImageRef;
import io.github.guli.engine.registry.RegistryEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which base images the registry login may read. A branch names its base images (a Dockerfile's {@code FROM},
 * {@code baseImage}), so the login is used only for the job's own namespace of the configured registry and for the
 * images the admins allow ({@code allowedBaseImages}); any other image there is read anonymously, or refused.
 */
final class RegistryLogin {
    static final String SETTING = "allowedBaseImages";

    private final RegistryEndpoint registry;
    private final String namespace;
    private final List<Entry> allowed;

    /** One allowed image: a repository (any tag), a repository at one tag or digest, or every repository below a path. */
    private record Entry(String repository, String reference, boolean below) {
        boolean matches(BaseImage b) {
            if (below) {
                return b.repository().startsWith(repository + "/");
            }
            return b.repository().equals(repository) && (reference == null || reference.equals(b.reference()));
        }
    }

    RegistryLogin(RegistryEndpoint registry, String namespace, List<String> allowedBaseImages) {
        this.registry = registry;
        this.namespace = Blank.toNull(namespace);
        this.allowed = new ArrayList<>();
        for (String line : allowedBaseImages == null ? List.<String>of() : allowedBaseImages) {
            Entry e = parse(line, registry);
            if (e != null) {
                allowed.add(e);
            }
        }
    }

    /**
     * An entry of {@code allowedBaseImages}: {@code [host[:port]/]path}, {@code ...:tag}, {@code ...@sha256:...}, or
     * {@code [host[:port]/]path/*}. No host: the configured registry. Null: a blank line, a comment, or another
     * registry's image (the login never goes there).
     */
    private static Entry parse(String line, RegistryEndpoint registry) {
        String t = line == null ? "" : line.strip();
        if (t.isEmpty() || t.startsWith("#")) {
            return null;
        }
        boolean below = t.endsWith("/*");
        String rest = below ? t.substring(0, t.length() - 2) : t;
        String host = registry.host();
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                host = first.toLowerCase(Locale.ROOT);
                rest = rest.substring(slash + 1);
            }
        }
        String reference = null;
        int at = rest.indexOf('@');
        int colon = rest.lastIndexOf(':');
        if (at >= 0) {
            reference = rest.substring(at + 1);
            rest = rest.substring(0, at);
        } else if (colon > rest.lastIndexOf('/')) {
            reference = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        if (below && reference != null) {
            throw invalid(line, "a path ending in /* takes no tag");
        }
        try {
            new ImageRef(host, rest, reference == null || reference.startsWith("sha256:") ? "latest" : reference);
        } catch (GuliException e) {
            throw invalid(line, e.getMessage());
        }
        return host.equalsIgnoreCase(registry.host()) ? new Entry(rest, reference, below) : null;
    }

    private static GuliException invalid(String line, String why) {
        return new GuliException(SETTING + " entry '" + line + "' is not an image or repository (" + why + "): give "
                + "one per line, [registry/]path (any tag), [registry/]path:tag, or [registry/]path/* (every "
                + "repository below the path), e.g. 127.0.0.1:5000/base/jre or base/*");
    }

    /** Whether the image is in the configured registry, where the login could read it. */
    boolean inRegistry(BaseImage b) {
        return b.in(registry);
    }

    /** Whether the base image is read with the registry login. */
    boolean covers(BaseImage b) {
        if (!b.in(registry)) {
            return false;
        }
        return namespace != null && b.repository().startsWith(namespace + "/")
                || allowed.stream().anyMatch(e -> e.matches(b));
    }

    /** The error for a base image of the configured registry that the login may not read and a login is asked for. */
    GuliException refused(BaseImage b, String source) {
        return new GuliException("the base image " + b + " (" + source + ") is in the configured registry "
                + registry.host() + " but not under the job's namespace "
                + (namespace == null ? "(none set)" : "'" + namespace + "'")
                + ", and it cannot be read without a login: the registry login reads only the job's namespace and "
                + "the images the admins allow. Ask an administrator to add it to " + SETTING + " (Manage Jenkins > "
                + "System > guli-pipeline, JCasC unclassified.guli." + SETTING + "), or use a base image under "
                + (namespace == null ? "the namespace" : namespace + "/"));
    }
}
