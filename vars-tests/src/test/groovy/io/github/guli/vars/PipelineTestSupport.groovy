package io.github.guli.vars

import static com.lesfurets.jenkins.unit.global.lib.LibraryConfiguration.library
import static com.lesfurets.jenkins.unit.global.lib.LocalSource.localSource

import com.lesfurets.jenkins.unit.cps.BasePipelineTestCPS
import io.github.guli.engine.GuliException
import io.github.guli.engine.approval.ApprovalPolicy
import io.github.guli.engine.approval.ApprovalRule
import io.github.guli.engine.approval.Decision
import io.github.guli.engine.approval.Verdict
import io.github.guli.engine.build.ChangedServices
import io.github.guli.engine.environment.Environment
import io.github.guli.engine.pipeline.PipelineSettings
import io.github.guli.engine.pipeline.SettingsRequest
import io.github.guli.engine.pipeline.SinceRelease
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException

/**
 * Runs the repository's Jenkinsfile.example with JenkinsPipelineUnit in CPS mode: the library is loaded by its
 * @Library annotation from the repository root, the plugin's steps are mocks that record what they receive, and
 * guliSettings answers with the real engine, as the plugin step does.
 */
abstract class PipelineTestSupport extends BasePipelineTestCPS {
    static final File ROOT = new File(System.getProperty('guli.repositoryRoot', '..')).canonicalFile
    static final List<String> GULI_STEPS = ['guliBuild', 'guliQualityGate', 'guliImage', 'guliDeployK8s', 'guliRelease',
                                            'guliPromote', 'guliNotify', 'guliPromotionPreview']
    static final String DIGEST = 'sha256:' + 'd' * 64
    /** What guliPromotionPreview answers unless a test says otherwise. */
    static final Map PREVIEW = [environment: 'prod', from: 'staging', version: 'v1.2.0', digest: DIGEST,
                                diff: '-port=1\n+port=2', configState: 'application.properties=absent', commits: 'retry the callback\tCy',
                                message: 'deploys v1.2.0 to prod\nreplaces v1.1.0']
    /** The variables the real guliSettings step passes to the engine (GuliSettingsStep.ENV). */
    static final List<String> SETTINGS_ENV = ['PROJECT_NAME', 'PROJECT_VERSION', 'DEPLOY', 'BRANCH_NAME', 'BUILD_NUMBER',
                                              'PROMOTE_TO', 'PROMOTE_DIGEST', 'ROLLBACK_TO', 'ENVIRONMENT']

    /** What ran, in order: stages, the plugin's steps with their arguments, approvals, locks. */
    List<String> events = []
    /** Where the script is: node() enters the workspace, dir() a directory. */
    List<String> cwd = []
    static final String WORKSPACE = '/home/jenkins/workspace/gulimall'
    List<String> echoes = []
    List<List> jobProperties = []
    /** The environment each plugin step saw. */
    Map<String, Map> envOf = [:]
    /** The container each plugin step, and sh, ran in (container('x') { ... }), or none. */
    Map<String, String> containerOf = [:]
    String container
    /** The directory each plugin step ran in (the workspace, or a dir() inside the node). */
    Map<String, String> dirOf = [:]
    /** What each plugin step returns (null when not given). */
    Map<String, Object> results = [:]
    /** The service repository's files that the pipeline may read. */
    Map<String, String> files = [:]
    /** Files as the trusted revision (the target branch of a pull request) has them: what readTrusted reads. */
    Map<String, String> trustedFiles = null
    /** The plugin's global configuration, as GuliSettingsStep passes it. */
    Map<String, String> global = [approvers: null, approvalTimeoutMinutes: '60']
    boolean lockAvailable = true
    /** Whether the admins configured approval notifiers, as GuliSettingsStep passes it. */
    boolean notifiers = false
    /** The admins' environments, as GuliSettingsStep passes them (none: the form and the flow are as without). */
    List<Environment> environments = []
    /** What the plugin step computes on the agent for PROJECT_NAME (changed): the services the commits changed. */
    ChangedServices.Result changes
    /** A step name, or an input id, to what it throws instead of succeeding. */
    Map<String, Throwable> failing = [:]
    String finalResult
    /** Each approval's answers in turn, by input id: [approver:, decision:, reason:]; none given: alice approves. */
    Map<String, List<Map>> answers = [:]
    /** The form each input showed (its parameters). */
    List<List> inputForms = []
    /** Every guliApproval call's arguments, in order. */
    List<Map> approvals = []
    /** Jenkins' users, with their groups (an approver name that is none of them is a group), and who started the build. */
    Map<String, Set<String>> users = [alice: ['qa', 'qa-leads', 'release-managers', 'ops'] as Set, bob: ['ops'] as Set, carol: ['ops'] as Set, mallory: [] as Set]
    String starter = 'carol'
    Set<String> administrators = [] as Set
    /** The admins' approval policies and the time the freeze windows are read at, as GuliSettingsStep passes them. */
    ApprovalPolicy approvalPolicy = ApprovalPolicy.defaults()
    Map<String, ApprovalPolicy> environmentPolicies = [:]
    java.time.Instant now = java.time.Instant.parse('2026-12-09T04:00:00Z')
    /** The answers guliApproval counted, by approval id (the plugin keeps them in the build's Approvals action). */
    Map<String, List<Decision>> counted = [:]
    Set<String> defaulted = [] as Set
    /** What the plugin step reads on the agent after checkout: the commits since the service's last release. */
    SinceRelease sinceRelease

