package io.github.guli.engine.image;

import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What an image is built from: the module folder, and in it the Dockerfile to build or, when there is none, the
 * Spring Boot jar a layered image is generated from. It chooses and checks; {@link ImageBuild} builds.
 *
 * @param module the module folder
 * @param dockerfile the Dockerfile to build (the one given, or the module's own); null: a generated image
 */
record ImageSource(Path module, Path dockerfile) {
    /** Where the generated build context goes, inside the module's build output. */
    static final String GENERATED_CONTEXT = "target/guli-image";

    /** A Dockerfile and the folder sent as its build context; the Spring Boot layers when it was generated. */
    record DockerContext(Path dockerfile, Path dir, List<String> generatedLayers) {}

    /** The module of {@code r} in {@code workspace}, and its Dockerfile when it has or is given one. */
    static ImageSource choose(Path workspace, ImageRequest r, Log log) {
        Path module = moduleDir(workspace, r.module(), r.name());
        if (!Blank.isBlank(r.dockerfile())) {
            Path f = module.resolve(r.dockerfile().trim()).normalize();
            if (!Files.isRegularFile(f)) {
                throw new GuliException("Dockerfile " + f + " does not exist: fix dockerfile (relative to the module "
                        + module + "), or leave it out to use the module's Dockerfile or a generated one");
            }
            return new ImageSource(module, f);
        }
        Path own = module.resolve("Dockerfile");
        if (Files.isRegularFile(own)) {
            log.info("building with " + own);
            return new ImageSource(module, own);
        }
        return new ImageSource(module, null);
    }

    static Path moduleDir(Path workspace, String module, String name) {
        Path dir;
        if (!Blank.isBlank(module)) {
            dir = workspace.resolve(module.trim()).normalize();
            if (!Files.isDirectory(dir)) {
                throw new GuliException("module folder " + dir + " does not exist: give module as a folder of the "
                        + "repository, e.g. gulimall-gateway, or '.' for the repository root");
            }
            return dir;
        }
        dir = workspace.resolve(name);
        return Files.isDirectory(dir) ? dir : workspace;
    }

    /** No Dockerfile: the image is generated from the module's Spring Boot jar. */
    boolean generated() {
        return dockerfile == null;
    }

    /** Where a generated image's files are written. */
    Path generatedContext() {
        return module.resolve(GENERATED_CONTEXT);
    }

    /**
     * What {@code docker build} is given: the Dockerfile and the module, or, for a generated image, the jar's layers
     * and a Dockerfile written for them in {@link #generatedContext()}.
     */
    DockerContext dockerContext(ImageRequest r, Log log) {
        if (!generated()) {
            return new DockerContext(dockerfile, module, null);
        }
        SpringBootJar jar = jar(r.jar());
        Path context = generatedContext();
        List<String> layers = jar.extractLayers(context);
        String text = r.generated().dockerfile(jar.path().getFileName().toString(), layers, jar.mainClass());
        Path file = context.resolve("Dockerfile");
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new GuliException("cannot write the generated Dockerfile " + file + ": " + e.getMessage(), e);
        }
        log.info("no Dockerfile in " + module + ": generated a layered one from "
                + jar.path().getFileName() + " (layers " + String.join(", ", layers) + "), FROM "
                + r.generated().baseImage());
        return new DockerContext(file, context, layers);
    }

    /** The Spring Boot jar of a generated image: the one {@code given}, relative to the module, or the one in target/. */
    SpringBootJar jar(String given) {
        if (!Blank.isBlank(given)) {
            Path p = module.resolve(given.trim()).normalize();
            if (!Files.isRegularFile(p)) {
                throw new GuliException("jar " + p + " does not exist: build the module first, or fix jar");
            }
            SpringBootJar j = SpringBootJar.open(p);
            if (j == null) {
                throw new GuliException(p + " is not a Spring Boot jar (no Start-Class, no BOOT-INF/): package it with "
                        + "spring-boot-maven-plugin (goal repackage), or give a Dockerfile");
            }
            return j;
        }
        Path target = module.resolve("target");
        List<SpringBootJar> found = new ArrayList<>();
        if (Files.isDirectory(target)) {
            try (Stream<Path> s = Files.list(target)) {
                s.filter(p -> p.getFileName().toString().endsWith(".jar"))
                        .sorted()
                        .map(SpringBootJar::open)
                        .filter(j -> j != null)
                        .forEach(found::add);
            } catch (IOException e) {
                throw new GuliException("cannot list " + target + ": " + e.getMessage(), e);
            }
        }
        if (found.isEmpty()) {
            throw new GuliException("no Dockerfile in " + module + " and no Spring Boot jar in " + target + ": add a "
                    + "Dockerfile to the module, or build it first (guliBuild, or mvn package with spring-boot-maven-plugin) "
                    + "so that target/ holds its Spring Boot jar");
        }
        if (found.size() > 1) {
            throw new GuliException("more than one Spring Boot jar in " + target + " ("
                    + String.join(
                            ", ",
                            found.stream()
                                    .map(j -> j.path().getFileName().toString())
                                    .toList())
                    + "): give jar, e.g. target/" + found.get(0).path().getFileName());
        }
        return found.get(0);
    }
}
