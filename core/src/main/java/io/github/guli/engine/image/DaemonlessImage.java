package io.github.guli.engine.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.registry.BlobUpload;
import io.github.guli.engine.registry.ImageManifest;
import io.github.guli.engine.registry.ImageRef;
import io.github.guli.engine.registry.RegistryClient;
import io.github.guli.engine.registry.RegistryEndpoint;
import io.github.guli.engine.registry.Retry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The generated layered image of a Spring Boot module, made without a Docker engine: the base image's manifest
 * and config are read from its registry, one layer per jar layer is written in the build directory, and the
 * image goes straight to the registry through its HTTP API. The result is the image the generated Dockerfile
 * describes (same files, times and modes, user, port, environment, entry point), with the same digest for the
 * same jar and base image. The registry login reads the base image only when {@link RegistryLogin} allows it:
 * any other base image, in the configured registry or elsewhere, is read anonymously.
 */
final class DaemonlessImage {
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    private static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    /** What the cluster's nodes run; a multi-platform base image gives this one. */
    private static final String OS = "linux";

    private static final String ARCHITECTURE = "amd64";
    /** The time every generated image says it was created: the same inputs, the same config. */
    private static final String CREATED = "1980-01-01T00:00:00Z";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Log log;
    private final Retry retry;
    private final LayerCache kept;

    /** @param kept where layers are kept between builds; null: none */
    DaemonlessImage(Log log, Retry retry, LayerCache kept) {
        this.log = log;
        this.retry = retry;
        this.kept = kept;
    }

    /** Whether a request is built this way: a generated image, pushed, with no daemon asked for. */
    static boolean applies(ImageSource source, ImageRequest r) {
        return source.generated() && !r.generated().daemon() && r.push() && r.saveTo() == null;
    }

