package io.github.guli.engine.provision;

import java.util.List;
import java.util.Map;

/** One middleware's Kubernetes objects, built from the settings (and the secrets, for its Secrets). */
interface Middleware {
    /** Its Secrets: applied before every other object, from one file that is never written. */
    default List<Map<String, Object>> secrets() {
        return List.of();
    }

    /** The file of its other objects. */
    String file();

    /** Its other objects, in apply order. */
    List<Map<String, Object>> objects();
}
