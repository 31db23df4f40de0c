package io.github.guli.engine.deploy;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.github.guli.engine.Blank;
import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.util.List;
import javax.net.ssl.SSLException;

/** A Kubernetes client from a kubeconfig held in memory, and API errors turned into messages that say what to fix. */
public final class KubeConnection {
    private KubeConnection() {}

    /**
     * @param kubeconfig the kubeconfig text, or null for the machine's own (KUBECONFIG, ~/.kube/config, or the pod's
     *                   service account when it runs in the cluster)
     * @param context the kubeconfig context to use, or null for its current-context
     */
    public static KubernetesClient connect(Kubeconfig kubeconfig, String context, Log log) {
        Config config;
        if (kubeconfig != null) {
            config = fromKubeconfig(kubeconfig, context);
        } else {
            config = Config.autoConfigure(context);
            log.info("no kubeconfig credentials given: using this machine's own configuration (KUBECONFIG, "
                    + "~/.kube/config or the pod's service account)");
        }
        config.setConnectionTimeout(10_000);
        config.setRequestTimeout(30_000);
        config.setRequestRetryBackoffLimit(2);
        config.setRequestRetryBackoffInterval(200);
        return new KubernetesClientBuilder()
                .withConfig(config)
                .withHttpClientFactory(new JdkHttpClientFactory())
                .build();
    }

    static Config fromKubeconfig(Kubeconfig kubeconfig, String context) {
        io.fabric8.kubernetes.api.model.Config parsed;
        try {
            parsed = KubeConfigUtils.parseConfigFromString(kubeconfig.content());
        } catch (RuntimeException e) {
            throw new GuliException("the " + kubeconfig + " does not parse as a kubeconfig (" + firstLine(e)
                    + "): store the whole file that kubectl uses (apiVersion: v1, kind: Config, clusters, users, "
                    + "contexts) as a secret file or secret text");
        }
        if (parsed == null
                || parsed.getContexts() == null
                || parsed.getContexts().isEmpty()
                || parsed.getClusters() == null
                || parsed.getClusters().isEmpty()) {
            throw new GuliException("the " + kubeconfig + " is not a kubeconfig: it has no clusters or contexts; store "
                    + "the whole file that kubectl uses (apiVersion: v1, kind: Config, clusters, users, contexts)");
        }
        List<String> contexts =
                parsed.getContexts().stream().map(NamedContext::getName).toList();
        String use = context != null ? context : parsed.getCurrentContext();
        if (Blank.isBlank(use)) {
            if (contexts.size() != 1) {
                throw new GuliException("the " + kubeconfig + " has no current-context and " + contexts.size()
                        + " contexts (" + String.join(", ", contexts) + "): give 'context'");
            }
            use = contexts.get(0);
        }
        if (!contexts.contains(use)) {
            throw new GuliException("the " + kubeconfig + " has no context '" + use + "'; its contexts are: "
                    + String.join(", ", contexts));
        }
        Config config = Config.empty();
        KubeConfigUtils.merge(config, use, parsed);
        if (Blank.isBlank(config.getMasterUrl())) {
            throw new GuliException(
                    "the " + kubeconfig + ": context '" + use + "' names no cluster with a server address");
        }
        return config;
    }

    /**
     * What went wrong, for a person: the API server's refusal (401, 403, 404, 409, 422) or the connection's failure,
     * with the fix. A 409 is a {@link ConflictException}, the one refusal worth trying again.
     *
     * @param action what was being done, e.g. "create Deployment gulimall/gulimall-auth-server"
     */
    public static GuliException explain(KubernetesClientException e, String action, String server) {
        Throwable cause = rootCause(e);
        if (cause instanceof ConnectException) {
            return new GuliException(
                    "cannot " + action + ": the API server " + server + " refused the connection: is the "
                            + "cluster up, the server address in the kubeconfig right, and the address reachable from this agent?",
                    e);
        }
        if (cause instanceof UnknownHostException) {
            return new GuliException(
                    "cannot " + action + ": the API server's host in " + server + " is unknown (" + cause.getMessage()
                            + "): fix the server address in the kubeconfig",
                    e);
        }
        if (cause instanceof HttpConnectTimeoutException || cause instanceof java.net.SocketTimeoutException) {
            return new GuliException(
                    "cannot " + action + ": the API server " + server + " did not answer in time: is it "
                            + "reachable from this agent (firewall, VPN)?",
                    e);
        }
        if (cause instanceof SSLException || cause instanceof java.security.cert.CertificateException) {
            return new GuliException(
                    "cannot " + action + ": TLS with the API server " + server + " failed (" + cause.getMessage()
                            + "): check certificate-authority-data in the kubeconfig",
                    e);
        }
        String status = e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage()
                : firstLine(e);
        return switch (e.getCode()) {
            case 401 ->
                new GuliException(
                        "cannot " + action + ": the API server " + server + " did not accept the "
                                + "kubeconfig's credentials (401 Unauthorized): the token or client certificate is wrong or has "
                                + "expired; update the kubeconfig credentials",
                        e);
            case 403 ->
                new GuliException(
                        "cannot " + action + ": the kubeconfig's user is not allowed to (403 Forbidden: " + status
                                + "); grant it the right (RBAC Role and RoleBinding) or use another kubeconfig",
                        e);
            case 404 ->
                new GuliException(
                        "cannot " + action + ": not found (404: " + status + "); does the namespace "
                                + "exist, and does the cluster serve this apiVersion?",
                        e);
            case 409 ->
                new ConflictException(
                        "cannot " + action + ": it changed meanwhile (409 Conflict: " + status
                                + "); run the deploy again",
                        e);
            case 422 ->
                new GuliException(
                        "cannot " + action + ": the API server refused it (422 Invalid: " + status
                                + "); fix the manifest",
                        e);
            default ->
                new GuliException(
                        "cannot " + action + ": " + (e.getCode() > 0 ? "HTTP " + e.getCode() + ": " : "") + status, e);
        };
    }

    private static Throwable rootCause(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
            if (c instanceof ConnectException || c instanceof UnknownHostException || c instanceof SSLException) {
                return c;
            }
        }
        return c;
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
