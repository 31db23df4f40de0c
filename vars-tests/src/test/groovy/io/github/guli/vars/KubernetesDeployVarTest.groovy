package io.github.guli.vars

import static org.assertj.core.api.Assertions.assertThat

import org.junit.jupiter.api.Test

/** vars/kubernetesDeploy: the old plugin's parameters in, a guliDeployK8s call out. */
class KubernetesDeployVarTest extends PipelineTestSupport {
    private Throwable deploy(Map args) {
        setUpPipeline([ARGS: args, PROJECT_NAME: 'gulimall-auth-server'])
        return runJenkinsfile('Jenkinsfile.kubernetesDeploy')
    }

    private List<String> deployCalls() {
        events.findAll { it.startsWith('guliDeployK8s ') }
    }

    @Test
    void theCoursesCallBecomesTheSameGuliDeployK8sCall() {
        assertThat(deploy([configs: 'gulimall-auth-server/deploy/**', enableConfigSubstitution: true,
                           kubeconfigId: 'demo-kubeconfig'])).isNull()
        assertThat(finalResult).isEqualTo('SUCCESS')
        assertThat(deployCalls()).containsExactly('guliDeployK8s [configs:gulimall-auth-server/deploy/**, ' +
                'enableConfigSubstitution:true, kubeconfigId:demo-kubeconfig]')
        assertThat(echoes).isEmpty()
        assertThat(envOf.guliDeployK8s).doesNotContainKey('KUBERNETES_SECRET_NAME')
    }

    @Test
    void guliDeployK8sParametersPassThrough() {
        assertThat(deploy([configs: 'k8s/**', namespace: 'gulimall', context: 'prod', wait: false, timeout: 120,
                           rollbackOnFailure: false, dryRun: true])).isNull()
        assertThat(deployCalls()).containsExactly('guliDeployK8s [configs:k8s/**, namespace:gulimall, context:prod, ' +
                'wait:false, timeout:120, rollbackOnFailure:false, dryRun:true]')
    }

    @Test
    void secretNameStillFeedsTheManifestsAndTheRegistrySecretParametersAreIgnoredWithAWarning() {
        assertThat(deploy([configs: 'gulimall-auth-server/deploy/**', kubeconfigId: 'demo-kubeconfig',
                           secretName: 'aliyun-pull', secretNamespace: 'default',
                           dockerCredentials: [[credentialsId: 'aliyun-hub-id', url: 'https://registry.cn-hangzhou.aliyuncs.com']],
                           verbose: true])).isNull()
        assertThat(finalResult).isEqualTo('SUCCESS')
        assertThat(deployCalls()).containsExactly('guliDeployK8s [configs:gulimall-auth-server/deploy/**, ' +
                'kubeconfigId:demo-kubeconfig]')
        assertThat(envOf.guliDeployK8s).containsEntry('KUBERNETES_SECRET_NAME', 'aliyun-pull')
        assertThat(echoes).hasSize(1)
        List<String> lines = echoes[0].readLines()
        assertThat(lines).hasSize(3)
        assertThat(lines[0]).startsWith('[kubernetesDeploy] warning: secretNamespace is ignored: the old plugin ' +
                'created an image pull secret from dockerCredentials; create it once (kubectl create secret ' +
                'docker-registry NAME ...)')
        assertThat(lines[1]).startsWith('[kubernetesDeploy] warning: dockerCredentials is ignored')
        assertThat(lines[2]).isEqualTo('[kubernetesDeploy] warning: unknown parameter verbose is ignored')
    }

    @Test
    void theOldCredentialFormsFailSayingWhatToUseInstead() {
        Throwable t = deploy([configs: 'a/**', credentialsType: 'KubeConfig', kubeConfig: [path: '/root/.kube/config']])
        assertThat(finalResult).isEqualTo('FAILURE')
        assertThat(t).isInstanceOf(StepFailure).hasMessage('[kubernetesDeploy] credentialsType (the old plugin\'s way ' +
                'to reach the cluster) is not supported: store the kubeconfig as a \'Secret file\' credential and pass ' +
                'its ID as kubeconfigId')
        assertThat(deployCalls()).isEmpty()
    }

    @Test
    void helmDeploysFail() {
        Throwable t = deploy([deployType: 'helm', helmChartLocation: 'charts/app'])
        assertThat(t).hasMessageStartingWith('[kubernetesDeploy] Helm deploys (deployType) are not supported')
        assertThat(deployCalls()).isEmpty()
    }
}
