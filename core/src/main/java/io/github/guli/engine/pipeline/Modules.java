package io.github.guli.engine.pipeline;

import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.maven.Pom;
import java.util.List;

/**
 * The {@code <modules>} of the root pom.xml's text: the PROJECT_NAME choices when the workspace's reactor could not
 * be read (guliSettings called outside {@code node}). Read with the same {@link Pom} as the reactor.
 */
final class Modules {
    private Modules() {}

    static List<String> of(String pomText) {
        if (Blank.isBlank(pomText)) {
            return List.of();
        }
        try {
            return Pom.parse(pomText, "the repository's pom.xml").modules();
        } catch (GuliException e) {
            throw new GuliException(e.getMessage() + "; or list the services in the Jenkinsfile, e.g. guliPipeline("
                    + "service: 'gulimall-gateway', services: ['gulimall-gateway', 'gulimall-cart'])");
        }
    }
}
