package io.github.guli.engine.environment;

import java.io.Serializable;

/**
 * What runs of a service in one environment, as its cluster reports it.
 *
 * @param image the Deployment's image, as written there
 * @param digest what its pods run ({@code sha256:...}); null when the rollout is not healthy
 * @param version the release it carries (annotation {@value ClusterReader#VERSION}, else the image's tag); may be null
 * @param unhealthy why its rollout is not finished healthy; null when it is
 */
public record Running(String environment, String image, String digest, String version, String unhealthy)
        implements Serializable {
    /** For messages: "v1.2.0 (127.0.0.1:5000/ns/app@sha256:...)". */
    public String describe() {
        String what = (version == null ? "" : version + " ") + "(" + image
                + (digest == null || image.contains("@") ? "" : ", digest " + digest) + ")";
        return unhealthy == null ? what : what + ", not rolled out healthy: " + unhealthy;
    }
}