    void setUpPipeline(Map params) {
        counted = [:] // a new build: no answer counted yet
        defaulted = [] as Set
        File libs = copyLibrary()
        scriptRoots = [ROOT.path, new File(ROOT, 'vars-tests/src/test/resources').path] as String[]
        baseScriptRoot = ROOT.path
        super.setUp()
        helper.registerSharedLibrary(library().name('guli').defaultVersion('master').allowOverride(false)
                .implicit(false).targetPath(libs.path).retriever(localSource(libs.path)).build())
        binding.setVariable('params', params)
        binding.setVariable('env', [BUILD_NUMBER: '7', JOB_NAME: 'gulimall'] + params.collectEntries { k, v -> [k, String.valueOf(v)] })
        binding.setVariable('scm', [$class: 'GitSCM', branches: [[name: '*/master']]])
        binding.setVariable('currentBuild', [result: null])
        results.putIfAbsent('guliPromotionPreview', PREVIEW)
        registerJenkinsSteps()
        registerPluginSteps()
    }

    /** LocalSource loads DIR/NAME@VERSION: a copy of the library's folders from the repository root. */
    private static File copyLibrary() {
        File libs = new File(ROOT, 'library/target/libs')
        File lib = new File(libs, 'guli@master')
        lib.deleteDir()
        ['vars', 'src', 'resources'].each { d ->
            File from = new File(ROOT, d)
            if (from.directory) {
                from.eachFileRecurse { f ->
                    File to = new File(lib, d + '/' + from.toPath().relativize(f.toPath()))
                    if (f.directory) {
                        to.mkdirs()
                    } else {
                        to.parentFile.mkdirs()
                        to.bytes = f.bytes
                    }
                }
            }
        }
        return libs
    }