    ImageResult run(
            ImageRequest r,
            RegistryEndpoint endpoint,
            List<ImageRef> refs,
            ImageSource source,
            SpringBootJar jar,
            Map<String, String> labels) {
        GeneratedImage settings = r.generated();
        String repository = refs.get(0).repository();
        RegistryClient target = new RegistryClient(endpoint, r.credentials(), retry, log);
        BaseImage base = BaseImage.parse(settings.baseImage(), "baseImage");
        RegistryLogin login = new RegistryLogin(endpoint, r.namespace(), r.allowedBaseImages());
        boolean withLogin = login.covers(base);
        RegistryClient from =
                withLogin ? target : new RegistryClient(base.endpoint(endpoint), null, retry, log); // anonymous
        if (!withLogin) {
            log.info("base image " + base + " is read anonymously (the registry login reads " + endpoint.host() + "/"
                    + r.namespace() + "/ and " + RegistryLogin.SETTING + " only)");
        }
        Path dir = source.generatedContext();
        try {
            SpringBootJar.deleteRecursively(dir);
            Files.createDirectories(dir);
            BaseParts parts = readBase(from, base, login);
            List<LayerBlob> layers = writeLayers(jar, dir);
            byte[] config = config(parts.config, layers, settings, jar.mainClass(), labels);
            Path configFile = dir.resolve("config.json");
            Files.write(configFile, config);
            String configDigest = RegistryClient.sha256(config);

            BlobUpload blobs = new BlobUpload(target);
            Sent sent = new Sent();
            for (JsonNode layer : parts.manifest.path("layers")) {
                String digest = layer.path("digest").asText();
                if (!blobs.exists(repository, digest)
                        && !(withLogin && blobs.mount(repository, digest, base.repository()))) {
                    Path copy = dir.resolve("base-" + digest.replace(':', '-'));
                    new BlobUpload(from).download(base.repository(), digest, copy);
                    sent.add(blobs.upload(repository, digest, copy));
                    Files.delete(copy);
                } else {
                    sent.existing++;
                }
            }
            for (LayerBlob layer : layers) {
                sendIfMissing(blobs, repository, layer.digest(), layer.file(), sent);
            }
            sendIfMissing(blobs, repository, configDigest, configFile, sent);

            ImageManifest manifest = manifest(parts, configDigest, config.length, layers);
            String digest = null;
            for (ImageRef ref : refs) {
                String d = target.putManifest(repository, ref.tag(), manifest);
                if (!d.equals(manifest.digest())) {
                    throw new GuliException("the registry stored " + ref + " as " + d + " but the manifest sent is "
                            + manifest.digest() + ": the registry rewrote it; build with daemon: true instead");
                }
                digest = d;
            }
            log.info("pushed " + refs.get(0).registry() + "/" + repository + " with no Docker engine: " + sent.blobs
                    + " blob(s) sent (" + sent.bytes + " bytes), " + sent.existing + " already in the registry -> "
                    + digest);
            return new ImageResult(
                    endpoint.host() + "/" + repository,
                    refs.stream().map(ImageRef::tag).toList(),
                    digest,
                    configDigest,
                    "generated",
                    layers.stream().map(LayerBlob::layer).toList(),
                    null);
        } catch (IOException e) {
            throw new GuliException("cannot write the image's layers in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static final class Sent {
        int blobs;
        int existing;
        long bytes;

        void add(long n) {
            blobs++;
            bytes += n;
        }
    }

    private static void sendIfMissing(BlobUpload blobs, String repository, String digest, Path file, Sent sent) {
        if (blobs.exists(repository, digest)) {
            sent.existing++;
        } else {
            sent.add(blobs.upload(repository, digest, file));
        }
    }

    private record BaseParts(ObjectNode manifest, String mediaType, byte[] config) {}

    /** The base image's single-platform manifest and its config. */
    private BaseParts readBase(RegistryClient from, BaseImage base, RegistryLogin login) throws IOException {
        ImageManifest m;
        try {
            m = from.findManifest(base.repository(), base.reference());
        } catch (RegistryClient.LoginRequired e) {
            if (login.inRegistry(base)) {
                throw login.refused(base, "baseImage");
            }
            throw new GuliException(
                    "the base image " + base + " is on " + base.registry() + ", which asks for a "
                            + "login: registry credentials are only sent to the configured registry. Push the base image to "
                            + "the configured registry and give it as baseImage, or use a base image that can be read "
                            + "anonymously",
                    e);
        }
        if (m == null) {
            throw new GuliException("the base image " + base + " does not exist: fix baseImage (default "
                    + GeneratedImage.DEFAULT_BASE_IMAGE + ")");
        }
        ObjectNode tree = manifestJson(m, base);
        if (m.mediaType().startsWith(OCI_INDEX) || m.mediaType().startsWith(DOCKER_LIST)) {
            String platform = null;
            for (JsonNode entry : tree.path("manifests")) {
                JsonNode p = entry.path("platform");
                if (OS.equals(p.path("os").asText())
                        && ARCHITECTURE.equals(p.path("architecture").asText())) {
                    platform = entry.path("digest").asText();
                    break;
                }
            }
            if (platform == null) {
                throw new GuliException("the base image " + base + " has no " + OS + "/" + ARCHITECTURE + " variant: "
                        + "give a baseImage built for it");
            }
            m = from.getManifest(base.repository(), platform);
            tree = manifestJson(m, base);
        }
        if (!m.mediaType().startsWith(DOCKER_MANIFEST) && !m.mediaType().startsWith(OCI_MANIFEST)) {
            throw new GuliException("the base image " + base + " has a manifest of type " + m.mediaType()
                    + ", which is not an image: give another baseImage");
        }
        String configDigest = tree.path("config").path("digest").asText();
        byte[] config = new BlobUpload(from).read(base.repository(), configDigest);
        return new BaseParts(tree, m.mediaType().startsWith(OCI_MANIFEST) ? OCI_MANIFEST : DOCKER_MANIFEST, config);
    }

    private static ObjectNode manifestJson(ImageManifest m, BaseImage base) {
        try {
            if (JSON.readTree(m.body()) instanceof ObjectNode o) {
                return o;
            }
        } catch (IOException e) {
            // reported below
        }
        throw new GuliException(
                "the registry answered the manifest of " + base + " with something that is not a " + "JSON object");
    }

    private List<LayerBlob> writeLayers(SpringBootJar jar, Path dir) throws IOException {
        List<LayerBlob> out = new ArrayList<>();
        try (SpringBootJar.Contents c = jar.contents(SpringBootJar.Limits.DEFAULT)) {
            for (Map.Entry<String, List<String>> layer : c.layers().entrySet()) {
                out.add(layer(c, layer.getKey(), layer.getValue(), dir));
            }
        }
        log.info("layers of " + jar.path().getFileName() + ": "
                + String.join(
                        ", ",
                        out.stream()
                                .map(l -> l.layer() + " (" + l.size() + " bytes)")
                                .toList()));
        return out;
    }

    /** One layer: the kept one when its files are unchanged, else written (and kept, with a cache). */
    private LayerBlob layer(SpringBootJar.Contents c, String layer, List<String> names, Path dir) throws IOException {
        if (kept == null) {
            return LayerBlob.write(c, layer, names, dir.resolve(layer + ".tar.gz"));
        }
        String diffId = LayerBlob.diffId(c, names);
        LayerBlob found = kept.find(layer, diffId, log);
        return found != null ? found : kept.keep(c, layer, names, diffId);
    }

    /**
     * The base image's config with what the generated Dockerfile's instructions would change, and the {@code labels}
     * as {@code docker build --label} sets them (over the base image's).
     */
    static byte[] config(
            byte[] baseConfig,
            List<LayerBlob> layers,
            GeneratedImage settings,
            String mainClass,
            Map<String, String> labels)
            throws IOException {
        if (!(JSON.readTree(baseConfig) instanceof ObjectNode c)) {
            throw new GuliException("the base image's config is not a JSON object");
        }
        c.put("created", CREATED);
        // they describe the container the base image was built in, not this image
        c.remove(List.of("container", "container_config", "docker_version"));
        ObjectNode run = c.withObjectProperty("config");
        run.put("User", GeneratedImage.USER);
        run.withObjectProperty("ExposedPorts").set(settings.port() + "/tcp", JSON.createObjectNode());
        if (!settings.javaOptions().isEmpty()) {
            ArrayNode env = JSON.createArrayNode();
            for (JsonNode e : run.path("Env")) {
                if (!e.asText().startsWith("JAVA_TOOL_OPTIONS=")) {
                    env.add(e);
                }
            }
            env.add("JAVA_TOOL_OPTIONS=" + settings.javaOptions());
            run.set("Env", env);
        }
        ArrayNode entrypoint = run.putArray("Entrypoint");
        settings.entrypoint(mainClass).forEach(entrypoint::add);
        run.putNull("Cmd"); // as ENTRYPOINT does in a Dockerfile: the base image's CMD would become arguments
        if (!labels.isEmpty()) {
            ObjectNode all = run.path("Labels") instanceof ObjectNode base ? base : run.putObject("Labels");
            labels.forEach(all::put);
        }
        ArrayNode diffIds = c.withObjectProperty("rootfs").withArrayProperty("diff_ids");
        ArrayNode history = c.withArrayProperty("history");
        for (LayerBlob layer : layers) {
            diffIds.add(layer.diffId());
            history.addObject()
                    .put("created", CREATED)
                    .put("created_by", "COPY " + layer.layer() + "/ / # guli-pipeline");
        }
        return JSON.writeValueAsBytes(c);
    }

    private static ImageManifest manifest(BaseParts base, String configDigest, int configSize, List<LayerBlob> layers)
            throws IOException {
        boolean oci = base.mediaType.equals(OCI_MANIFEST);
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", base.mediaType);
        m.putObject("config")
                .put(
                        "mediaType",
                        oci
                                ? "application/vnd.oci.image.config.v1+json"
                                : "application/vnd.docker.container.image.v1+json")
                .put("size", configSize)
                .put("digest", configDigest);
        ArrayNode all = m.putArray("layers");
        base.manifest.path("layers").forEach(all::add);
        for (LayerBlob layer : layers) {
            all.addObject()
                    .put(
                            "mediaType",
                            oci
                                    ? "application/vnd.oci.image.layer.v1.tar+gzip"
                                    : "application/vnd.docker.image.rootfs.diff.tar.gzip")
                    .put("size", layer.size())
                    .put("digest", layer.digest());
        }
        byte[] body = JSON.writeValueAsBytes(m);
        return new ImageManifest(body, base.mediaType, RegistryClient.sha256(body));
    }
}
