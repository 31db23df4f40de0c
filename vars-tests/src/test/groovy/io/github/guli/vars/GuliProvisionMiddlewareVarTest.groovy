package io.github.guli.vars

import static org.assertj.core.api.Assertions.assertThat

import org.junit.jupiter.api.Test

/**
 * vars/guliProvisionMiddleware: one guliProvision call with the var's parameters as they are (the settings a map),
 * on the agent asked for; no file, no shell, no guli.jar.
 */
class GuliProvisionMiddlewareVarTest extends ScriptVarTestSupport {
    static final Map CREDENTIALS = [mysqlRootCredentialsId: 'mysql-root', mysqlReplicationCredentialsId: 'mysql-repl',
                                    redisCredentialsId: 'redis', rabbitmqCookieCredentialsId: 'rabbit-cookie',
                                    shardingsphereCredentialsId: 'sharding']
    static final Map RESULT = [summary: '35 objects', manifests: null, written: [], withheld: []]

    /** What guliProvision received, and the node it ran on. */
    List<Map> provisions = []
    Throwable failure

    private Throwable provision(Map args) {
        setUpVar(args)
        helper.registerAllowedMethod('guliProvision', [Map], { Map a ->
            events << 'guliProvision'
            provisions << [args: a, node: node]
            if (failure) {
                throw failure
            }
            RESULT
        })
        return runJenkinsfile('Jenkinsfile.provisionMiddleware')
    }

    @Test
    void theParametersGoToGuliProvisionAsTheyAreAndItsResultIsReturned() {
        assertThat(provision([namespace: 'gulimall', settings: ['redis.nodes': '6']])).isNull()
        assertThat(finalResult).isEqualTo('SUCCESS')
        assertThat(provisions).containsExactly([args: [namespace: 'gulimall', settings: ['redis.nodes': '6']], node: null])
        assertThat(echoes).containsExactly("returned: $RESULT".toString())
        assertThat(shells).isEmpty()
        assertThat(events).noneMatch { it.startsWith('writeFile') || it.startsWith('withCredentials') || it.startsWith('node ') }
    }

    @Test
    void everySettingsKeyAndValueReachesTheStepUnchangedWithNoFileInBetween() {
        // line breaks, separators and a comment sign: what a hand-escaped properties file loses
        Map settings = ["x\r\ny=z:w#v": "{\"a\":1}\r\n#b=c:d\re", 'rabbitmq.policyDefinition': "p\rq\nr=s:t#u"]
        assertThat(provision([settings: settings, dryRun: false, outputDir: 'k8s/middleware'] + CREDENTIALS)).isNull()
        assertThat(provisions*.args).containsExactly([settings: settings, dryRun: false, outputDir: 'k8s/middleware'] + CREDENTIALS)
        assertThat(provisions[0].args.settings.keySet()).containsExactly("x\r\ny=z:w#v", 'rabbitmq.policyDefinition')
        assertThat(filesOn.values().collectMany { it.keySet() }).isEmpty()
    }

    @Test
    void theSecretsAreTheCredentialsIdsTheStepResolvesNeverValuesInTheEnvironment() {
        assertThat(provision(CREDENTIALS + [dryRun: false])).isNull()
        assertThat(provisions[0].args).containsAllEntriesOf(CREDENTIALS)
        assertThat(events).noneMatch { it.startsWith('withCredentials') }
        assertThat(binding.getVariable('env').keySet()).noneMatch { String k -> k.startsWith('GULI_') }
    }

    @Test
    void aLabelTakesThatAgentAndGuliJarIsIgnoredWithAWarning() {
        assertThat(provision([label: 'java17', guliJar: 'tools/guli 1.0.jar', storageClass: 'nfs'])).isNull()
        assertThat(events.first()).isEqualTo("node 'java17'")
        assertThat(provisions).containsExactly([args: [storageClass: 'nfs'], node: 'java17'])
        assertThat(echoes.first()).startsWith('guliProvisionMiddleware: guliJar is deprecated and ignored')
    }

    @Test
    void aFailingStepFailsTheBuildWithItsMessage() {
        failure = new StepFailure("[guliProvision] provision settings: unknown setting 'redis.node'")
        Throwable t = provision([settings: ['redis.node': '6']])
        assertThat(finalResult).isEqualTo('FAILURE')
        assertThat(t).isInstanceOf(StepFailure).hasMessage("[guliProvision] provision settings: unknown setting 'redis.node'")
        assertThat(echoes).isEmpty()
    }
}
