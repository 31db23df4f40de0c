package io.github.guli.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.guli.engine.UsernamePassword;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The request as its callers build it: the defaults its setters promise, and a copy of what they are given. */
class ImageRequestTest {
    @Test
    void unsetValuesAreTheDocumentedDefaults() {
        ImageRequest r = new ImageRequest().name("gulimall-order");
        assertThat(r.push()).isTrue();
        assertThat(r.tags()).isEmpty();
        assertThat(r.generated()).isEqualTo(GeneratedImage.DEFAULTS);
        assertThat(r.credentials()).isNull();
        assertThat(r.env()).isNull();
        assertThat(r.workspace()).isNull();
        assertThat(r.saveTo()).isNull();
        assertThat(r.tags(null).tags()).isEmpty();
        assertThat(r.generated(null).generated()).isEqualTo(GeneratedImage.DEFAULTS);
    }

    @Test
    void theTagsAndEnvironmentAreCopiedAsGiven() {
        List<String> tags = new ArrayList<>(List.of("SNAPSHOT-master-1", "latest"));
        Map<String, String> env = new HashMap<>(Map.of("DOCKER_HOST", "tcp://docker:2376"));
        ImageRequest r = new ImageRequest().tags(tags).env(env);
        tags.add("v1");
        env.put("DOCKER_HOST", "tcp://elsewhere:2376");
        assertThat(r.tags()).containsExactly("SNAPSHOT-master-1", "latest");
        assertThat(r.env()).containsExactly(Map.entry("DOCKER_HOST", "tcp://docker:2376"));
    }

    @Test
    void itCrossesToTheAgentWhole() throws Exception {
        ImageRequest r = new ImageRequest()
                .workspace("/ws")
                .module("gulimall-order")
                .dockerfile("Dockerfile.prod")
                .jar("target/app.jar")
                .name("gulimall-order")
                .registry("http://127.0.0.1:5000")
                .namespace("guli")
                .tags(List.of("latest"))
                .credentials(new UsernamePassword("guli", "s3cret"))
                .push(false)
                .saveTo("images/order.tar")
                .generated(new GeneratedImage("eclipse-temurin:21-jre", 9000, "dev", "-Xmx256m", true))
                .env(Map.of("DOCKER_HOST", "tcp://docker:2376"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(r);
        }
        ImageRequest back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (ImageRequest) in.readObject();
        }
        assertThat(back).usingRecursiveComparison().isEqualTo(r);
        assertThat(back.credentials().password()).isEqualTo("s3cret");
    }
}
