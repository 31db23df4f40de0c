package io.github.guli.vars

import static org.assertj.core.api.Assertions.assertThat
import static org.jenkinsci.plugins.workflow.steps.FlowInterruptedException.cause
import static org.jenkinsci.plugins.workflow.steps.FlowInterruptedException.exceededTimeout
import static org.jenkinsci.plugins.workflow.steps.FlowInterruptedException.rejection

import io.github.guli.engine.approval.ApprovalPolicy
import io.github.guli.engine.approval.Commit
import io.github.guli.engine.approval.FreezeWindow
import io.github.guli.engine.build.ChangedServices
import io.github.guli.engine.environment.Environment
import io.github.guli.engine.environment.ReleaseCommits
import io.github.guli.engine.pipeline.SinceRelease
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException
import org.junit.jupiter.api.Test

/** Jenkinsfile.example, three lines, through the whole flow: what runs, in which order, with which arguments. */
class GuliPipelineTest extends PipelineTestSupport {
    static final List<String> ALL_STAGES = ['checkout', 'build', 'quality gate', 'image', 'approval', 'deploy', 'release']
    static final String DEPLOY_INPUT = 'input [id:deploy-gulimall-gateway, message:deploy gulimall-gateway to the cluster?, ' +
            'ok:Submit / 提交, submitterParameter:approver]'
    static final List<String> UP_TO_THE_APPROVAL = [
            "node ''", 'stage checkout', 'checkout scm',
            'stage build', 'guliBuild [module:gulimall-gateway]',
            'stage quality gate', 'guliQualityGate [:]',
            'stage image', 'guliImage [projectName:gulimall-gateway]',
            'stash [name:guli-deploy, includes:gulimall-gateway/deploy/**, allowEmpty:true]',
            'stage approval', 'timeout [time:60, unit:MINUTES]', DEPLOY_INPUT]
    static final String RELEASE_CHECK = 'guliRelease [projectName:gulimall-gateway, projectVersion:v1.2.0, ' +
            'sourceTag:SNAPSHOT-master-7, commit:c0ffee1, gitRemote:https://git.example/gulimall.git, checkOnly:true]'
    /** A release build checks, right after the checkout, that the version is still free. */
    static final List<String> UP_TO_THE_APPROVAL_OF_A_RELEASE = UP_TO_THE_APPROVAL.take(3) + [RELEASE_CHECK] +
            UP_TO_THE_APPROVAL.drop(3)
    static final List<String> DEPLOY = [
            'stage deploy', 'lock [resource:guli-deploy:gulimall:gulimall-gateway]', "node ''",
            "dir $WORKSPACE@guli-deploy-7".toString(), "deleteDir $WORKSPACE@guli-deploy-7".toString(),
            'unstash guli-deploy', 'guliDeployK8s [projectName:gulimall-gateway, configs:gulimall-gateway/deploy/**]',
            "deleteDir $WORKSPACE@guli-deploy-7".toString()]

