package io.github.guli.engine.image;

import io.github.guli.engine.UsernamePassword;
import io.github.guli.engine.registry.RegistryEndpoint;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code guliImage} / {@code guli image} builds and where it pushes it. Serializable: Jenkins builds it on the
 * controller and runs it on the agent that holds the workspace. Unset values take the defaults noted on their
 * setters.
 */
public final class ImageRequest implements Serializable {
    private static final long serialVersionUID = 1L;

    private String workspace;
    private String module;
    private String dockerfile;
    private String jar;
    private String name;
    private String registry;
    private String namespace;
    private List<String> tags = List.of();
    private UsernamePassword credentials;
    private List<String> allowedBaseImages = List.of();
    private boolean push = true;
    private String saveTo;
    private GeneratedImage generated = GeneratedImage.DEFAULTS;
    private Map<String, String> env;
    private String layerCache;
    private Map<String, String> layerDigests = Map.of();

    /** The checked-out repository; null: the current directory. */
    public ImageRequest workspace(String v) {
        workspace = v;
        return this;
    }

    /**
     * The module folder, relative to the workspace; null: the folder named {@link #name(String)} when there is one
     * (the course's layout, one folder per service), else the workspace itself.
     */
    public ImageRequest module(String v) {
        module = v;
        return this;
    }

    /**
     * The Dockerfile, relative to the module; null: the module's Dockerfile when it has one, else a generated layered
     * one from the module's Spring Boot jar.
     */
    public ImageRequest dockerfile(String v) {
        dockerfile = v;
        return this;
    }

    /** The Spring Boot jar for a generated image, relative to the module; null: the one in target/. */
    public ImageRequest jar(String v) {
        jar = v;
        return this;
    }

    /** The image name (the course's PROJECT_NAME); required. */
    public ImageRequest name(String v) {
        name = v;
        return this;
    }

    /** {@code host[:port]}, or {@code http://host:port} for a plain-HTTP registry; null: the default registry. */
    public ImageRequest registry(String v) {
        registry = v;
        return this;
    }

    /** The registry namespace; null: none. */
    public ImageRequest namespace(String v) {
        namespace = v;
        return this;
    }

    /** Every tag to give the image, the first is the one reported; at least one is required. */
    public ImageRequest tags(List<String> v) {
        tags = v == null ? List.of() : List.copyOf(v);
        return this;
    }

    /** The registry login; null (the default): a registry that needs none. */
    public ImageRequest credentials(UsernamePassword v) {
        credentials = v;
        return this;
    }

    /**
     * The base images of the registry, outside the namespace, that the login may read (the admins' list, one
     * {@code [registry/]path}, {@code path:tag} or {@code path/*} each); any other image there is read anonymously.
     */
    public ImageRequest allowedBaseImages(List<String> v) {
        allowedBaseImages = v == null ? List.of() : List.copyOf(v);
        return this;
    }

    /** Each line is an entry {@link #allowedBaseImages(List)} takes, or an error naming the line and the form. */
    public static void checkAllowedBaseImages(List<String> lines) {
        new RegistryLogin(RegistryEndpoint.parse(null), null, lines);
    }

    /** Whether to push; false: build and tag only. Default true. */
    public ImageRequest push(boolean v) {
        push = v;
        return this;
    }

    /** A tar file to {@code docker save} the image to, relative to the workspace; null (the default): none. */
    public ImageRequest saveTo(String v) {
        saveTo = v;
        return this;
    }

    /** The settings of a generated image; null: {@link GeneratedImage#DEFAULTS}. */
    public ImageRequest generated(GeneratedImage v) {
        generated = v == null ? GeneratedImage.DEFAULTS : v;
        return this;
    }

    /**
     * The environment of the {@code docker} command (the build's, with DOCKER_HOST, DOCKER_TLS_VERIFY,
     * DOCKER_CERT_PATH when the engine is not the local socket); null: this process'.
     */
    public ImageRequest env(Map<String, String> v) {
        env = v == null ? null : new TreeMap<>(v);
        return this;
    }

    /**
     * A folder outside the workspace where a generated image's compressed layers are kept between builds
     * ({@link LayerCache}), and the SHA-256 {@link ImageBuild#layerDigests()} gave after the previous build, kept
     * where no build can write; null (the default): every layer is compressed for every build.
     */
    public ImageRequest layerCache(String dir, Map<String, String> recorded) {
        layerCache = dir;
        layerDigests = recorded == null ? Map.of() : new TreeMap<>(recorded);
        return this;
    }

    /** The {@link #layerCache(String, Map)}; null: none. */
    LayerCache keptLayers() {
        return layerCache == null ? null : new LayerCache(Path.of(layerCache), layerDigests);
    }

    public String workspace() {
        return workspace;
    }

    public String module() {
        return module;
    }

    public String dockerfile() {
        return dockerfile;
    }

    public String jar() {
        return jar;
    }

    public String name() {
        return name;
    }

    public String registry() {
        return registry;
    }

    public String namespace() {
        return namespace;
    }

    public List<String> tags() {
        return tags;
    }

    public UsernamePassword credentials() {
        return credentials;
    }

    public List<String> allowedBaseImages() {
        return allowedBaseImages;
    }

    public boolean push() {
        return push;
    }

    public String saveTo() {
        return saveTo;
    }

    public GeneratedImage generated() {
        return generated;
    }

    public Map<String, String> env() {
        return env;
    }
}
