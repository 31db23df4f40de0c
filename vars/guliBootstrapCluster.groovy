// guliBootstrapCluster: the course's cluster chapter as a job. Node preparation on every node, kubeadm init with an
// image-repository mirror and the CNI on the control plane, a fresh join command for the workers, optionally
// KubeSphere with a default StorageClass. Each script is idempotent: re-running the job changes nothing and says so.
// Scripted pipeline; agents run the scripts as root (sudo: true prefixes `sudo -E`).
//
//   guliBootstrapCluster(controlPlane: 'k8s-node1', workers: ['k8s-node2', 'k8s-node3'], k8sVersion: '1.28.2',
//                        apiserverAddress: '192.168.56.10')
//
// Parameters: controlPlane (agent label of the control-plane node), workers (labels of the worker nodes),
// k8sVersion, apiserverAddress, imageRepository (default registry.aliyuncs.com/google_containers),
// podNetworkCidr (10.244.0.0/16), serviceCidr (10.96.0.0/16), packageMirror (the kubeadm/kubelet/kubectl package
// repository, default the Aliyun mirror), containerRuntime (containerd), cniManifest (flannel), kubesphere (false),
// kubesphereVersion (v3.3.2), defaultStorageClass, sudo (false).
def call(Map args = [:]) {
    ['controlPlane', 'k8sVersion', 'apiserverAddress'].each {
        if (!args[it]) {
            error("guliBootstrapCluster: ${it} is required")
        }
    }
    List workers = (args.workers ?: []) as List
    String sudo = args.sudo ? 'sudo -E ' : ''
    List common = ["K8S_VERSION=${args.k8sVersion}", "CONTAINER_RUNTIME=${args.containerRuntime ?: 'containerd'}"]
    if (args.packageMirror) {
        common << "K8S_REPO_BASEURL=${args.packageMirror}"
    }
    def runScript = { String name, List vars ->
        String file = ".guli-bootstrap-${name}"
        writeFile file: file, text: libraryResource("io/github/guli/bootstrap/cluster/${name}")
        try {
            withEnv(vars) {
                sh "${sudo}bash ${file}"
            }
        } finally {
            sh "rm -f ${file}"
        }
    }

    stage('Prepare nodes') {
        ([args.controlPlane] + workers).each { label ->
            node(label as String) {
                runScript('node-prep.sh', common)
            }
        }
    }
    String joinStash = "guli-join-${env.BUILD_NUMBER ?: 'local'}"
    // a folder beside the workspace only this agent's user can enter (mode 700), removed after the body
    def inPrivateDir = { Closure body ->
        String tmp = "${pwd()}@tmp"
        String d = "${tmp}/guli-join"
        sh "umask 077 && mkdir -p '${tmp}' && rm -rf '${d}' && mkdir -m 700 '${d}'"
        try {
            body(d)
        } finally {
            sh "${sudo}rm -rf '${d}'"
        }
    }
    stage('Control plane') {
        node(args.controlPlane as String) {
            List vars = common + ["APISERVER_ADVERTISE_ADDRESS=${args.apiserverAddress}",
                                  "IMAGE_REPOSITORY=${args.imageRepository ?: 'registry.aliyuncs.com/google_containers'}",
                                  "POD_NETWORK_CIDR=${args.podNetworkCidr ?: '10.244.0.0/16'}",
                                  "SERVICE_CIDR=${args.serviceCidr ?: '10.96.0.0/16'}"]
            if (args.cniManifest) {
                vars << "CNI_MANIFEST=${args.cniManifest}"
            }
            runScript('control-plane-init.sh', vars)
            if (workers) {
                // a fresh token for this run (2 h), written by kubeadm into a private folder and carried to the
                // workers by stash: never a step's argument, a Pipeline variable nor the log
                inPrivateDir { String d ->
                    runScript('print-join-command.sh', ["JOIN_COMMAND_FILE=${d}/join"])
                    dir(d) {
                        stash name: joinStash, includes: 'join'
                    }
                }
            }
        }
    }
    if (workers) {
        stage('Join workers') {
            workers.each { label ->
                node(label as String) {
                    inPrivateDir { String d ->
                        dir(d) {
                            unstash joinStash // keeps the file's mode 600
                        }
                        runScript('worker-join.sh', ["JOIN_COMMAND_FILE=${d}/join"])
                    }
                }
            }
        }
    }
    if (args.kubesphere) {
        stage('KubeSphere') {
            node(args.controlPlane as String) {
                List vars = ["KUBESPHERE_VERSION=${args.kubesphereVersion ?: 'v3.3.2'}"]
                if (args.defaultStorageClass) {
                    vars << "DEFAULT_STORAGECLASS=${args.defaultStorageClass}"
                }
                runScript('kubesphere.sh', vars)
            }
        }
    }
}
