package io.github.guli.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.UsernamePassword;
import io.github.guli.engine.process.LocalCommands;
import io.github.guli.engine.registry.Retry;
import io.github.guli.testsupport.TestServices;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A branch's Dockerfile names its base image, so it names the host the Docker engine pulls from: the registry
 * credentials given to guliImage must reach the configured registry only, never that host. A registry on loopback
 * that asks for a login records what it is sent.
 */
class ImageCredentialsTest {
    private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
    private HttpServer other;

    @TempDir
    Path workspace;

    @BeforeEach
    void start() throws Exception {
        other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        other.createContext("/", ex -> {
            seen.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " Authorization="
                    + ex.getRequestHeaders().getFirst("Authorization"));
            ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"registry\"");
            ex.sendResponseHeaders(401, -1);
            ex.close();
        });
        other.start();
    }

    @AfterEach
    void stop() {
        other.stop(0);
    }

    @Test
    void aDockerfileFromAnotherRegistryGetsNoCredentials() throws Exception {
        String registry = TestServices.registry();
        UsernamePassword creds = TestServices.registryCredentials();
        String app = "from-" + UUID.randomUUID().toString().substring(0, 8);
        Path module = Files.createDirectories(workspace.resolve(app));
        Files.writeString(
                module.resolve("Dockerfile"),
                "FROM 127.0.0.1:" + other.getAddress().getPort() + "/guli/jre:17\n");
        ImageRequest r = new ImageRequest()
                .workspace(workspace.toString())
                .name(app)
                .registry("http://" + registry)
                .namespace("guli-test")
                .tags(List.of("SNAPSHOT-master-1"))
                .credentials(creds);

        assertThatThrownBy(
                        () -> new ImageBuild(l -> {}, new LocalCommands(), new Retry(1, Duration.ofMillis(1))).run(r))
                .isInstanceOf(GuliException.class);
        assertThat(seen).as("the engine asked the Dockerfile's registry").isNotEmpty();
        assertThat(seen).as("and sent it no credentials").allMatch(s -> s.endsWith("Authorization=null"));
    }
}
