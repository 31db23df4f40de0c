package io.github.guli.engine.registry;

import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import java.net.URI;

/**
 * Where a registry's HTTP API answers. {@code host[:port]} means HTTPS, as for Aliyun ACR; an explicit
 * {@code http://host:port} is allowed for a registry on a private network or loopback (Docker calls these
 * "insecure registries").
 */
public record RegistryEndpoint(String host, URI baseUri) {
    public static final String DEFAULT = "registry.cn-hangzhou.aliyuncs.com";

    public static RegistryEndpoint parse(String registry) {
        String r = Blank.orDefault(registry, DEFAULT);
        String scheme = "https";
        if (r.startsWith("http://") || r.startsWith("https://")) {
            scheme = r.substring(0, r.indexOf(':'));
            r = r.substring(scheme.length() + 3);
        }
        if (r.endsWith("/")) {
            r = r.substring(0, r.length() - 1);
        }
        if (r.contains("@")) {
            throw new GuliException("the registry address carries credentials: give the host only and the "
                    + "username/password through a credentials ID");
        }
        new ImageRef(r, "probe", "probe"); // validates the host part with the same rule as image names
        return new RegistryEndpoint(r, URI.create(scheme + "://" + r));
    }
}
