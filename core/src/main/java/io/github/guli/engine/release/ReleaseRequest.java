package io.github.guli.engine.release;

import io.github.guli.engine.UsernamePassword;
import io.github.guli.engine.registry.RegistryEndpoint;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code guliRelease} / {@code guli release} releases: the version's image tag in the registry and its git tag
 * {@code <projectName>-<projectVersion>} on the git server. Serializable: Jenkins builds it on the controller and
 * runs the release on the agent that holds the workspace. Unset values take the defaults noted on their setters.
 */
public final class ReleaseRequest implements Serializable {
    private static final long serialVersionUID = 1L;

    private String projectName;
    private String projectVersion;
    private String registry;
    private String namespace;
    private String sourceTag;
    private String sourceDigest;
    private List<String> configRecord = List.of();
    private UsernamePassword registryCredentials;
    private boolean tagImage = true;
    private String gitDir;
    private String gitRemote;
    private String commit;
    private UsernamePassword gitCredentials;
    private String taggerName;
    private String taggerEmail;
    private ArrayList<String> approvals = new ArrayList<>();

    /** The module and image name, e.g. {@code gulimall-gateway}; also the git tag's prefix. Required. */
    public ReleaseRequest projectName(String v) {
        projectName = v;
        return this;
    }

    /** The release version: {@code v} + a semantic version, e.g. {@code v1.2.0}. Required. */
    public ReleaseRequest projectVersion(String v) {
        projectVersion = v;
        return this;
    }

    /** {@code host[:port]} (HTTPS) or {@code http://host:port}; null: {@link RegistryEndpoint#DEFAULT}. */
    public ReleaseRequest registry(String v) {
        registry = v;
        return this;
    }

    /** The registry namespace (the course's DOCKERHUB_NAMESPACE). Required to tag the image. */
    public ReleaseRequest namespace(String v) {
        namespace = v;
        return this;
    }

    /**
     * The tag the image was pushed with, e.g. {@code SNAPSHOT-master-42}: the image to release. Required to tag the
     * image; a check does not use it (the image is not built yet).
     */
    public ReleaseRequest sourceTag(String v) {
        sourceTag = v;
        return this;
    }

    /**
     * The digest of the image to release ({@code sha256:...}), in the project's repository, instead of {@link
     * #sourceTag(String)}: a promotion releases what it deployed, by digest. Null (the default): the source tag.
     */
    public ReleaseRequest sourceDigest(String v) {
        sourceDigest = v;
        return this;
    }

    /**
     * The configuration this release published (a line per environment: namespace, group, each dataId with its
     * SHA-256), written into the annotated tag's message; null (the default): none.
     */
    public ReleaseRequest configRecord(List<String> v) {
        configRecord = v == null ? List.of() : List.copyOf(v);
        return this;
    }

    /** The registry login; null: anonymous. */
    public ReleaseRequest registryCredentials(UsernamePassword v) {
        registryCredentials = v;
        return this;
    }

    /** Whether to give the image the version's tag. Default true; false: the git tag only. */
    public ReleaseRequest tagImage(boolean v) {
        tagImage = v;
        return this;
    }

    /** The working tree that holds the commit to tag; null (the default): no git tag. */
    public ReleaseRequest gitDir(String v) {
        gitDir = v;
        return this;
    }

    /**
     * The URL to push the git tag to, the one the checkout used, without credentials. Required with
     * {@link #gitDir(String)}: it is never read from the working tree, which the build can rewrite.
     */
    public ReleaseRequest gitRemote(String v) {
        gitRemote = v;
        return this;
    }

    /** The built commit to tag; null: the working tree's HEAD. */
    public ReleaseRequest commit(String v) {
        commit = v;
        return this;
    }

    /** The git server's login; null: none. */
    public ReleaseRequest gitCredentials(UsernamePassword v) {
        gitCredentials = v;
        return this;
    }

    /** The tag's author; null: {@code guli-pipeline}. */
    public ReleaseRequest taggerName(String v) {
        taggerName = v;
        return this;
    }

    /** The tag author's email; null: {@code guli-pipeline@localhost}. */
    public ReleaseRequest taggerEmail(String v) {
        taggerEmail = v;
        return this;
    }

    public String projectName() {
        return projectName;
    }

    public String projectVersion() {
        return projectVersion;
    }

    /** The build's approval decisions, one JSON line each (the audit's): the tag message records them. Default none. */
    public ReleaseRequest approvals(List<String> v) {
        approvals = v == null ? new ArrayList<>() : new ArrayList<>(v);
        return this;
    }

    public List<String> approvals() {
        return List.copyOf(approvals);
    }

    public String registry() {
        return registry;
    }

    public String namespace() {
        return namespace;
    }

    public String sourceTag() {
        return sourceTag;
    }

    public String sourceDigest() {
        return sourceDigest;
    }

    public List<String> configRecord() {
        return configRecord;
    }

    public UsernamePassword registryCredentials() {
        return registryCredentials;
    }

    public boolean tagImage() {
        return tagImage;
    }

    public String gitDir() {
        return gitDir;
    }

    public String gitRemote() {
        return gitRemote;
    }

    public String commit() {
        return commit;
    }

    public UsernamePassword gitCredentials() {
        return gitCredentials;
    }

    public String taggerName() {
        return taggerName;
    }

    public String taggerEmail() {
        return taggerEmail;
    }
}
