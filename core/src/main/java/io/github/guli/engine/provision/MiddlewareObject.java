package io.github.guli.engine.provision;

import java.io.Serializable;
import java.util.Map;

/**
 * One Kubernetes object and the file it belongs to. A {@code secret} one (a Secret) is never written to a file and
 * prints redacted: its values go from the credentials to the API server only.
 */
public record MiddlewareObject(String file, String kind, String name, Map<String, Object> object, boolean secret)
        implements Serializable {

    /** The object with the kind and name it says it has. */
    static MiddlewareObject of(String file, Map<String, Object> object, boolean secret) {
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) object.get("metadata");
        return new MiddlewareObject(file, (String) object.get("kind"), (String) metadata.get("name"), object, secret);
    }
}
