package io.github.guli.vars

import static org.assertj.core.api.Assertions.assertThat

import org.junit.jupiter.api.Test

/** vars/guliProvisionMiddleware: one `guli provision` call, its settings in a file, its secrets in its environment. */
class GuliProvisionMiddlewareVarTest extends ScriptVarTestSupport {
    static final Map CREDENTIALS = [mysqlRootCredentialsId: 'mysql-root', mysqlReplicationCredentialsId: 'mysql-repl',
                                    redisCredentialsId: 'redis', rabbitmqCookieCredentialsId: 'rabbit-cookie',
                                    shardingsphereCredentialsId: 'sharding']
    static final String SETTINGS_FILE = '.guli-provision-7.properties'

    private Throwable provision(Map args) {
        setUpVar(args)
        stdout = 'wrote 23 manifests'
        return runJenkinsfile('Jenkinsfile.provisionMiddleware')
    }

    private List<String> guliCalls() {
        shells.collect { it.script }.findAll { it.startsWith('java -jar') }
    }

    @Test
    void aDryRunByDefaultWithTheSettingsInAFileAndItsOutputReturned() {
        assertThat(provision([namespace: 'gulimall', settings: ['redis.nodes': '6']])).isNull()
        assertThat(finalResult).isEqualTo('SUCCESS')
        assertThat(guliCalls()).containsExactly(("java -jar 'guli.jar' provision --dry-run --settings '$SETTINGS_FILE' " +
                "--namespace 'gulimall'").toString())
        assertThat(helper.callStack.find { it.methodName == 'writeFile' }.args[0].text).isEqualTo('redis.nodes=6\n')
        assertThat(echoes).containsExactly('wrote 23 manifests', 'returned: wrote 23 manifests')
        assertThat(events).noneMatch { it.startsWith('withCredentials') || it.startsWith('node ') }
        assertThat(leftBehind()).as('the settings file is removed').isEmpty()
    }

    @Test
    void theOptionsAreQuotedForTheShellAndTheSettingsEscapedForAPropertiesFile() {
        assertThat(provision([label: 'java17', guliJar: 'tools/guli 1.0.jar', namespace: "it's", storageClass: 'nfs',
                              outputDir: 'out', settings: ['mysql.config': 'a\\b\nc']])).isNull()
        assertThat(events.first()).isEqualTo("node 'java17'")
        assertThat(guliCalls()).containsExactly(("java -jar 'tools/guli 1.0.jar' provision --dry-run --settings " +
                "'$SETTINGS_FILE' --namespace 'it'\\''s' --storage-class 'nfs'").toString())
        assertThat(helper.callStack.find { it.methodName == 'writeFile' }.args[0].text).isEqualTo('mysql.config=a\\\\b\\nc\n')
    }

    @Test
    void aRealRunNeedsEverySecretTextCredentialAndNamesTheMissingOnes() {
        Throwable t = provision([dryRun: false, redisCredentialsId: 'redis'])
        assertThat(finalResult).isEqualTo('FAILURE')
        assertThat(t).isInstanceOf(StepFailure).hasMessage('guliProvisionMiddleware: dryRun: false needs the secret ' +
                'text credentials mysqlRootCredentialsId, mysqlReplicationCredentialsId, rabbitmqCookieCredentialsId, ' +
                'shardingsphereCredentialsId')
        assertThat(shells).isEmpty()
    }

    @Test
    void aRealRunWritesToTheOutputDirectoryWithTheSecretsInGulisEnvironmentOnly() {
        assertThat(provision(CREDENTIALS + [dryRun: false, outputDir: 'k8s/middleware'])).isNull()
        assertThat(events).contains('withCredentials [[credentialsId:mysql-root, variable:GULI_MYSQL_ROOT_PASSWORD], ' +
                '[credentialsId:mysql-repl, variable:GULI_MYSQL_REPLICATION_PASSWORD], [credentialsId:redis, ' +
                'variable:GULI_REDIS_PASSWORD], [credentialsId:rabbit-cookie, variable:GULI_RABBITMQ_ERLANG_COOKIE], ' +
                '[credentialsId:sharding, variable:GULI_SHARDINGSPHERE_PASSWORD]]')
        assertThat(guliCalls()).containsExactly(("java -jar 'guli.jar' provision --output-dir 'k8s/middleware' " +
                "--settings '$SETTINGS_FILE' ").toString())
        Map guli = shells.find { it.script.startsWith('java -jar') }
        assertThat(guli.env).containsEntry('GULI_MYSQL_ROOT_PASSWORD', secretOf('mysql-root'))
                .containsEntry('GULI_SHARDINGSPHERE_PASSWORD', secretOf('sharding'))
        List<String> secrets = CREDENTIALS.values().collect { secretOf(it as String) }
        assertThat(shells.collect { it.script }).noneMatch { String s -> secrets.any { s.contains(it) } }
        assertThat(filesOn.values().collectMany { it.values() }).noneMatch { String text -> secrets.any { text.contains(it) } }
        assertThat(binding.getVariable('env')).as('the secrets are bound only around guli').doesNotContainKey('GULI_REDIS_PASSWORD')
    }

    @Test
    void aFailingGuliFailsTheBuildWithItsMessageAndStillRemovesTheSettingsFile() {
        setUpVar([settings: ['redis.nodes': 'six']])
        failingScripts['provision'] = 'script returned exit code 2'
        Throwable t = runJenkinsfile('Jenkinsfile.provisionMiddleware')
        assertThat(finalResult).isEqualTo('FAILURE')
        assertThat(t).isInstanceOf(StepFailure).hasMessage('script returned exit code 2')
        assertThat(events.last()).isEqualTo("sh rm -f '$SETTINGS_FILE'".toString())
        assertThat(leftBehind()).isEmpty()
        assertThat(echoes).isEmpty()
    }
}