    private void registerJenkinsSteps() {
        helper.registerAllowedMethod('stage', [String, Closure], { String name, Closure body ->
            events << "stage $name".toString()
            helper.callClosure(body)
        })
        helper.registerAllowedMethod('node', [String, Closure], { String label, Closure body ->
            events << "node '$label'".toString()
            Map env = binding.getVariable('env')
            String before = env.WORKSPACE
            env.WORKSPACE = WORKSPACE
            cwd.push(WORKSPACE)
            try {
                helper.callClosure(body)
            } finally {
                cwd.pop()
                env.WORKSPACE = before
            }
        })
        helper.registerAllowedMethod('dir', [String, Closure], { String path, Closure body ->
            String to = path.startsWith('/') ? path : cwd.last() + '/' + path
            events << "dir $to".toString()
            cwd.push(to)
            try {
                helper.callClosure(body)
            } finally {
                cwd.pop()
            }
        })
        helper.registerAllowedMethod('deleteDir', [], { events << "deleteDir ${cwd.last()}".toString() })
        helper.registerAllowedMethod('readTrusted', [String], { String f ->
            events << "readTrusted $f".toString()
            Map<String, String> trusted = trustedFiles == null ? files : trustedFiles
            if (!trusted.containsKey(f)) {
                throw new StepFailure("$f not found in the trusted revision")
            }
            if (trusted[f] != files[f]) {
                throw new StepFailure("'$f' has been modified in an untrusted revision") // readTrusted's own refusal
            }
            trusted[f]
        })
        helper.registerAllowedMethod('container', [String, Closure], { String name, Closure body ->
            events << "container '$name'".toString()
            String outer = container
            container = name
            try {
                helper.callClosure(body)
            } finally {
                container = outer
            }
        })
        helper.registerAllowedMethod('checkout', [Map], { Map scm ->
            events << 'checkout scm'
            [GIT_COMMIT: 'c0ffee1', GIT_BRANCH: 'origin/master', GIT_URL: 'https://git.example/gulimall.git']
        })
        helper.registerAllowedMethod('fileExists', [String], { String f -> files.containsKey(f) })
        helper.registerAllowedMethod('readFile', [String], { String f -> files[f] })
        helper.registerAllowedMethod('properties', [List], { List p -> jobProperties << p })
        helper.registerAllowedMethod('parameters', [List], { List p -> [parameters: p] })
        helper.registerAllowedMethod('choice', [Map], { Map m -> [choice: m] })
        helper.registerAllowedMethod('string', [Map], { Map m -> [string: m] })
        helper.registerAllowedMethod('booleanParam', [Map], { Map m -> [booleanParam: m] })
        helper.registerAllowedMethod('withEnv', [List, Closure], { List vars, Closure body ->
            Map env = binding.getVariable('env')
            Map before = new LinkedHashMap(env)
            vars.each { String v -> env[v.substring(0, v.indexOf('='))] = v.substring(v.indexOf('=') + 1) }
            try {
                helper.callClosure(body)
            } finally {
                env.clear()
                env.putAll(before)
            }
        })
        helper.registerAllowedMethod('echo', [String], { String s -> echoes << s })
        helper.registerAllowedMethod('sh', [String], { String s -> events << "sh $s".toString() })
        helper.registerAllowedMethod('error', [String], { String s -> throw new StepFailure(s) })
        helper.registerAllowedMethod('stash', [Map], { Map m -> events << "stash $m".toString() })
        helper.registerAllowedMethod('unstash', [String], { String n -> events << "unstash $n".toString() })
        helper.registerAllowedMethod('timeout', [Map, Closure], { Map m, Closure body ->
            events << "timeout $m".toString()
            helper.callClosure(body)
        })
        helper.registerAllowedMethod('text', [Map], { Map m -> [text: m] })
        helper.registerAllowedMethod('input', [Map], { Map m ->
            events << "input ${m.findAll { k, v -> k != 'parameters' }}".toString()
            inputForms << m.parameters
            Throwable t = failing[m.id]
            if (t) {
                throw t
            }
            if (!answers.containsKey(m.id) && defaulted.add(m.id)) {
                return [approver: 'alice', decision: 'approve', reason: ''] // alice approves once
            }
            if (!answers[m.id]) {
                throw new IllegalStateException("input ${m.id} asked again, and the test has no answer left")
            }
            answers[m.id].remove(0)
        })
        helper.registerAllowedMethod('lock', [Map, Closure], { Map m, Closure body ->
            events << "lock $m".toString()
            helper.callClosure(body)
        })
        helper.registerAllowedMethod('guliLock', [Map, Closure], { Map m, Closure body ->
            events << "guliLock $m".toString()
            helper.callClosure(body)
        })
        // never called for mutual exclusion (it aborts the job's other builds): recorded so a test can see it is not
        helper.registerAllowedMethod('milestone', [Map], { Map m -> events << "milestone $m".toString() })
    }

