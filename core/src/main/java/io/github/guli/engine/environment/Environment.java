package io.github.guli.engine.environment;

import io.github.guli.engine.Blank;
import io.github.guli.engine.UsernamePassword;
import io.github.guli.engine.deploy.Kubeconfig;
import java.io.Serializable;
import java.util.List;

/**
 * One environment a service is released through (test, staging, prod): where it runs and who may deploy there. Set
 * by the admins only. Serializable: Jenkins builds it on the controller, the promotion runs on the agent. Unset values
 * take the defaults noted on their setters.
 */
public final class Environment implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private String namespace;
    private Kubeconfig kubeconfig;
    private boolean approvalRequired = true;
    private List<String> approvers = List.of();
    private boolean releasePoint;
    private String nacosUrl;
    private String nacosNamespace;
    private String nacosGroup;
    private UsernamePassword nacosCredentials;
    private String imageRepository;

    /** @param name a DNS-1123 label, e.g. {@code staging} ({@link Environments} checks it) */
    public Environment(String name) {
        this.name = Blank.toNull(name);
    }

    /** The Kubernetes namespace the service runs in here; null (the default): the kubeconfig context's. */
    public Environment namespace(String v) {
        namespace = Blank.toNull(v);
        return this;
    }

    /** This environment's cluster; null (the default): the machine's own kubeconfig. */
    public Environment kubeconfig(Kubeconfig v) {
        kubeconfig = v;
        return this;
    }

    /** Whether a deploy here waits for an approval. Default true. */
    public Environment approvalRequired(boolean v) {
        approvalRequired = v;
        return this;
    }

    /** The users and groups who may approve a deploy here; null (the default): none named. */
    public Environment approvers(List<String> v) {
        approvers = v == null ? List.of() : List.copyOf(v);
        return this;
    }

    /** Whether the release (version tag) happens here. Default false; when none is marked, the last one is. */
    public Environment releasePoint(boolean v) {
        releasePoint = v;
        return this;
    }

    /** This environment's Nacos server, e.g. {@code http://nacos-prod:8848}; null (the default): none. */
    public Environment nacosUrl(String v) {
        nacosUrl = Blank.toNull(v);
        return this;
    }

    /** The Nacos namespace (tenant) of this environment; null (the default): Nacos' public namespace. */
    public Environment nacosNamespace(String v) {
        nacosNamespace = Blank.toNull(v);
        return this;
    }

    /** The Nacos group the configuration is published in; null (the default): {@code DEFAULT_GROUP}. */
    public Environment nacosGroup(String v) {
        nacosGroup = Blank.toNull(v);
        return this;
    }

    /** The login of this environment's Nacos; null (the default): anonymous. */
    public Environment nacosCredentials(UsernamePassword v) {
        nacosCredentials = v;
        return this;
    }

    /**
     * Where this environment's images are, {@code host[:port]/namespace} (e.g. {@code
     * registry.cn-hangzhou.aliyuncs.com/atguigumall-prod}): a promotion mounts the image into {@code
     * <it>/<image name>}; null (the default): the repository the environment before runs it from.
     */
    public Environment imageRepository(String v) {
        imageRepository = Blank.toNull(v) == null ? null : v.strip().replaceAll("/+$", "");
        return this;
    }

    public String imageRepository() {
        return imageRepository;
    }

    public String name() {
        return name;
    }

    public String namespace() {
        return namespace;
    }

    public Kubeconfig kubeconfig() {
        return kubeconfig;
    }

    public boolean approvalRequired() {
        return approvalRequired;
    }

    public List<String> approvers() {
        return approvers;
    }

    public boolean releasePoint() {
        return releasePoint;
    }

    public String nacosUrl() {
        return nacosUrl;
    }

    public String nacosNamespace() {
        return nacosNamespace;
    }

    public String nacosGroup() {
        return nacosGroup;
    }

    public UsernamePassword nacosCredentials() {
        return nacosCredentials;
    }

    @Override
    public String toString() {
        return "environment '" + name + "'";
    }
}
