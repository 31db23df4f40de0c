package io.github.guli.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bootstrap script is shellcheck-clean. The cluster scripts (kubeadm cannot run here) are run against stub
 * kubeadm/kubectl commands on PATH that record their calls: this checks their "already done" guards and what a
 * first and a second run call, not Kubernetes itself.
 */
class ClusterScriptsTest {
    @TempDir
    Path dir;

    @Test
    void everyScriptIsShellcheckClean() throws Exception {
        List<String> scripts;
        try (Stream<Path> s = Files.walk(Local.SCRIPTS)) {
            scripts = s.filter(p -> p.toString().endsWith(".sh"))
                    .map(Path::toString)
                    .sorted()
                    .toList();
        }
        assertThat(scripts).hasSizeGreaterThanOrEqualTo(9);
        List<String> cmd = new ArrayList<>(List.of("shellcheck", "--severity=info", "--shell=bash"));
        cmd.addAll(scripts);
        Local.Result r = Local.exec(cmd, Map.of(), Duration.ofMinutes(2));
        assertThat(r.exit()).as(r.output()).isZero();
    }

    private Path stub(String name, String body) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path p = bin.resolve(name);
        Files.writeString(
                p, "#!/usr/bin/env bash\necho \"" + name + " $*\" >>\"" + dir.resolve("calls") + "\"\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private List<String> calls() throws Exception {
        Path c = dir.resolve("calls");
        List<String> lines = Files.exists(c) ? Files.readAllLines(c) : List.of();
        Files.deleteIfExists(c);
        return lines;
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
        env.put("HOME", dir.resolve("home").toString());
        env.put("KUBERNETES_DIR", dir.resolve("etc-kubernetes").toString());
        return env;
    }

    @Test
    void controlPlaneInitRunsOnceThenSaysAlreadyDone() throws Exception {
        Path k8s = Files.createDirectories(dir.resolve("etc-kubernetes"));
        stub("kubeadm", "if [ \"$1\" = init ]; then echo admin > \"" + k8s.resolve("admin.conf") + "\"; fi");
        stub(
                "kubectl",
                "if [ \"$1\" = apply ]; then touch \"" + dir.resolve("cni") + "\"; fi\n"
                        + "if [ \"$1\" = get ] && [ -e \"" + dir.resolve("cni")
                        + "\" ]; then echo daemonset.apps/kube-flannel-ds; fi");
        Map<String, String> env = env();
        env.put("APISERVER_ADVERTISE_ADDRESS", "192.168.56.10");
        env.put("K8S_VERSION", "1.28.2");
        Path script = Local.script("cluster/control-plane-init.sh");

        Local.Result first = Local.run(script, env, Duration.ofMinutes(1));
        assertThat(first.exit()).as(first.output()).isZero();
        assertThat(calls())
                .contains("kubeadm init --apiserver-advertise-address=192.168.56.10 "
                        + "--image-repository=registry.aliyuncs.com/google_containers --kubernetes-version=v1.28.2 "
                        + "--pod-network-cidr=10.244.0.0/16 --service-cidr=10.96.0.0/16")
                .anyMatch(c -> c.startsWith("kubectl apply -f https://github.com/flannel-io/flannel/"));
        assertThat(first.output()).contains("control plane initialised");
        assertThat(dir.resolve("home/.kube/config")).hasContent("admin");

        Local.Result second = Local.run(script, env, Duration.ofMinutes(1));
        assertThat(second.exit()).as(second.output()).isZero();
        assertThat(second.output())
                .contains(
                        "already initialised",
                        "kubeconfig: already in place",
                        "CNI: already installed",
                        "nothing to do");
        assertThat(calls()).noneMatch(c -> c.startsWith("kubeadm init") || c.startsWith("kubectl apply"));
    }

    private static final String HASH = "sha256:" + "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private Path joinFile(String content) throws Exception {
        Path join = dir.resolve("join");
        Files.writeString(join, content);
        Files.setPosixFilePermissions(join, PosixFilePermissions.fromString("rw-------"));
        return join;
    }

    @Test
    void workerJoinUsesTheFileAndIsHarmlessTwice() throws Exception {
        Path k8s = Files.createDirectories(dir.resolve("etc-kubernetes"));
        String token = "abcdef.0123456789abcdef";
        stub("kubeadm", "if [ \"$1\" = join ]; then echo kubelet > \"" + k8s.resolve("kubelet.conf") + "\"; fi");
        Path join = joinFile(
                "kubeadm join 192.168.56.10:6443 --token " + token + " --discovery-token-ca-cert-hash " + HASH + "\n");
        Map<String, String> env = env();
        env.put("JOIN_COMMAND_FILE", join.toString());
        Path script = Local.script("cluster/worker-join.sh");

        Local.Result first = Local.run(script, env, Duration.ofMinutes(1));
        assertThat(first.exit()).as(first.output()).isZero();
        assertThat(first.output()).contains("joined").doesNotContain(token);
        assertThat(calls())
                .containsExactly(
                        "kubeadm join 192.168.56.10:6443 --token " + token + " --discovery-token-ca-cert-hash " + HASH);

        Local.Result second = Local.run(script, env, Duration.ofMinutes(1));
        assertThat(second.exit()).isZero();
        assertThat(second.output()).contains("already joined", "nothing to do");
        assertThat(calls()).isEmpty();

        Files.delete(k8s.resolve("kubelet.conf"));
        joinFile("echo not-a-join\n");
        Local.Result bad = Local.run(script, env, Duration.ofMinutes(1));
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.output()).contains("does not hold a 'kubeadm join HOST:PORT --token TOKEN");
    }

    @Test
    void workerJoinRunsNothingButKubeadmJoinAndRefusesAFileOthersCanRead() throws Exception {
        stub("kubeadm", "");
        Path planted = dir.resolve("planted");
        Path join = joinFile("kubeadm join 192.168.56.10:6443 --token abcdef.0123456789abcdef "
                + "--discovery-token-ca-cert-hash " + HASH + "; touch " + planted + "\n");
        Map<String, String> env = env();
        env.put("JOIN_COMMAND_FILE", join.toString());
        env.put("KUBERNETES_DIR", dir.resolve("etc-kubernetes").toString());
        Path script = Local.script("cluster/worker-join.sh");

        Local.Result more = Local.run(script, env, Duration.ofMinutes(1));
        assertThat(more.exit()).isNotZero();
        assertThat(more.output()).contains("does not hold a 'kubeadm join");
        assertThat(planted).as("a command after the join command is not run").doesNotExist();
        assertThat(calls()).isEmpty();

        joinFile("kubeadm join 192.168.56.10:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash "
                + HASH + "\n");
        Files.setPosixFilePermissions(join, PosixFilePermissions.fromString("rw-r--r--"));
        Local.Result open = Local.run(script, env, Duration.ofMinutes(1));
        assertThat(open.exit()).isNotZero();
        assertThat(open.output()).contains("has mode 644: it holds a token, so only its owner may read it");
        assertThat(calls()).isEmpty();
    }
}