    private void registerPluginSteps() {
        GULI_STEPS.each { String name ->
            helper.registerAllowedMethod(name, [Map], { Map args ->
                events << "$name $args".toString()
                envOf[name] = new LinkedHashMap(binding.getVariable('env'))
                containerOf[name] = container
                dirOf[name] = cwd ? cwd.last() : null
                Throwable t = failing[name]
                if (t) {
                    throw t
                }
                results[name]
            })
        }
        // as the plugin step: the real engine rule over the build's counted answers, the answer recorded when it counts
        helper.registerAllowedMethod('guliApproval', [Map], { Map a ->
            approvals << a
            if (a.decision in ['timedOut', 'aborted']) {
                return [state: a.decision]
            }
            List<String> names = (a.approvers ?: '').split(',')*.trim().findAll()
            ApprovalRule rule = new ApprovalRule(names.findAll { users.containsKey(it) },
                    names.findAll { !users.containsKey(it) }, a.requiredApprovals ?: 1, a.starterMayApprove != false)
            List<Decision> decisions = counted.computeIfAbsent(a.id) { [] }
            Decision d = new Decision(a.approver, users[a.approver] ?: [] as Set, a.decision == 'approve', a.reason)
            Verdict v = rule.decide(starter, decisions + [d])
            if (v.refused().isEmpty()) {
                decisions << d
            }
            [state: v.state().name().toLowerCase(), approvedBy: v.approvedBy().join(', '),
             by: v.state() == Verdict.State.REJECTED ? v.rejectedBy() : a.approver, reason: v.reason(),
             message: "[guliPipeline] ${a.what}: ${rule.explain(v)}".toString()]
        })
        helper.registerAllowedMethod('guliSettings', [Map], { Map a ->
            Map env = binding.getVariable('env')
            Map<String, String> vars = env.findAll { k, v -> k in SETTINGS_ENV && v != null }
            // FreezeOverride: the reason honoured for an administrator only
            String reason = env.FREEZE_OVERRIDE_REASON ?: null
            boolean admin = starter in administrators
            try {
                PipelineSettings.resolve(new SettingsRequest()
                        .call(a.call).file(a.file).pom(a.scm ? files['pom.xml'] : null).scm(a.scm).env(vars).global(global)
                        .kind(a.kind ?: 'maven').lockAvailable(lockAvailable).notifiers(notifiers)
                        .jobFullName(env.JOB_NAME) // the plugin step takes the run's job: the same full name
                        .changes(a.scm && vars.PROJECT_NAME == '(changed)' ? changes : null)
                        .environments(environments)
                        .approvalPolicy(approvalPolicy).environmentPolicies(environmentPolicies).now(now)
                        .sinceRelease(a.scm ? sinceRelease : null).returnFreeze(a.returnFreeze == true)
                        .freezeOverride(reason && admin ? reason : null)
                        .freezeOverrideRefused(reason && !admin
                                ? "FREEZE_OVERRIDE_REASON is ignored: $starter is not an administrator".toString() : null))
            } catch (GuliException e) {
                throw new StepFailure('[guliPipeline] ' + e.message) // the plugin step's AbortException
            }
        })
    }

    /** Runs a Jenkinsfile; returns what it threw, and sets the result Jenkins would give the build. */
    Throwable runJenkinsfile(String jenkinsfile = 'Jenkinsfile.example') {
        Throwable thrown = null
        try {
            runScript(jenkinsfile)
        } catch (Throwable t) {
            thrown = t
        }
        String set = binding.getVariable('currentBuild').result
        String fromThrown = thrown == null ? 'SUCCESS' : thrown instanceof FlowInterruptedException ? thrown.result : 'FAILURE'
        finalResult = worse(set ?: 'SUCCESS', fromThrown)
        return thrown
    }

    /** Jenkins' Result order: a build's result only gets worse. */
    static String worse(String a, String b) {
        List order = ['SUCCESS', 'UNSTABLE', 'FAILURE', 'NOT_BUILT', 'ABORTED']
        return order.indexOf(a) >= order.indexOf(b) ? a : b
    }

    List<String> stages() {
        events.findAll { it.startsWith('stage ') }.collect { it.substring(6) }
    }
}
