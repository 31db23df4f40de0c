package io.github.guli.vars

import static org.assertj.core.api.Assertions.assertThat

import org.junit.jupiter.api.Test

/** vars/guliBootstrapCluster: the cluster chapter's scripts, on which nodes, in which order, with which settings. */
class GuliBootstrapClusterVarTest extends ScriptVarTestSupport {
    static final Map COURSE = [controlPlane: 'k8s-node1', workers: ['k8s-node2', 'k8s-node3'], k8sVersion: '1.28.2',
                               apiserverAddress: '192.168.56.10']
    static final String JOIN = 'kubeadm join 192.168.56.10:6443 --token abcdef.0123456789abcdef ' +
            '--discovery-token-ca-cert-hash sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'
    static final String TOKEN = 'abcdef.0123456789abcdef'
    /** The private folder beside the workspace where the join command is written and unstashed. */
    static final String JOIN_DIR = "$WORKSPACE@tmp/guli-join"
    static final String JOIN_FILE = "$JOIN_DIR/join"

    private Throwable bootstrap(Map args) {
        setUpVar(args)
        scriptOutputs['.guli-bootstrap-print-join-command.sh'] = [JOIN_FILE, JOIN]
        return runJenkinsfile('Jenkinsfile.bootstrapCluster')
    }

    /** The scripts run, as node: script, with the environment variables the var set for it. */
    private List<String> scripts() {
        shells.findAll { it.script.contains('bash .guli-bootstrap-') }.collect { Map s ->
            String vars = s.env.findAll { k, v -> k.toUpperCase() == k && !(k in ['BUILD_NUMBER', 'JOB_NAME', 'WORKSPACE', 'ARGS']) }
                    .collect { k, v -> "$k=$v" }.join(' ')
            "${s.node}: ${s.script} [$vars]".toString()
        }
    }

    @Test
    void theCoursesClusterPreparesEveryNodeInitsTheControlPlaneAndJoinsTheWorkers() {
        assertThat(bootstrap(COURSE)).isNull()
        assertThat(finalResult).isEqualTo('SUCCESS')
        assertThat(stages()).containsExactly('Prepare nodes', 'Control plane', 'Join workers')
        String common = 'K8S_VERSION=1.28.2 CONTAINER_RUNTIME=containerd'
        String join = "JOIN_COMMAND_FILE=$JOIN_FILE"
        assertThat(scripts()).containsExactly(
                "k8s-node1: bash .guli-bootstrap-node-prep.sh [$common]".toString(),
                "k8s-node2: bash .guli-bootstrap-node-prep.sh [$common]".toString(),
                "k8s-node3: bash .guli-bootstrap-node-prep.sh [$common]".toString(),
                ("k8s-node1: bash .guli-bootstrap-control-plane-init.sh [$common APISERVER_ADVERTISE_ADDRESS=192.168.56.10 " +
                        'IMAGE_REPOSITORY=registry.aliyuncs.com/google_containers POD_NETWORK_CIDR=10.244.0.0/16 ' +
                        'SERVICE_CIDR=10.96.0.0/16]').toString(),
                "k8s-node1: bash .guli-bootstrap-print-join-command.sh [$join]".toString(),
                "k8s-node2: bash .guli-bootstrap-worker-join.sh [$join]".toString(),
                "k8s-node3: bash .guli-bootstrap-worker-join.sh [$join]".toString())
        // each script is the library's own, written next to the workspace and removed after it ran
        assertThat(events).containsSubsequence('writeFile .guli-bootstrap-node-prep.sh', 'sh bash .guli-bootstrap-node-prep.sh',
                'sh rm -f .guli-bootstrap-node-prep.sh')
        assertThat(leftBehind()).as('no script nor join command is left on any node').isEmpty()
    }