    @Test
    void snapshotBuild() {
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: '', DEPLOY: true])

        assertThat(runJenkinsfile()).isNull()

        assertThat(finalResult).isEqualTo('SUCCESS')
        assertThat(stages()).isEqualTo(ALL_STAGES)
        assertThat(events).isEqualTo(UP_TO_THE_APPROVAL + DEPLOY + ['stage release'])
        assertThat(echoes).containsExactly(
                '[guliPipeline] deploy gulimall-gateway to the cluster: approved by alice',
                '[guliPipeline] skipped: PROJECT_VERSION is empty: a snapshot build (a release version such as v1.2.0 releases)')
        // the steps read PROJECT_NAME/PROJECT_VERSION as the course's pipeline set them, and a branch for the
        // SNAPSHOT-<branch>-<build> tag in a job that is not multibranch
        assertThat(envOf.guliImage).containsEntry('PROJECT_NAME', 'gulimall-gateway').containsEntry('PROJECT_VERSION', '')
                .containsEntry('BRANCH_NAME', 'master').containsEntry('BUILD_NUMBER', '7')
        assertThat(envOf.guliDeployK8s).containsEntry('PROJECT_NAME', 'gulimall-gateway')
    }

    @Test
    void aContainerFromTheGlobalConfigurationHoldsEveryStageOnTheAgent() {
        global.container = 'maven'
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: 'v1.2.0', DEPLOY: true])

        assertThat(runJenkinsfile()).isNull()

        assertThat(finalResult).isEqualTo('SUCCESS')
        assertThat(events.findAll { it.startsWith('node') || it.startsWith('container') })
                .isEqualTo(["node ''", "container 'maven'"] * 3)
        assertThat(events.indexOf("container 'maven'")).isEqualTo(events.indexOf("node ''") + 1)
        assertThat(containerOf).isEqualTo([guliBuild: 'maven', guliQualityGate: 'maven', guliImage: 'maven',
                                           guliDeployK8s: 'maven', guliRelease: 'maven'])
    }

    @Test
    void releaseBuild() {
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: 'v1.2.0', DEPLOY: true])

        assertThat(runJenkinsfile()).isNull()

        assertThat(finalResult).isEqualTo('SUCCESS')
        assertThat(stages()).isEqualTo(ALL_STAGES)
        assertThat(events).isEqualTo(UP_TO_THE_APPROVAL_OF_A_RELEASE + DEPLOY + [
                'stage release', 'timeout [time:60, unit:MINUTES]',
                'input [id:release-gulimall-gateway, message:release gulimall-gateway v1.2.0 (image tag v1.2.0, git tag ' +
                        'gulimall-gateway-v1.2.0)?, ok:Submit / 提交, submitterParameter:approver]',
                'lock [resource:guli-release:gulimall:gulimall-gateway]', "node ''", 'checkout scm',
                'guliRelease [projectName:gulimall-gateway, projectVersion:v1.2.0, sourceTag:SNAPSHOT-master-7, ' +
                        'commit:c0ffee1, gitRemote:https://git.example/gulimall.git]'])
        assertThat(echoes).contains('[guliPipeline] release gulimall-gateway v1.2.0 (image tag v1.2.0, git tag ' +
                'gulimall-gateway-v1.2.0): approved by alice')
        assertThat(envOf.guliRelease).containsEntry('PROJECT_VERSION', 'v1.2.0')
    }

    @Test
    void approvalRejectedEndsAbortedWithTheReason() {
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: 'v1.2.0', DEPLOY: true])
        failing['deploy-gulimall-gateway'] = new FlowInterruptedException('ABORTED', cause('Rejected by bob'))

        Throwable thrown = runJenkinsfile()

        assertThat(thrown).isInstanceOf(FlowInterruptedException)
        assertThat(finalResult).isEqualTo('ABORTED')
        assertThat(binding.getVariable('currentBuild').result).isEqualTo('ABORTED')
        assertThat(stages()).isEqualTo(['checkout', 'build', 'quality gate', 'image', 'approval'])
        assertThat(events).isEqualTo(UP_TO_THE_APPROVAL_OF_A_RELEASE)
        assertThat(echoes).containsExactly('[guliPipeline] deploy gulimall-gateway to the cluster: not approved ' +
                '(Rejected by bob), so the build stops here as ABORTED')
    }

    @Test
    void approvalTimedOutEndsAbortedToo() {
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: 'v1.2.0', DEPLOY: true])
        global.approvers = 'release-managers'
        global.approvalTimeoutMinutes = '30'
        failing['release-gulimall-gateway'] = new FlowInterruptedException('ABORTED', cause('Timeout has been exceeded'))

        runJenkinsfile()

        assertThat(finalResult).isEqualTo('ABORTED')
        assertThat(events).contains('timeout [time:30, unit:MINUTES]', 'input [id:deploy-gulimall-gateway, ' +
                'message:deploy gulimall-gateway to the cluster?, ok:Submit / 提交, submitter:release-managers, ' +
                'submitterParameter:approver]')
        assertThat(events.last()).startsWith('input [id:release-gulimall-gateway')
        assertThat(events).doesNotContain('guliRelease')
        assertThat(echoes.last()).isEqualTo('[guliPipeline] release gulimall-gateway v1.2.0 (image tag v1.2.0, git ' +
                'tag gulimall-gateway-v1.2.0): not approved (Timeout has been exceeded), so the build stops here as ABORTED')
    }

    @Test
    void qualityGateFailureStopsBeforeTheImage() {
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: '', DEPLOY: true])
        failing.guliQualityGate = new StepFailure('[guliQualityGate] quality gate of gulimall-gateway is ERROR: ' +
                'coverage 12.5 < 80')

        Throwable thrown = runJenkinsfile()

        assertThat(thrown).hasMessageContaining('quality gate of gulimall-gateway is ERROR')
        assertThat(finalResult).isEqualTo('FAILURE')
        assertThat(stages()).isEqualTo(['checkout', 'build', 'quality gate'])
        assertThat(events.last()).isEqualTo('guliQualityGate [:]')
    }

    @Test
    void deployFailureFailsTheBuildAndNeverReleases() {
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: 'v1.2.0', DEPLOY: true])
        failing.guliDeployK8s = new StepFailure('[guliDeployK8s] rollout of deployment/gulimall-gateway failed ' +
                '(ImagePullBackOff); rolled back to revision 3')

        Throwable thrown = runJenkinsfile()

        assertThat(thrown).hasMessageContaining('rolled back to revision 3')
        assertThat(finalResult).isEqualTo('FAILURE')
        assertThat(stages()).isEqualTo(['checkout', 'build', 'quality gate', 'image', 'approval', 'deploy'])
        assertThat(events).isEqualTo(UP_TO_THE_APPROVAL_OF_A_RELEASE + DEPLOY)
    }

    @Test
    void aTakenVersionFailsRightAfterTheCheckoutBeforeAnyBuild() {
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: 'v1.2.0', DEPLOY: true])
        failing.guliRelease = new StepFailure('[guliRelease] tag gulimall-gateway-v1.2.0 already exists on ' +
                'http://git/gulimall.git at commit 1234567, not at the built commit c0ffee1: a release tag is never moved')

        Throwable thrown = runJenkinsfile()

        assertThat(thrown).hasMessageContaining('a release tag is never moved')
        assertThat(finalResult).isEqualTo('FAILURE')
        assertThat(stages()).isEqualTo(['checkout'])
        assertThat(events).isEqualTo(["node ''", 'stage checkout', 'checkout scm', RELEASE_CHECK])
    }

    @Test
    void withoutTheLockStepDeploysAndReleasesTakeGuliLockAndNeverAMilestone() {
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: 'v1.2.0', DEPLOY: true])
        lockAvailable = false

        assertThat(runJenkinsfile()).isNull()

        assertThat(finalResult).isEqualTo('SUCCESS')
        assertThat(events).containsSubsequence(
                'stage deploy', 'guliLock [resource:guli-deploy:gulimall:gulimall-gateway, newest:false]', "node ''",
                'guliDeployK8s [projectName:gulimall-gateway, configs:gulimall-gateway/deploy/**]',
                'stage release', 'guliLock [resource:guli-release:gulimall:gulimall-gateway, newest:false]', "node ''",
                'guliRelease [projectName:gulimall-gateway, projectVersion:v1.2.0, sourceTag:SNAPSHOT-master-7, ' +
                        'commit:c0ffee1, gitRemote:https://git.example/gulimall.git]')
        assertThat(events.findAll { it.startsWith('milestone') || it.startsWith('lock ') }).isEmpty()
    }

    @Test
    void withTheLockStepDeploysAndReleasesTakeLockAndNeverAMilestone() {
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: 'v1.2.0', DEPLOY: true])

        assertThat(runJenkinsfile()).isNull()

        assertThat(events).containsSubsequence(
                'stage deploy', 'lock [resource:guli-deploy:gulimall:gulimall-gateway]', 'guliDeployK8s ' +
                '[projectName:gulimall-gateway, configs:gulimall-gateway/deploy/**]',
                'stage release', 'lock [resource:guli-release:gulimall:gulimall-gateway]', 'guliRelease ' +
                '[projectName:gulimall-gateway, projectVersion:v1.2.0, sourceTag:SNAPSHOT-master-7, commit:c0ffee1, ' +
                'gitRemote:https://git.example/gulimall.git]')
        assertThat(events.findAll { it.startsWith('milestone') || it.startsWith('guliLock') }).isEmpty()
    }

    @Test
    void twoServicesDeployedByOneBuildNeverShareALockWithOrWithoutTheLockStep() {
        [true, false].each { boolean available ->
            events.clear()
            setUpPipeline([PROJECT_NAME: '(changed)', PROJECT_VERSION: '', DEPLOY: true])
            lockAvailable = available
            files['pom.xml'] = '<project><modules><module>gulimall-order</module><module>gulimall-coupon</module>' +
                    '</modules></project>'
            changes = new ChangedServices.Result('abc123', [
                    new ChangedServices.Pick('gulimall-order', 'gulimall-order changed: a'),
                    new ChangedServices.Pick('gulimall-coupon', 'gulimall-coupon changed: b')], '2 file(s) changed')

            assertThat(runJenkinsfile()).isNull()

            List<String> locks = events.findAll { it.startsWith('lock ') || it.startsWith('guliLock ') }
            assertThat(locks).as("locks with the lock step: $available").hasSize(2)
            assertThat(locks.collect { (it =~ /resource:([^,\]]+)/)[0][1] })
                    .containsExactly('guli-deploy:gulimall:gulimall-order', 'guli-deploy:gulimall:gulimall-coupon')
            assertThat(locks.collect { it.split(' ')[0] }).containsOnly(available ? 'lock' : 'guliLock')
            assertThat(events.findAll { it.startsWith('milestone') }).isEmpty()
        }
    }

    @Test
    void invalidProjectVersionFailsBeforeAnyAgentOrCheckout() {
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: 'v0.0Beta', DEPLOY: true])

        Throwable thrown = runJenkinsfile()

        assertThat(finalResult).isEqualTo('FAILURE')
        assertThat(thrown).isInstanceOf(StepFailure).hasMessageStartingWith("[guliPipeline] PROJECT_VERSION 'v0.0Beta' " +
                "is not a release version: a release version is 'v' followed by a semantic version")
        assertThat(events).isEmpty()
        assertThat(stages()).isEmpty()
    }

    @Test
    void unknownConfigurationKeyFailsListingTheKnownOnes() {
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: '', DEPLOY: true])
        files['guli.yaml'] = 'qualityGate: false\ndeploys: false\n'

        Throwable thrown = runJenkinsfile()

        assertThat(finalResult).isEqualTo('FAILURE')
        assertThat(thrown).hasMessage("[guliPipeline] unknown configuration key 'deploys' in guli.yaml (did you mean " +
                "'deploy'?). Known keys: agent, approvalTimeoutMinutes, approvers, build, concurrency, container, deploy, " +
                "frontendBuild, gitCredentialsId, image, kubeconfigId, namespace, qualityGate, registry, " +
                "registryCredentialsId, release, service, services")
        assertThat(stages()).isEqualTo(['checkout'])
        assertThat(events).doesNotContain('guliBuild [module:gulimall-gateway]')
    }

    @Test
    void theParametersFormOffersTheRepositoryModules() {
        setUpPipeline([:]) // a new job's first build: no parameters yet
        files['pom.xml'] = '<project><modules><module>gulimall-common</module><module>gulimall-gateway</module>' +
                '<module>gulimall-cart</module></modules></project>'

        assertThat(runJenkinsfile()).isNull()

        assertThat(jobProperties).hasSize(2)
        List form = jobProperties.last()[0].parameters
        assertThat(form*.keySet().flatten()).containsExactly('choice', 'string', 'booleanParam')
        assertThat(form[0].choice).containsEntry('name', 'PROJECT_NAME')
                .containsEntry('choices', ['(changed)', 'gulimall-gateway', 'gulimall-common', 'gulimall-cart'])
        assertThat(form[1].string).containsEntry('name', 'PROJECT_VERSION').containsEntry('defaultValue', '')
        assertThat(form[2].booleanParam).containsEntry('name', 'DEPLOY').containsEntry('defaultValue', true)
        assertThat(jobProperties.first()[0].parameters[0].choice).containsEntry('choices', ['gulimall-gateway'])
        assertThat(envOf.guliBuild).containsEntry('PROJECT_NAME', 'gulimall-gateway')
        // guliSettings reads the branch's pom.xml on the agent, bounded: the var never reads it into the controller
        assertThat(helper.callStack.findAll { it.methodName in ['readFile', 'fileExists'] && 'pom.xml' in it.args })
                .isEmpty()
        assertThat(helper.callStack.findAll { it.methodName == 'guliSettings' }.collect { it.args[0].keySet() }.flatten())
                .doesNotContain('pom')
    }

    @Test
    void changedBuildsTheChangedServicesInOneBuildThenImagesEachAndDeploysEachAfterOneApproval() {
        setUpPipeline([PROJECT_NAME: '(changed)', PROJECT_VERSION: '', DEPLOY: true])
        files['pom.xml'] = '<project><modules><module>gulimall-common</module><module>gulimall-order</module>' +
                '<module>gulimall-product</module><module>gulimall-gateway</module></modules></project>'
        changes = new ChangedServices.Result('abc123', [
                new ChangedServices.Pick('gulimall-order', 'gulimall-order changed: gulimall-order/src/main/java/A.java'),
                new ChangedServices.Pick('gulimall-product', 'gulimall-product changed: gulimall-product/pom.xml')],
                "2 file(s) changed since the last successful build's commit abc123; 2 of 3 services changed")

        assertThat(runJenkinsfile()).isNull()

        assertThat(finalResult).isEqualTo('SUCCESS')
        assertThat(stages()).isEqualTo(ALL_STAGES)
        assertThat(events).isEqualTo([
                "node ''", 'stage checkout', 'checkout scm',
                'stage build', 'guliBuild [modules:[gulimall-order, gulimall-product]]',
                'stage quality gate', 'guliQualityGate [module:gulimall-order]', 'guliQualityGate [module:gulimall-product]',
                'stage image', 'guliImage [projectName:gulimall-order]', 'guliImage [projectName:gulimall-product]',
                'stash [name:guli-deploy, includes:gulimall-order/deploy/**,gulimall-product/deploy/**, allowEmpty:true]',
                'stage approval', 'timeout [time:60, unit:MINUTES]',
                'input [id:deploy-changed, message:deploy gulimall-order, gulimall-product to the cluster?, ok:Submit / 提交, ' +
                        'submitterParameter:approver]',
                'stage deploy',
                'lock [resource:guli-deploy:gulimall:gulimall-order]', "node ''", "dir $WORKSPACE@guli-deploy-7".toString(),
                "deleteDir $WORKSPACE@guli-deploy-7".toString(), 'unstash guli-deploy',
                'guliDeployK8s [projectName:gulimall-order, configs:gulimall-order/deploy/**]',
                "deleteDir $WORKSPACE@guli-deploy-7".toString(),
                'lock [resource:guli-deploy:gulimall:gulimall-product]', "node ''", "dir $WORKSPACE@guli-deploy-7".toString(),
                "deleteDir $WORKSPACE@guli-deploy-7".toString(), 'unstash guli-deploy',
                'guliDeployK8s [projectName:gulimall-product, configs:gulimall-product/deploy/**]',
                "deleteDir $WORKSPACE@guli-deploy-7".toString(),
                'stage release'])
        assertThat(echoes).startsWith(
                "[guliPipeline] (changed): 2 file(s) changed since the last successful build's commit abc123; 2 of 3 " +
                        'services changed',
                '[guliPipeline] building gulimall-order: gulimall-order changed: gulimall-order/src/main/java/A.java',
                '[guliPipeline] building gulimall-product: gulimall-product changed: gulimall-product/pom.xml',
                '[guliPipeline] deploy gulimall-order, gulimall-product to the cluster: approved by alice')
        assertThat(jobProperties.last()[0].parameters[0].choice.choices).startsWith('(changed)')
    }

    @Test
    void changedWithAServicesListBuildsOnlyThoseAndWithNothingChangedBuildsNothing() {
        setUpPipeline([PROJECT_NAME: '(changed)', PROJECT_VERSION: '', DEPLOY: true])
        files['guli.yaml'] = 'services: [gulimall-gateway, gulimall-product]\n'
        changes = new ChangedServices.Result('abc123', [new ChangedServices.Pick('gulimall-order', 'why')], 'note')

        assertThat(runJenkinsfile()).isNull()

        assertThat(events).isEqualTo(["node ''", 'stage checkout', 'checkout scm', 'stage build', 'stage quality gate',
                'stage image', 'stage approval', 'stage deploy', 'stage release'])
        assertThat(echoes).contains("[guliPipeline] not building gulimall-order (why): it is not in 'services' of " +
                'guli.yaml', '[guliPipeline] skipped: no service changed, so there is nothing to build')
    }

    @Test
    void guliYamlSwitchesStagesOffAndAddsBuildOptions() {
        setUpPipeline([PROJECT_NAME: 'gulimall-cart', PROJECT_VERSION: '', DEPLOY: true])
        files['guli.yaml'] = 'qualityGate: false\nbuild:\n  goals: verify\ndeploy:\n  timeout: 300\n'

        assertThat(runJenkinsfile()).isNull()

        assertThat(stages()).isEqualTo(ALL_STAGES)
        assertThat(events).doesNotContain('guliQualityGate [:]')
        assertThat(events).contains('guliBuild [module:gulimall-cart, goals:verify]',
                'guliDeployK8s [projectName:gulimall-cart, configs:gulimall-cart/deploy/**, timeout:300]')
        assertThat(echoes).contains("[guliPipeline] skipped: 'qualityGate' is false in guli.yaml")
    }

    @Test
    void guliYamlThatMakesATrustDecisionFailsTheBuildBeforeAnyStepNamingWhereToSetIt() {
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: '', DEPLOY: true])
        files['guli.yaml'] = 'approvers: mallory\n'

        Throwable thrown = runJenkinsfile()

        assertThat(finalResult).isEqualTo('FAILURE')
        assertThat(thrown).hasMessageStartingWith("[guliPipeline] 'approvers' cannot be set in guli.yaml")
                .hasMessageContaining("Set it in the Jenkinsfile").hasMessageContaining('Manage Jenkins > System')
        assertThat(stages()).isEqualTo(['checkout'])
        assertThat(events.findAll { it.startsWith('guli') || it.startsWith('input') }).isEmpty()
    }

    @Test
    void aMultibranchJobReadsGuliYamlFromTheTrustedRevision() {
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: '', DEPLOY: false])
        binding.getVariable('env').BRANCH_NAME = 'PR-5'
        trustedFiles = ['guli.yaml': 'qualityGate: false\n']
        files['guli.yaml'] = 'qualityGate: false\nimage: false\n' // the pull request's own version

        Throwable thrown = runJenkinsfile()

        assertThat(thrown).hasMessage("'guli.yaml' has been modified in an untrusted revision")
        assertThat(events).contains('readTrusted guli.yaml')
        assertThat(events.findAll { it.startsWith('guli') }).isEmpty()

        // unchanged by the pull request: read from the trusted revision, and used
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: '', DEPLOY: false])
        binding.getVariable('env').BRANCH_NAME = 'PR-5'
        trustedFiles = ['guli.yaml': 'qualityGate: false\n']
        files['guli.yaml'] = 'qualityGate: false\n'
        assertThat(runJenkinsfile()).isNull()
        assertThat(events).contains('readTrusted guli.yaml').doesNotContain('guliQualityGate [:]')
    }

    @Test
    void theDeployAppliesOnlyThisBuildsManifestsFromAFreshDirectory() {
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: '', DEPLOY: true])

        assertThat(runJenkinsfile()).isNull()

        // not the reused workspace, where manifests of earlier builds may lie: a directory of this build, emptied
        // before the unstash and removed after the deploy
        String own = "$WORKSPACE@guli-deploy-7".toString()
        assertThat(dirOf.guliDeployK8s).isEqualTo(own)
        assertThat(dirOf.guliBuild).isEqualTo(WORKSPACE)
        int unstash = events.indexOf('unstash guli-deploy')
        assertThat(events.subList(unstash - 2, unstash + 3)).containsExactly("dir $own".toString(),
                "deleteDir $own".toString(), 'unstash guli-deploy',
                'guliDeployK8s [projectName:gulimall-gateway, configs:gulimall-gateway/deploy/**]',
                "deleteDir $own".toString())
    }

    @Test
    void eachGateIsCalledWithItsModuleAndNoKeyPairedByPosition() {
        // guliQualityGate finds the project guliBuild analysed for its module: the var passes nothing from the build
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: '', DEPLOY: false])
        results.guliBuild = [modules: [[module: 'gulimall-gateway', sonarProjectKey: 'gulimall-gateway']]]

        assertThat(runJenkinsfile()).isNull()

        assertThat(events).contains('guliBuild [module:gulimall-gateway]', 'guliQualityGate [:]')
    }

    @Test
    void theReleasePushesToTheUrlTheCheckoutReported() {
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: 'v1.2.0', DEPLOY: false])

        assertThat(runJenkinsfile()).isNull()

        assertThat(events.last()).isEqualTo('guliRelease [projectName:gulimall-gateway, projectVersion:v1.2.0, ' +
                'sourceTag:SNAPSHOT-master-7, commit:c0ffee1, gitRemote:https://git.example/gulimall.git]')
    }

    @Test
    void deployUntickedSkipsApprovalAndDeploy() {
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: '', DEPLOY: false])

        assertThat(runJenkinsfile()).isNull()

        assertThat(stages()).isEqualTo(ALL_STAGES)
        assertThat(events.findAll { it.startsWith('input') || it.startsWith('guliDeployK8s') || it.startsWith('stash') }).isEmpty()
        assertThat(echoes.take(2)).containsOnly('[guliPipeline] skipped: the DEPLOY parameter is not ticked')
    }

    @Test
    void frontEndBuildsWithNpmAndItsDockerfile() {
        setUpPipeline([PROJECT_NAME: 'gulimall-admin-vue', PROJECT_VERSION: '', DEPLOY: true])

        assertThat(runJenkinsfile('Jenkinsfile.frontend')).isNull()

        assertThat(stages()).isEqualTo(ALL_STAGES)
        assertThat(events).contains('sh npm ci && npm run build',
                'guliImage [projectName:gulimall-admin-vue, dockerfile:Dockerfile]',
                'guliDeployK8s [projectName:gulimall-admin-vue, configs:gulimall-admin-vue/deploy/**]')
        assertThat(events.findAll { it.startsWith('guliBuild') || it.startsWith('guliQualityGate') }).isEmpty()
        assertThat(echoes).contains("[guliPipeline] skipped: a front end has no quality gate unless its configuration says qualityGate: true")
    }

    /** test deploys without an approval, staging waits for its QA leads, prod for the global approvers. */
    void threeEnvironments() {
        environments = [new Environment('test').approvalRequired(false),
                        new Environment('staging').approvers(['qa-leads']), new Environment('prod')]
        global.approvers = 'release-managers'
    }

    static final String PROMOTION_SKIPS = '[guliPipeline] skipped build, quality gate, image, deploy and release: '

    static final String CONFIG = "namespace 'prod', group DEFAULT_GROUP: application.properties sha256:" + 'e' * 64

    @Test
    void aPromotionPreviewsBeforeTheApprovalPromotesThePreviewedDigestAndReleasesAtTheReleasePoint() {
        threeEnvironments()
        results.guliPromote = [environment: 'prod', digest: DIGEST, config: CONFIG]
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: 'v1.2.0', DEPLOY: true, PROMOTE_TO: 'prod'])

        assertThat(runJenkinsfile()).isNull()

        assertThat(finalResult).isEqualTo('SUCCESS')
        assertThat(stages()).isEqualTo(['preview', 'approval', 'promote'])
        String git = 'commit:c0ffee1, gitRemote:https://git.example/gulimall.git'
        assertThat(events).isEqualTo([
                'stage preview', "node ''", 'checkout scm', 'guliPromotionPreview [service:gulimall-gateway, to:prod]',
                "guliRelease [projectName:gulimall-gateway, projectVersion:v1.2.0, $git, checkOnly:true]".toString(),
                'stage approval', 'timeout [time:60, unit:MINUTES]',
                'input [id:promote-gulimall-gateway-prod, message:promote gulimall-gateway v1.2.0 to prod?\n\n' +
                        'deploys v1.2.0 to prod\nreplaces v1.1.0, ok:Submit / 提交, submitter:release-managers, ' +
                        'submitterParameter:approver]',
                'stage promote', 'lock [resource:guli-deploy:gulimall:gulimall-gateway:prod]', "node ''",
                'checkout scm', "guliPromote [service:gulimall-gateway, to:prod, commit:c0ffee1, configState:application.properties=absent, digest:$DIGEST]".toString(),
                ("guliRelease [projectName:gulimall-gateway, projectVersion:v1.2.0, digest:$DIGEST, " +
                        "configRecord:$CONFIG, $git]").toString()])
        assertThat(echoes).containsExactly(
                PROMOTION_SKIPS + 'PROMOTE_TO is prod: a promotion deploys the image the environment before it runs ' +
                        'and builds nothing',
                '[guliPipeline] deploys v1.2.0 to prod\nreplaces v1.1.0',
                '[guliPipeline] promote gulimall-gateway v1.2.0 to prod: approved by alice')
        assertThat(envOf.guliPromote).containsEntry('PROJECT_NAME', 'gulimall-gateway')
        // one guliSettings call, before any agent: the branch's guli.yaml is never read
        assertThat(helper.callStack.findAll { it.methodName == 'guliSettings' }).hasSize(1)
        assertThat(helper.callStack.findAll { it.methodName in ['readTrusted', 'readFile'] }).isEmpty()
        // the form keeps offering the environments
        List form = jobProperties.last()[0].parameters
        assertThat(form*.values()*.name.flatten()).containsExactly(
                'PROJECT_NAME', 'PROJECT_VERSION', 'DEPLOY', 'PROMOTE_TO', 'PROMOTE_DIGEST', 'ROLLBACK_TO', 'ENVIRONMENT')
        assertThat(form[3].choice).containsEntry('choices', ['', 'staging', 'prod'])
        assertThat(form[4].string).containsEntry('defaultValue', '')
        assertThat(form[6].choice).containsEntry('choices', ['', 'test', 'staging', 'prod'])
    }

    @Test
    void aPromotionToAnEnvironmentWithoutApprovalGoesStraightToGuliPromoteAndReleasesThePromotedVersion() {
        environments = [new Environment('dev'), new Environment('test').approvalRequired(false)]
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: '', DEPLOY: true, PROMOTE_TO: 'test'])

        assertThat(runJenkinsfile()).isNull()

        assertThat(finalResult).isEqualTo('SUCCESS')
        String git = 'commit:c0ffee1, gitRemote:https://git.example/gulimall.git'
        assertThat(events).isEqualTo([
                'stage preview', "node ''", 'checkout scm', 'guliPromotionPreview [service:gulimall-gateway, to:test]',
                "guliRelease [projectName:gulimall-gateway, projectVersion:v1.2.0, $git, checkOnly:true]".toString(),
                'stage approval', 'stage promote', 'lock [resource:guli-deploy:gulimall:gulimall-gateway:test]',
                "node ''", 'checkout scm', "guliPromote [service:gulimall-gateway, to:test, commit:c0ffee1, configState:application.properties=absent, digest:$DIGEST]".toString(),
                ("guliRelease [projectName:gulimall-gateway, projectVersion:v1.2.0, digest:$DIGEST, " +
                        "configRecord:null, $git]").toString()])
        assertThat(echoes).containsExactly(
                PROMOTION_SKIPS + 'PROMOTE_TO is test: a promotion deploys the image the environment before it runs ' +
                        'and builds nothing',
                '[guliPipeline] deploys v1.2.0 to prod\nreplaces v1.1.0',
                "[guliPipeline] skipped: environment 'test' needs no approval (Manage Jenkins > System > " +
                        'guli-pipeline > Environments)')
        assertThat(events.findAll { it.startsWith('guliBuild') || it.startsWith('guliImage') || it.startsWith('input') })
                .isEmpty()
    }

    @Test
    void thePromotionGivesGuliPromoteTheCommitThePreviewCheckedOutWhereverTheBranchMovedSince() {
        environments = [new Environment('dev'), new Environment('test').approvalRequired(false)]
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: '', DEPLOY: true, PROMOTE_TO: 'test'])
        List<String> heads = ['c0ffee1', 'beef002'] // a push between the preview and the promotion
        helper.registerAllowedMethod('checkout', [Map], { Map scm ->
            events << 'checkout scm'
            [GIT_COMMIT: heads.remove(0), GIT_BRANCH: 'origin/master', GIT_URL: 'https://git.example/gulimall.git']
        })

        assertThat(runJenkinsfile()).isNull()

        assertThat(events.findAll { it.startsWith('guliPromote') || it.startsWith('guliRelease') }).isEqualTo([
                "guliRelease [projectName:gulimall-gateway, projectVersion:v1.2.0, commit:c0ffee1, " +
                        'gitRemote:https://git.example/gulimall.git, checkOnly:true]',
                "guliPromote [service:gulimall-gateway, to:test, commit:c0ffee1, configState:application.properties=absent, digest:$DIGEST]".toString(),
                ("guliRelease [projectName:gulimall-gateway, projectVersion:v1.2.0, digest:$DIGEST, " +
                        'configRecord:null, commit:c0ffee1, gitRemote:https://git.example/gulimall.git]').toString()])
        assertThat(heads).isEmpty()
    }

    static final String BUILT = 'b' * 40

    @Test
    void anImageThatRecordsItsCommitIsPromotedWithItsManifestsAndReleasedAtThatCommitWhereverTheBranchIs() {
        environments = [new Environment('dev'), new Environment('test').approvalRequired(false)]
        results.guliPromotionPreview = PREVIEW + [builtCommit: BUILT]
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: '', DEPLOY: true, PROMOTE_TO: 'test',
                       PROMOTE_DIGEST: DIGEST])
        List<String> heads = ['c0ffee1', 'beef002'] // a push between the preview and the promotion
        helper.registerAllowedMethod('checkout', [Map], { Map scm ->
            events << 'checkout scm'
            [GIT_COMMIT: heads.remove(0), GIT_BRANCH: 'origin/master', GIT_URL: 'https://git.example/gulimall.git']
        })

        assertThat(runJenkinsfile('Jenkinsfile.deployConfigs')).isNull()

        assertThat(finalResult).isEqualTo('SUCCESS')
        String args = "service:gulimall-gateway, to:test, digest:$DIGEST, configs:k8s/gateway/**"
        assertThat(events.findAll { it.startsWith('guliPromot') || it.startsWith('guliRelease') }).isEqualTo([
                "guliPromotionPreview [$args]".toString(),
                ("guliRelease [projectName:gulimall-gateway, projectVersion:v1.2.0, commit:$BUILT, " +
                        'gitRemote:https://git.example/gulimall.git, checkOnly:true]').toString(),
                // no commit: the manifests are the built commit's, and the branch moved
                "guliPromote [$args, configState:application.properties=absent]".toString(),
                ("guliRelease [projectName:gulimall-gateway, projectVersion:v1.2.0, digest:$DIGEST, " +
                        "configRecord:null, commit:$BUILT, gitRemote:https://git.example/gulimall.git]").toString()])
        assertThat(heads).isEmpty()
    }

    @Test
    void aRollbackRollsTheChosenEnvironmentBackAfterItsApproval() {
        threeEnvironments()
        lockAvailable = false
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: '', DEPLOY: true, ROLLBACK_TO: 'v1.1.0',
                       ENVIRONMENT: 'staging'])

        assertThat(runJenkinsfile()).isNull()

        assertThat(finalResult).isEqualTo('SUCCESS')
        assertThat(events).isEqualTo([
                'stage preview', "node ''", 'checkout scm',
                'guliPromotionPreview [service:gulimall-gateway, to:staging, rollbackTo:v1.1.0]',
                'stage approval', 'timeout [time:60, unit:MINUTES]',
                'input [id:rollback-gulimall-gateway-staging, message:roll gulimall-gateway in staging back to ' +
                        'v1.1.0?\n\ndeploys v1.2.0 to prod\nreplaces v1.1.0, ok:Submit / 提交, submitter:qa-leads, ' +
                        'submitterParameter:approver]',
                'stage promote', 'guliLock [resource:guli-deploy:gulimall:gulimall-gateway:staging, newest:false]',
                "node ''", 'checkout scm', 'guliPromote [service:gulimall-gateway, to:staging, rollbackTo:v1.1.0, commit:c0ffee1, configState:application.properties=absent]'])
        assertThat(echoes.first()).isEqualTo(PROMOTION_SKIPS + "ROLLBACK_TO is v1.1.0: a rollback deploys that " +
                "release's image again and builds nothing")
    }

    @Test
    void aRejectedPromotionEndsAbortedWithoutPromoting() {
        threeEnvironments()
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROMOTE_TO: 'staging'])
        failing['promote-gulimall-gateway-staging'] = new FlowInterruptedException('ABORTED', cause('Rejected by bob'))

        runJenkinsfile()

        assertThat(finalResult).isEqualTo('ABORTED')
        assertThat(events.last()).startsWith('input [id:promote-gulimall-gateway-staging')
        assertThat(events.findAll { it.startsWith('guliPromote [') || it.startsWith('guliRelease') }).isEmpty()
        assertThat(events.count("node ''")).as('the preview only').isEqualTo(1)
    }

    @Test
    void aPromotionThePreviewRefusesFailsBeforeAnyoneIsAskedToApprove() {
        threeEnvironments()
        notifiers = true
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROMOTE_TO: 'staging'])
        failing.guliPromotionPreview = new StepFailure("[guliPromotionPreview] cannot promote gulimall-gateway to " +
                "staging: environment 'test' runs v1.1.0, not rolled out healthy")

        Throwable thrown = runJenkinsfile()

        assertThat(finalResult).isEqualTo('FAILURE')
        assertThat(thrown).hasMessageContaining("environment 'test' runs v1.1.0, not rolled out healthy")
        assertThat(events.last()).isEqualTo('guliPromotionPreview [service:gulimall-gateway, to:staging]')
        assertThat(events.findAll { it.startsWith('input') || it.startsWith('guliNotify') || it.startsWith('guliPromote [') })
                .isEmpty()
    }

    @Test
    void anEnvironmentThatIsNotConfiguredFailsBeforeAnyAgent() {
        threeEnvironments()
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROMOTE_TO: 'uat'])

        Throwable thrown = runJenkinsfile()

        assertThat(finalResult).isEqualTo('FAILURE')
        assertThat(thrown).hasMessage("[guliPipeline] there is no environment 'uat': the environments are test, " +
                'staging, prod (Manage Jenkins > System > guli-pipeline)')
        assertThat(events).isEmpty()
    }

    static final String NOTIFY_DEPLOY = 'guliNotify [service:gulimall-gateway, version:v1.2.0, approvers:release-managers, '
    static final String NOTIFY_RELEASE = NOTIFY_DEPLOY

    @Test
    void withNotifiersEachApprovalIsAnnouncedBeforeTheInputAndItsOutcomeAfter() {
        notifiers = true
        global.approvers = 'release-managers'
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: 'v1.2.0', DEPLOY: true])

        assertThat(runJenkinsfile()).isNull()

        assertThat(finalResult).isEqualTo('SUCCESS')
        List<String> around = events.findAll { it.startsWith('guliNotify') || it.startsWith('input') }
        assertThat(around).hasSize(6)
        assertThat(around[0]).isEqualTo(NOTIFY_DEPLOY + 'event:waiting]')
        assertThat(around[1]).startsWith('input [id:deploy-gulimall-gateway')
        assertThat(around[2]).isEqualTo(NOTIFY_DEPLOY + 'event:approved, by:alice]')
        assertThat(around[3]).isEqualTo(NOTIFY_RELEASE + 'event:waiting]')
        assertThat(around[4]).startsWith('input [id:release-gulimall-gateway')
        assertThat(around[5]).isEqualTo(NOTIFY_RELEASE + 'event:approved, by:alice]')
        // held by no agent: the approvals run outside node, before the deploy and the release
        assertThat(events.indexOf(around[0])).isEqualTo(events.indexOf('stage approval') + 1)
    }

    @Test
    void withNotifiersARejectionIsAnnouncedWithWhoRejected() {
        notifiers = true
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: '', DEPLOY: true])
        failing['deploy-gulimall-gateway'] = new FlowInterruptedException('ABORTED', rejection('bob'))

        runJenkinsfile()

        assertThat(finalResult).isEqualTo('ABORTED')
        assertThat(events.takeRight(4)).containsExactly(
                'guliNotify [service:gulimall-gateway, event:waiting]',
                'timeout [time:60, unit:MINUTES]',
                events[-2],
                'guliNotify [service:gulimall-gateway, event:rejected, by:bob]')
        assertThat(events[-2]).startsWith('input [id:deploy-gulimall-gateway')
        assertThat(echoes.last()).contains('not approved (Rejected by bob)')
    }

    @Test
    void withNotifiersATimeoutIsAnnouncedAsTimedOut() {
        notifiers = true
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: 'v1.2.0', DEPLOY: true])
        failing['release-gulimall-gateway'] = new FlowInterruptedException('ABORTED', exceededTimeout())

        runJenkinsfile()

        assertThat(finalResult).isEqualTo('ABORTED')
        assertThat(events.last()).isEqualTo('guliNotify [service:gulimall-gateway, version:v1.2.0, event:timedOut]')
        assertThat(events).doesNotContain('guliRelease')
    }

    @Test
    void withNotifiersAPromotionNamesItsEnvironmentItsApproversAndWhatThePreviewRead() {
        notifiers = true
        threeEnvironments()
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: 'v1.2.0', DEPLOY: true, PROMOTE_TO: 'staging'])

        assertThat(runJenkinsfile()).isNull()

        String notice = 'guliNotify [service:gulimall-gateway, version:v1.2.0, environment:staging, ' +
                "approvers:qa-leads, digest:$DIGEST, diff:-port=1\n+port=2, commits:retry the callback\tCy, "
        List<String> approval = events.subList(events.indexOf('stage approval'), events.indexOf('stage promote'))
        assertThat(approval).containsExactly(
                'stage approval',
                notice + 'event:waiting]',
                'timeout [time:60, unit:MINUTES]',
                approval[3],
                notice + 'event:approved, by:alice]')
        assertThat(approval[3]).startsWith('input [id:promote-gulimall-gateway-staging')
        // staging is not the release point: nothing is released, and PROJECT_VERSION is what must run in test
        assertThat(events.findAll { it.startsWith('guliRelease') }).isEmpty()
        assertThat(events).contains(
                "guliPromote [service:gulimall-gateway, to:staging, version:v1.2.0, commit:c0ffee1, configState:application.properties=absent, digest:$DIGEST]".toString())
    }

    @Test
    void aBuildsOwnApprovalsNameTheDigestPushedAndTheCommitsSinceTheLastRelease() {
        notifiers = true
        results.guliImage = [image: 'registry.example/gulimall/gulimall-gateway', digest: DIGEST]
        sinceRelease = new SinceRelease('gulimall-gateway', 'v1.1.0', new ReleaseCommits(
                [new Commit('retry the callback', 'Cy'), new Commit('[x](https://evil.example)', 'Eve')], null))
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: 'v1.2.0', DEPLOY: true])

        assertThat(runJenkinsfile()).isNull()

        String notice = "guliNotify [service:gulimall-gateway, version:v1.2.0, commits:retry the callback\tCy\n" +
                "[x](https://evil.example)\tEve, digest:$DIGEST, "
        List<String> around = events.findAll { it.startsWith('guliNotify') || it.startsWith('input') }
        assertThat(around[0]).isEqualTo(notice + 'event:waiting]')
        assertThat(around[1]).isEqualTo('input [id:deploy-gulimall-gateway, message:deploy gulimall-gateway to the ' +
                'cluster?\n\ncommits since gulimall-gateway-v1.1.0:\n  retry the callback (Cy)\n  [x](https://evil.example) (Eve)' +
                "\n\nimage digest: $DIGEST, ok:Submit / 提交, submitterParameter:approver]")
        assertThat(around[2]).isEqualTo(notice + 'event:approved, by:alice]')
        assertThat(around[3]).isEqualTo(notice + 'event:waiting]')
        assertThat(around[4]).startsWith('input [id:release-gulimall-gateway, message:release gulimall-gateway v1.2.0 ' +
                '(image tag v1.2.0, git tag gulimall-gateway-v1.2.0)?\n\ncommits since gulimall-gateway-v1.1.0:\n')
                .contains("image digest: $DIGEST")
    }

    @Test
    void withoutNotifiersNothingIsAnnounced() {
        global.approvers = 'release-managers'
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: 'v1.2.0', DEPLOY: true])
        failing['release-gulimall-gateway'] = new FlowInterruptedException('ABORTED', rejection('bob'))

        runJenkinsfile()

        assertThat(events.findAll { it.startsWith('input') }).hasSize(2)
        assertThat(events.findAll { it.startsWith('guliNotify') }).isEmpty()
    }

    /** Prod needs two different people among alice and ops, not the build's starter (carol). */
    void twoPeopleForProd() {
        threeEnvironments()
        environmentPolicies = [prod: new ApprovalPolicy(2, false, [])]
        global.approvers = 'alice,ops'
    }

    static final String PROMOTE_PROD = 'promote-gulimall-gateway-prod'

    @Test
    void theSamePersonTwiceIsAskedAgainAndTwoPeoplePass() {
        twoPeopleForProd()
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: 'v1.2.0', PROMOTE_TO: 'prod'])
        answers[PROMOTE_PROD] = [[approver: 'alice', decision: 'approve', reason: ''],
                                 [approver: 'alice', decision: 'approve', reason: ''],
                                 [approver: 'bob', decision: 'approve', reason: '']]

        assertThat(runJenkinsfile()).isNull()

        assertThat(finalResult).isEqualTo('SUCCESS')
        assertThat(events.findAll { it.startsWith('input') }).hasSize(3)
        assertThat(echoes).contains('[guliPipeline] promote gulimall-gateway v1.2.0 to prod: alice already approved: ' +
                'the next approval must come from a different person; 1 of 2 approvals, asking again (2 different ' +
                "people among users alice or groups ops, not the build's starter)",
                '[guliPipeline] promote gulimall-gateway v1.2.0 to prod: approved by alice, bob')
        // prod is the release point: guliPromote, then guliRelease of the promoted digest
        assertThat(events.findAll { it.startsWith('guliPromote ') || it.startsWith('guliRelease ') }*.tokenize(' ')*.first())
                .containsExactly('guliRelease', 'guliPromote', 'guliRelease') // the first: checkOnly, at the preview
        // each answer went to guliApproval with the admins' rule
        assertThat(approvals*.approver).containsExactly('alice', 'alice', 'bob')
        assertThat(approvals[0]).containsEntry('id', PROMOTE_PROD).containsEntry('requiredApprovals', 2)
                .containsEntry('starterMayApprove', false).containsEntry('environment', 'prod')
        // the input asks approve or reject, and why
        assertThat(inputForms[0]*.keySet().flatten()).containsExactly('choice', 'text')
        assertThat(inputForms[0][0].choice).containsEntry('name', 'decision')
        assertThat(inputForms[0][1].text).containsEntry('name', 'reason')
    }

    @Test
    void theStarterIsRefusedWhereTheRuleSaysSo() {
        twoPeopleForProd()
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: 'v1.2.0', PROMOTE_TO: 'prod'])
        answers[PROMOTE_PROD] = [[approver: 'carol', decision: 'approve', reason: ''],
                                 [approver: 'alice', decision: 'approve', reason: ''],
                                 [approver: 'bob', decision: 'approve', reason: '']]

        assertThat(runJenkinsfile()).isNull()

        assertThat(echoes.find { it.contains('carol') })
                .contains('carol started this build and may not approve it: the rule needs someone else')
        assertThat(events.findAll { it.startsWith('input') }).hasSize(3)
        assertThat(finalResult).isEqualTo('SUCCESS')
    }

    @Test
    void aRejectionNeedsAReasonAndEndsAbortedWithItInTheNotice() {
        notifiers = true
        twoPeopleForProd()
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: 'v1.2.0', PROMOTE_TO: 'prod'])
        answers[PROMOTE_PROD] = [[approver: 'bob', decision: 'reject', reason: ''],
                                 [approver: 'bob', decision: 'reject', reason: 'stock service not ready']]

        Throwable thrown = runJenkinsfile()

        assertThat(finalResult).isEqualTo('ABORTED')
        assertThat(thrown).hasMessage('[guliPipeline] promote gulimall-gateway v1.2.0 to prod: rejected by bob (stock ' +
                'service not ready), so the build stops here as ABORTED')
        assertThat(echoes.find { it.contains("bob's rejection has no reason") }).isNotNull()
        assertThat(events.last()).isEqualTo('guliNotify [service:gulimall-gateway, version:v1.2.0, environment:prod, ' +
                'approvers:alice,ops, digest:sha256:' + 'd' * 64 + ', diff:-port=1\n+port=2, commits:retry the callback\tCy, ' +
                'event:rejected, by:bob, reason:stock service not ready]')
        assertThat(events.findAll { it.startsWith('guliPromote') }).isEmpty()
    }

    @Test
    void aTimeoutIsRecordedByGuliApproval() {
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: '', DEPLOY: true])
        failing['deploy-gulimall-gateway'] = new FlowInterruptedException('ABORTED', exceededTimeout())

        runJenkinsfile()

        assertThat(finalResult).isEqualTo('ABORTED')
        assertThat(approvals.last()).containsEntry('decision', 'timedOut').containsEntry('id', 'deploy-gulimall-gateway')
    }

    static List<FreezeWindow> weekend() {
        FreezeWindow.parseAll(['weekend = Fri 18:00 - Mon 08:00'], java.time.ZoneId.of('Asia/Shanghai'))
    }

    @Test
    void aFreezeRefusesTheDeployBeforeAnyAgent() {
        approvalPolicy = new ApprovalPolicy(1, true, weekend())
        now = java.time.Instant.parse('2026-12-12T04:00:00Z')
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: '', DEPLOY: true])

        Throwable thrown = runJenkinsfile()

        assertThat(finalResult).isEqualTo('FAILURE')
        assertThat(thrown.message).startsWith("[guliPipeline] deploys and releases to the cluster are frozen by the " +
                "window 'weekend' until 2026-12-14 08:00 Asia/Shanghai")
        assertThat(events).isEmpty()
        // the job's first build in a freeze already sets the form with the override, for the next build
        assertThat(jobProperties.last()[0].parameters*.string*.name).contains('FREEZE_OVERRIDE_REASON')
    }

    @Test
    void aServiceThatDeploysAndReleasesNothingIsNotFrozen() {
        approvalPolicy = new ApprovalPolicy(1, true, weekend())
        now = java.time.Instant.parse('2026-12-12T04:00:00Z')
        // the DEPLOY parameter unticked (its default when guli.yaml says deploy: false), no release version
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: '', DEPLOY: false])
        files['guli.yaml'] = 'deploy: false\n'

        assertThat(runJenkinsfile()).isNull()

        assertThat(finalResult).isEqualTo('SUCCESS')
        assertThat(events).contains('guliImage [projectName:gulimall-gateway]')
        assertThat(events.findAll { it.startsWith('guliDeployK8s') }).isEmpty()
    }

    @Test
    void anAdministratorsOverridePassesAndAnyoneElsesIsRefused() {
        approvalPolicy = new ApprovalPolicy(1, true, weekend())
        now = java.time.Instant.parse('2026-12-12T04:00:00Z')
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: '', DEPLOY: true,
                       FREEZE_OVERRIDE_REASON: 'payment outage hotfix'])

        Throwable refused = runJenkinsfile()

        assertThat(refused.message).endsWith('FREEZE_OVERRIDE_REASON is ignored: carol is not an administrator')
        assertThat(events).isEmpty()

        events.clear()
        administrators = ['carol'] as Set
        setUpPipeline([PROJECT_NAME: 'gulimall-gateway', PROJECT_VERSION: '', DEPLOY: true,
                       FREEZE_OVERRIDE_REASON: 'payment outage hotfix'])

        assertThat(runJenkinsfile()).isNull()

        assertThat(finalResult).isEqualTo('SUCCESS')
        assertThat(events).contains('guliDeployK8s [projectName:gulimall-gateway, configs:gulimall-gateway/deploy/**]')
        // the form offers the override where the admins configured freeze windows
        List form = jobProperties.last()[0].parameters
        assertThat(form*.string*.name).contains('FREEZE_OVERRIDE_REASON')
    }
}
