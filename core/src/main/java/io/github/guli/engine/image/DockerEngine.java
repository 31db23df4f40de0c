package io.github.guli.engine.image;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.github.guli.engine.GuliException;
import java.io.Serializable;
import java.time.Duration;

/**
 * Where the Docker engine answers, as the {@code docker} command finds it: {@code DOCKER_HOST} (default the local
 * socket), and for a TCP engine with TLS {@code DOCKER_TLS_VERIFY=1} and the client certificates in
 * {@code DOCKER_CERT_PATH}. Taken from the build's environment, not from the agent process's.
 */
public record DockerEngine(String host, boolean tlsVerify, String certPath) implements Serializable {
    public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

    public static DockerEngine fromEnvironment(java.util.Map<String, String> env) {
        String host = env.get("DOCKER_HOST");
        String verify = env.get("DOCKER_TLS_VERIFY");
        return new DockerEngine(host == null || host.isBlank() ? DEFAULT_HOST : host.trim(),
                verify != null && !verify.isBlank() && !verify.equals("0"), env.get("DOCKER_CERT_PATH"));
    }

    /** A client of the engine, checked to answer. */
    public DockerClient connect() {
        DefaultDockerClientConfig.Builder b = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host).withDockerTlsVerify(tlsVerify);
        if (tlsVerify) {
            b.withDockerCertPath(certPath);
        }
        DockerClient client;
        try {
            DefaultDockerClientConfig config = b.build();
            client = DockerClientImpl.getInstance(config, new ApacheDockerHttpClient.Builder()
                    .dockerHost(config.getDockerHost()).sslConfig(config.getSSLConfig())
                    .connectionTimeout(Duration.ofSeconds(10)).responseTimeout(Duration.ofMinutes(30)).build());
        } catch (RuntimeException e) {
            throw unreachable(e);
        }
        try {
            client.pingCmd().exec();
        } catch (RuntimeException e) {
            throw unreachable(e);
        }
        return client;
    }

    private GuliException unreachable(RuntimeException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String why = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return new GuliException("cannot reach the Docker engine at " + host + " (" + why + "): start the Docker "
                + "engine on this agent (dockerd), let the build's user use its socket (the docker group), or set "
                + "DOCKER_HOST to where it listens", e);
    }
}