    @Test
    void theJoinTokenIsInNoStepArgumentAndOnlyInAPrivateFolderOnEachNode() {
        assertThat(bootstrap(COURSE)).isNull()
        // every call the pipeline made, with all its arguments (writeFile's text, sh, withEnv, stash...)
        List<String> calls = helper.callStack.collect { "${it.methodName} ${it.args.collect { String.valueOf(it) }}".toString() }
        assertThat(calls).isNotEmpty().noneMatch { it.contains(TOKEN) }
        assertThat(echoes).noneMatch { it.contains(TOKEN) }
        String privateDir = "umask 077 && mkdir -p '$WORKSPACE@tmp' && rm -rf '$JOIN_DIR' && mkdir -m 700 '$JOIN_DIR'"
        // made on the control plane into the private folder, stashed, unstashed into one on each worker
        assertThat(events).containsSubsequence("node 'k8s-node1'", "sh $privateDir".toString(),
                'sh bash .guli-bootstrap-print-join-command.sh', "dir $JOIN_DIR".toString(), 'stash guli-join-7 join',
                "sh rm -rf '$JOIN_DIR'".toString(),
                "node 'k8s-node2'", "sh $privateDir".toString(), "dir $JOIN_DIR".toString(), 'unstash guli-join-7',
                'sh bash .guli-bootstrap-worker-join.sh', "sh rm -rf '$JOIN_DIR'".toString(),
                "node 'k8s-node3'", "sh $privateDir".toString(), "dir $JOIN_DIR".toString(), 'unstash guli-join-7',
                'sh bash .guli-bootstrap-worker-join.sh', "sh rm -rf '$JOIN_DIR'".toString())
        assertThat(shells.find { it.script.contains('worker-join.sh') }.env.JOIN_COMMAND_FILE).isEqualTo(JOIN_FILE)
        assertThat(events).noneMatch { it.startsWith('writeFile') && !it.startsWith('writeFile .guli-bootstrap-') }
        assertThat(leftBehind()).as('the join command is removed from every node').isEmpty()
    }

    @Test
    void everyOptionReachesItsScriptAndSudoPrefixesTheScriptsAndTheRemovalOfTheJoinCommand() {
        assertThat(bootstrap(COURSE + [workers: [], sudo: true, packageMirror: 'https://mirrors.example/kubernetes',
                                        containerRuntime: 'docker', imageRepository: 'registry.example/k8s',
                                        podNetworkCidr: '10.42.0.0/16', serviceCidr: '10.43.0.0/16',
                                        cniManifest: 'https://example/calico.yaml', kubesphere: true,
                                        kubesphereVersion: 'v3.4.0', defaultStorageClass: 'nfs'])).isNull()
        assertThat(stages()).containsExactly('Prepare nodes', 'Control plane', 'KubeSphere')
        String common = 'K8S_VERSION=1.28.2 CONTAINER_RUNTIME=docker K8S_REPO_BASEURL=https://mirrors.example/kubernetes'
        assertThat(scripts()).containsExactly(
                "k8s-node1: sudo -E bash .guli-bootstrap-node-prep.sh [$common]".toString(),
                ("k8s-node1: sudo -E bash .guli-bootstrap-control-plane-init.sh [$common APISERVER_ADVERTISE_ADDRESS=" +
                        '192.168.56.10 IMAGE_REPOSITORY=registry.example/k8s POD_NETWORK_CIDR=10.42.0.0/16 ' +
                        'SERVICE_CIDR=10.43.0.0/16 CNI_MANIFEST=https://example/calico.yaml]').toString(),
                'k8s-node1: sudo -E bash .guli-bootstrap-kubesphere.sh [KUBESPHERE_VERSION=v3.4.0 DEFAULT_STORAGECLASS=nfs]')
        assertThat(events).as('no workers: no join command is made').noneMatch { it.contains('join') }
    }

    @Test
    void aMissingRequiredParameterFailsBeforeAnyNode() {
        Map args = new LinkedHashMap(COURSE)
        args.remove('apiserverAddress')
        Throwable t = bootstrap(args)
        assertThat(finalResult).isEqualTo('FAILURE')
        assertThat(t).isInstanceOf(StepFailure).hasMessage('guliBootstrapCluster: apiserverAddress is required')
        assertThat(events).noneMatch { it.startsWith('node ') }
    }

    @Test
    void aFailingScriptFailsTheBuildWithItsMessageRemovesItsFileAndRunsNothingAfter() {
        setUpVar(COURSE)
        failingScripts['.guli-bootstrap-control-plane-init.sh'] = 'script returned exit code 1'
        Throwable t = runJenkinsfile('Jenkinsfile.bootstrapCluster')
        assertThat(finalResult).isEqualTo('FAILURE')
        assertThat(t).isInstanceOf(StepFailure).hasMessage('script returned exit code 1')
        assertThat(stages()).containsExactly('Prepare nodes', 'Control plane')
        assertThat(events.last()).isEqualTo('sh rm -f .guli-bootstrap-control-plane-init.sh')
        assertThat(leftBehind()).isEmpty()
    }

    @Test
    void aSecondRunDoesTheSameAgainWithAFreshJoinCommand() {
        assertThat(bootstrap(COURSE)).isNull()
        List<String> first = new ArrayList<>(events)
        events.clear()
        assertThat(runJenkinsfile('Jenkinsfile.bootstrapCluster')).isNull()
        assertThat(events).isEqualTo(first)
        assertThat(events.count('sh bash .guli-bootstrap-print-join-command.sh')).isEqualTo(1)
        assertThat(leftBehind()).isEmpty()
    }
}
