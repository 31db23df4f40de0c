package io.github.guli.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.GuliException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Choosing what an image is built from: the module, its Dockerfile, or the Spring Boot jar of a generated one. */
class ImageSourceTest {
    @TempDir
    Path workspace;

    private final List<String> log = new ArrayList<>();

    private ImageSource choose(ImageRequest r) {
        return ImageSource.choose(workspace, r.name("gulimall-order"), log::add);
    }

    private Path module() throws Exception {
        return Files.createDirectories(workspace.resolve("gulimall-order"));
    }

    /** A jar in {@code module}; a Spring Boot one (Start-Class, BOOT-INF/) unless {@code plain}. */
    private static Path jar(Path module, String name, boolean plain) throws Exception {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (!plain) {
            m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "org.springframework.boot.loader.JarLauncher");
            m.getMainAttributes().putValue("Start-Class", "com.atguigu.gulimall.order.OrderApplication");
        }
        Path p = Files.createDirectories(module.resolve("target")).resolve(name);
        try (OutputStream out = Files.newOutputStream(p);
                JarOutputStream j = new JarOutputStream(out, m)) {
            for (String e : plain
                    ? List.of("com/example/Util.class")
                    : List.of(
                            "BOOT-INF/classes/com/atguigu/gulimall/order/OrderApplication.class",
                            "BOOT-INF/lib/a.jar")) {
                j.putNextEntry(new JarEntry(e));
                j.write(e.getBytes());
            }
        }
        return p;
    }

    @Test
    void theModuleIsTheFolderNamedLikeTheImageElseTheWorkspaceOrTheOneGiven() throws Exception {
        assertThat(choose(new ImageRequest()).module()).as("no such folder").isEqualTo(workspace);
        Path module = module();
        assertThat(choose(new ImageRequest()).module()).isEqualTo(module);
        assertThat(choose(new ImageRequest().module(" . ")).module()).isEqualTo(workspace);
        assertThatThrownBy(() -> choose(new ImageRequest().module("gulimall-cart")))
                .isInstanceOf(GuliException.class)
                .hasMessage("module folder " + workspace.resolve("gulimall-cart") + " does not exist: give module as "
                        + "a folder of the repository, e.g. gulimall-gateway, or '.' for the repository root");
    }

    @Test
    void theGivenDockerfileThenTheModulesOwnElseAGeneratedImage() throws Exception {
        Path module = module();
        ImageSource generated = choose(new ImageRequest());
        assertThat(generated.generated()).isTrue();
        assertThat(generated.generatedContext()).isEqualTo(module.resolve("target/guli-image"));

        assertThatThrownBy(() -> choose(new ImageRequest().dockerfile("docker/Dockerfile.prod")))
                .hasMessage("Dockerfile " + module.resolve("docker/Dockerfile.prod") + " does not exist: fix "
                        + "dockerfile (relative to the module " + module + "), or leave it out to use the module's "
                        + "Dockerfile or a generated one");
        Path own = Files.writeString(module.resolve("Dockerfile"), "FROM scratch\n");
        ImageSource ownSource = choose(new ImageRequest());
        assertThat(ownSource.generated()).isFalse();
        assertThat(ownSource.dockerfile()).isEqualTo(own);
        assertThat(log).containsExactly("building with " + own);

        Path given = Files.writeString(
                Files.createDirectories(module.resolve("docker")).resolve("Dockerfile.prod"), "FROM scratch\n");
        assertThat(choose(new ImageRequest().dockerfile(" docker/Dockerfile.prod "))
                        .dockerfile())
                .isEqualTo(given);
        assertThat(log).as("a given Dockerfile is not announced again").hasSize(1);
        ImageSource.DockerContext context = choose(new ImageRequest().dockerfile("docker/Dockerfile.prod"))
                .dockerContext(new ImageRequest(), log::add);
        assertThat(context).isEqualTo(new ImageSource.DockerContext(given, module, null));
    }

    @Test
    void aGeneratedImageNeedsExactlyOneSpringBootJar() throws Exception {
        Path module = module();
        ImageSource source = choose(new ImageRequest());
        assertThatThrownBy(() -> source.jar(null))
                .hasMessage("no Dockerfile in " + module + " and no Spring Boot jar in " + module.resolve("target")
                        + ": add a Dockerfile to the module, or build it first (guliBuild, or mvn package with "
                        + "spring-boot-maven-plugin) so that target/ holds its Spring Boot jar");
        jar(module, "gulimall-order-plain.jar", true);
        assertThatThrownBy(() -> source.jar(null)).hasMessageContaining("no Spring Boot jar in");
        assertThatThrownBy(() -> source.jar("target/gulimall-order-plain.jar"))
                .hasMessage(module.resolve("target/gulimall-order-plain.jar") + " is not a Spring Boot jar (no "
                        + "Start-Class, no BOOT-INF/): package it with spring-boot-maven-plugin (goal repackage), or "
                        + "give a Dockerfile");
        assertThatThrownBy(() -> source.jar("target/missing.jar"))
                .hasMessage("jar " + module.resolve("target/missing.jar") + " does not exist: build the module first, "
                        + "or fix jar");

        Path b = jar(module, "b.jar", false);
        assertThat(source.jar(null).path()).isEqualTo(b);
        Path a = jar(module, "a.jar", false);
        assertThatThrownBy(() -> source.jar(null))
                .hasMessage("more than one Spring Boot jar in " + module.resolve("target") + " (a.jar, b.jar): give "
                        + "jar, e.g. target/a.jar");
        assertThat(source.jar(" target/a.jar ").path()).isEqualTo(a);
    }

    @Test
    void theGeneratedDockerContextIsWrittenInTheModulesBuildOutput() throws Exception {
        Path module = module();
        jar(module, "gulimall-order.jar", false);
        ImageSource source = choose(new ImageRequest());
        ImageSource.DockerContext context = source.dockerContext(new ImageRequest(), log::add);
        assertThat(context.dir()).isEqualTo(source.generatedContext());
        assertThat(context.dockerfile()).isEqualTo(source.generatedContext().resolve("Dockerfile"));
        assertThat(context.generatedLayers()).contains("dependencies", "application");
        assertThat(Files.readString(context.dockerfile()))
                .contains("\nFROM " + GeneratedImage.DEFAULT_BASE_IMAGE + "\n")
                .contains("COPY application/ /");
        assertThat(log)
                .anyMatch(l -> l.startsWith("no Dockerfile in " + module + ": generated a layered one from "
                        + "gulimall-order.jar (layers "));
    }

    @Test
    void onlyAPushedGeneratedImageWithNoDaemonAskedForIsBuiltWithoutTheEngine() throws Exception {
        Path module = module();
        ImageSource generated = choose(new ImageRequest());
        assertThat(DaemonlessImage.applies(generated, new ImageRequest())).isTrue();
        assertThat(DaemonlessImage.applies(generated, new ImageRequest().push(false)))
                .isFalse();
        assertThat(DaemonlessImage.applies(generated, new ImageRequest().saveTo("images/order.tar")))
                .isFalse();
        assertThat(DaemonlessImage.applies(
                        generated, new ImageRequest().generated(new GeneratedImage(null, 8080, "prod", null, true))))
                .isFalse();
        Files.writeString(module.resolve("Dockerfile"), "FROM scratch\n");
        assertThat(DaemonlessImage.applies(choose(new ImageRequest()), new ImageRequest()))
                .isFalse();
    }
}
