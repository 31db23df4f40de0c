// kubernetesDeploy, the step of the Kubernetes Continuous Deploy plugin (kubernetes-cd, no longer maintained), kept
// for existing Jenkinsfiles: it takes the old parameters and calls guliDeployK8s, which validates the manifests
// before applying them, waits for the rollout and rolls back a failed one.
//
//   kubernetesDeploy(configs: "$PROJECT_NAME/deploy/**", enableConfigSubstitution: true, kubeconfigId: 'demo-kubeconfig')
//
// configs, enableConfigSubstitution and kubeconfigId mean what they meant (kubeconfigId now names a "Secret file" or
// "Secret text" credential holding the kubeconfig). guliDeployK8s's own parameters (namespace, context, wait, timeout,
// rollbackOnFailure, dryRun) may be given too. secretName still sets KUBERNETES_SECRET_NAME for the manifests; the
// registry secret the old plugin made from dockerCredentials is not made: create it once in the cluster.
// Written as plain scripted-pipeline code (no closures over collections), so it runs the same under CPS.

def call(Map args = [:]) {
    List passed = ['configs', 'enableConfigSubstitution', 'kubeconfigId', 'namespace', 'context', 'wait', 'timeout',
                   'rollbackOnFailure', 'dryRun']
    List notMade = ['secretNamespace', 'dockerCredentials']
    List oldCredentials = ['credentialsType', 'ssh', 'kubeConfig', 'textCredentials']
    List helm = ['deployType', 'deployTypeClass', 'helmChartLocation', 'helmReleaseName', 'helmNamespace',
                 'tillerNamespace', 'helmCommandType']
    Map step = [:]
    for (String key : args.keySet()) {
        if (passed.contains(key)) {
            step[key] = args[key]
        } else if (key == 'secretName') {
            // handled below
        } else if (notMade.contains(key)) {
            echo "[kubernetesDeploy] warning: ${key} is ignored: the old plugin created an image pull secret from " +
                    "dockerCredentials; create it once (kubectl create secret docker-registry NAME ...) and reference " +
                    "it in imagePullSecrets"
        } else if (oldCredentials.contains(key)) {
            error "[kubernetesDeploy] ${key} (the old plugin's way to reach the cluster) is not supported: store the " +
                    "kubeconfig as a 'Secret file' credential and pass its ID as kubeconfigId"
        } else if (helm.contains(key)) {
            error "[kubernetesDeploy] Helm deploys (${key}) are not supported by guliDeployK8s: run helm in an sh step"
        } else {
            echo "[kubernetesDeploy] warning: unknown parameter ${key} is ignored"
        }
    }
    if (args.secretName) {
        def result
        withEnv(["KUBERNETES_SECRET_NAME=${args.secretName}"]) {
            result = guliDeployK8s(step)
        }
        return result
    }
    return guliDeployK8s(step)
}
