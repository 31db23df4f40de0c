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

def call(Map args = [:]) {
    Map plan = translate(args)
    if (plan.error) {
        error plan.error
    }
    if (plan.warnings) {
        echo plan.warnings.join('\n')
    }
    if (args.secretName) {
        def result
        withEnv(["KUBERNETES_SECRET_NAME=${args.secretName}"]) {
            result = guliDeployK8s(plan.step)
        }
        return result
    }
    return guliDeployK8s(plan.step)
}

/** The old parameters sorted out: guliDeployK8s's arguments, warnings for what is dropped, or why it cannot go on. */
@NonCPS
private static Map translate(Map args) {
    List passed = ['configs', 'enableConfigSubstitution', 'kubeconfigId', 'namespace', 'context', 'wait', 'timeout',
                   'rollbackOnFailure', 'dryRun']
    List notMade = ['secretNamespace', 'dockerCredentials']
    List oldCredentials = ['credentialsType', 'ssh', 'kubeConfig', 'textCredentials']
    List helm = ['deployType', 'deployTypeClass', 'helmChartLocation', 'helmReleaseName', 'helmNamespace',
                 'tillerNamespace', 'helmCommandType']
    Map step = [:]
    List warnings = []
    String error = null
    args.each { String key, value ->
        if (key in passed) {
            step[key] = value
        } else if (key in notMade) {
            warnings << "[kubernetesDeploy] warning: ${key} is ignored: the old plugin created an image pull secret " +
                    'from dockerCredentials; create it once (kubectl create secret docker-registry NAME ...) and ' +
                    'reference it in imagePullSecrets'
        } else if (key in oldCredentials) {
            error = error ?: "[kubernetesDeploy] ${key} (the old plugin's way to reach the cluster) is not supported: " +
                    "store the kubeconfig as a 'Secret file' credential and pass its ID as kubeconfigId"
        } else if (key in helm) {
            error = error ?: "[kubernetesDeploy] Helm deploys (${key}) are not supported by guliDeployK8s: run helm " +
                    'in an sh step'
        } else if (key != 'secretName') { // secretName: a variable for the manifests, set by call()
            warnings << "[kubernetesDeploy] warning: unknown parameter ${key} is ignored"
        }
    }
    return [step: step, warnings: warnings.collect { it.toString() }, error: error?.toString()]
}
