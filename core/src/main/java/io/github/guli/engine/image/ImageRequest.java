package io.github.guli.engine.image;

import io.github.guli.engine.UsernamePassword;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What to build and where to push it. Serializable: Jenkins builds it on the controller and runs it on the agent
 * that holds the workspace.
 *
 * @param workspace the checked-out repository
 * @param module the module folder, relative to the workspace; null: the folder named {@code name} when there is
 *     one (the course's layout, one folder per service), else the workspace itself
 * @param dockerfile the Dockerfile, relative to the module; null: the module's Dockerfile when it has one, else a
 *     generated layered one from the module's Spring Boot jar
 * @param jar the Spring Boot jar for a generated Dockerfile, relative to the module; null: the one in target/
 * @param name the image name (the course's PROJECT_NAME)
 * @param tags every tag to give the image; the first is the one reported
 * @param credentials the registry login, or null for a registry that needs none
 * @param push whether to push (false: build and tag only)
 * @param saveTo a tar file to {@code docker save} the image to (relative to the workspace), or null
 * @param env the environment of the {@code docker} command (the build's, with DOCKER_HOST, DOCKER_TLS_VERIFY,
 *     DOCKER_CERT_PATH when the engine is not the local socket); null: this process'
 */
public record ImageRequest(
        String workspace,
        String module,
        String dockerfile,
        String jar,
        String name,
        String registry,
        String namespace,
        List<String> tags,
        UsernamePassword credentials,
        boolean push,
        String saveTo,
        GeneratedImage generated,
        Map<String, String> env)
        implements Serializable {
    public ImageRequest {
        tags = tags == null ? List.of() : List.copyOf(tags);
        generated = generated == null ? GeneratedImage.DEFAULTS : generated;
        env = env == null ? null : new TreeMap<>(env);
    }
}
