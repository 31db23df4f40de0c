// guliPipeline(service: 'gulimall-gateway'): the whole flow of a GuliMall service, from a three-line Jenkinsfile.
// Stages: checkout, build, quality gate, image, approval, deploy, release; with PROMOTE_TO or ROLLBACK_TO (where the
// admins configured environments) only preview, approval and promote. Every decision (the configuration from
// the Jenkinsfile's map, guli.yaml (the repository's own keys only) and the global configuration; versions, tags,
// which stages run, each step's arguments) is made by the plugin's guliSettings step; this file only runs what it answers. Scripted, not
// declarative, so that JenkinsPipelineUnit can test it. Help: guliPipeline.txt.

def call(Map config = [:]) {
    flow(config, 'maven')
}

/** The flow for a kind of service: 'maven' here, 'frontend' for guliFrontendPipeline. */
def flow(Map config, String kind) {
    // before any agent is taken: the Jenkinsfile's map and the build parameters (PROJECT_VERSION) are checked
    def s = guliSettings(call: config, kind: kind, returnFreeze: true)
    def form = s.parameters
    properties([parameters(parameterDefinitions(form))])
    if (s.frozen) { // refused after the form is set: it offers FREEZE_OVERRIDE_REASON from the job's first build on
        error(s.frozen)
    }
    if (s.promotion) {
        promote(s)
        return
    }
    List images = [] // what guliImage pushed, per service: the approvals name the digest
    node(s.agent) {
      inContainer(s) {
        stage('checkout') {
            def scmVars = checkout(scm)
            // guliSettings reads the workspace's pom.xml itself, on the agent and bounded
            s = guliSettings(call: config, kind: kind, scm: scmVars, file: guliYaml())
            if (s.parameters != form) {
                properties([parameters(parameterDefinitions(s.parameters))]) // the repository's modules as choices
            }
            if (s.stages.release.run) {
                // a version already taken by another commit or image fails here, in seconds, not after the build
                guliRelease(s.stages.release.args + [checkOnly: true])
            }
            forEach(s.changes) { line -> echo line } // PROJECT_NAME (changed): which services are built, and why
        }
        withEnv(s.env) {
            stage('build') {
                def b = s.stages.build
                unlessSkipped(b) {
                    if (b.command) {
                        sh(b.command)
                    } else {
                        guliBuild(b.args)
                    }
                }
            }
            stage('quality gate') {
                unlessSkipped(s.stages.qualityGate) {
                    // each gate finds the project guliBuild analysed for its module, not whichever report-task.txt says
                    forEach(s.stages.qualityGate.calls) { args -> guliQualityGate(args) }
                }
            }
            stage('image') {
                unlessSkipped(s.stages.image) {
                    forEach(s.stages.image.calls) { args -> images << [service: args.projectName, image: guliImage(args)] }
                }
            }
            if (s.stages.deploy.run) {
                stash(s.stages.deploy.stash) // the manifests of this commit, for the deploy after the approval
            }
        }
      }
    }
    // approvals hold no agent: a release manager may take an hour
    stage('approval') {
        approve(withImage(s.stages.approval, images))
    }
    stage('deploy') {
        def d = s.stages.deploy
        unlessSkipped(d) {
            forEach(d.calls) { c -> // one per service, each under its own lock
                alone(c.lock) {
                    onAgent(s) {
                        // a directory of this build's own: the manifests of this commit, none an earlier build left
                        dir("${env.WORKSPACE}@guli-deploy-${env.BUILD_NUMBER}") {
                            deleteDir()
                            try {
                                unstash(d.stash.name)
                                guliDeployK8s(c.args)
                            } finally {
                                deleteDir()
                            }
                        }
                    }
                }
            }
        }
    }
    stage('release') {
        def r = s.stages.release
        unlessSkipped(r) {
            approve(withImage(s.stages.releaseApproval, images))
            alone(r.lock) {
                onAgent(s) {
                    checkout(scm) // the tag goes on the built commit, given to guliRelease
                    guliRelease(r.args)
                }
            }
        }
    }
}

/**
 * PROMOTE_TO or ROLLBACK_TO: nothing of this commit is built. On the agent briefly, guliPromotionPreview makes every
 * check of the deploy (a refusal fails here, before anyone is asked) and reads what it changes; the environment's
 * approval shows that (no agent held); then one guliPromote of the previewed digest under the lock of the service in
 * that environment, and at the release point guliRelease of that digest.
 */
private void promote(Map s) {
    def p = s.promotion
    echo p.skipped
    Map preview = null
    String commit = null // without the image's builtCommit: the commit previewed, whose manifests are deployed
    stage('preview') {
        onAgent(s) {
            def scmVars = checkout(scm) // the manifests, the configuration files and the release tags
            commit = scmVars.GIT_COMMIT
            preview = guliPromotionPreview(p.preview.args)
            echo "[guliPipeline] ${preview.message}"
            if (p.release) { // a version already taken fails here too
                guliRelease(p.release.args + [projectVersion: p.release.args.projectVersion ?: preview.version,
                                              commit: preview.builtCommit ?: commit, gitRemote: scmVars.GIT_URL,
                                              checkOnly: true])
            }
        }
    }
    stage('approval') {
        approve(withPreview(p.approval, preview))
    }
    stage('promote') {
        alone(p.lock) {
            onAgent(s) {
                def scmVars = checkout(scm) // the repository guliPromote reads the manifests from
                // the digest approved: what the environment before runs now must still be it; a configuration
                // changed in Nacos since is refused. The manifests and configuration are those of the commit the
                // image was built from (builtCommit), wherever the branch is now; for an image that does not say,
                // those of the branch as previewed: guliPromote refuses a workspace where the branch moved since
                def promoted = guliPromote(p.args + (preview.builtCommit ? [:] : [commit: commit]) +
                                           [configState: preview.configState] +
                                           (p.args.rollbackTo ? [:] : [digest: preview.digest]))
                if (p.release) { // the git tag goes on the commit the image was built from
                    guliRelease(p.release.args + [projectVersion: p.release.args.projectVersion ?: preview.version,
                                                  digest: preview.digest, configRecord: promoted?.config,
                                                  commit: preview.builtCommit ?: commit, gitRemote: scmVars.GIT_URL])
                }
            }
        }
    }
}

/** The approval with the preview in its input's message and, where notifiers are configured, in their notice. */
private static Map withPreview(Map a, Map preview) {
    Map out = new LinkedHashMap(a)
    if (a.input) {
        out.input = a.input + [message: "${a.input.message}\n\n${preview.message}".toString()]
    }
    if (a.notify) {
        out.notify = a.notify + [digest: preview.digest, diff: preview.diff, commits: preview.commits]
    }
    return out
}

/**
 * A build's own approval with the digest guliImage pushed (one service: its digest; several: each with its name) in
 * its input's message and its notice; the commits since the last release are already there (guliSettings).
 */
@NonCPS
private static Map withImage(Map a, List images) {
    List pushed = images.findAll { it.image?.digest }
    if (!a.run || pushed.isEmpty()) {
        return a
    }
    String digest = pushed.size() == 1 ? pushed[0].image.digest :
            pushed.collect { "${it.service} ${it.image.digest}" }.join(', ')
    Map out = new LinkedHashMap(a)
    out.input = a.input + [message: "${a.input.message}\n\nimage digest: ${digest}".toString()]
    if (a.notify) {
        out.notify = a.notify + [digest: digest.toString()]
    }
    return out
}

/**
 * The repository's guli.yaml, or null. In a multibranch job it is read with readTrusted: a pull request whose author
 * is not trusted cannot change it (the build fails saying so), as it cannot change the Jenkinsfile.
 */
private String guliYaml() {
    if (!fileExists('guli.yaml')) {
        return null
    }
    return env.BRANCH_NAME ? readTrusted('guli.yaml') : readFile('guli.yaml')
}

private List parameterDefinitions(Map p) {
    def form = [
            choice(name: 'PROJECT_NAME', choices: p.projectNames, description: p.projectNameDescription),
            string(name: 'PROJECT_VERSION', defaultValue: '', trim: true, description: p.projectVersionDescription),
            booleanParam(name: 'DEPLOY', defaultValue: p.deploy, description: p.deployDescription),
    ]
    if (p.freezeOverride) { // only where the admins configured freeze windows; honoured for an administrator only
        form += [string(name: 'FREEZE_OVERRIDE_REASON', defaultValue: '', trim: true, description: p.freezeOverrideDescription)]
    }
    if (p.promoteTo) { // only where the admins configured environments
        form += [
                choice(name: 'PROMOTE_TO', choices: p.promoteTo, description: p.promoteToDescription),
                string(name: 'PROMOTE_DIGEST', defaultValue: '', trim: true, description: p.promoteDigestDescription),
                string(name: 'ROLLBACK_TO', defaultValue: '', trim: true, description: p.rollbackToDescription),
                choice(name: 'ENVIRONMENT', choices: p.environments, description: p.environmentDescription),
        ]
    }
    return form
}

/** On the build's agent, in its container, with the build's variables: where a stage after the approvals runs. */
private void onAgent(Map s, Closure body) {
    node(s.agent) {
        inContainer(s) {
            withEnv(s.env) {
                body()
            }
        }
    }
}

/** Inside the pod's container when the settings name one (Kubernetes agents): every step's commands run there. */
private void inContainer(Map s, Closure body) {
    if (s.container) {
        container(s.container) {
            body()
        }
    } else {
        body()
    }
}

/** The body once per item, in order (one call per service: the one picked, or those (changed) picked). */
private void forEach(List items, Closure body) {
    for (int i = 0; i < items.size(); i++) {
        body(items[i])
    }
}

private void unlessSkipped(Map st, Closure body) {
    if (st.run) {
        body()
    } else {
        echo st.skipped
    }
}

/**
 * Deploys (releases) of one service run one after the other; of different services they never wait for each other:
 * the lock the settings name per service, the Lockable Resources plugin's lock where it is installed, else the
 * plugin's own guliLock. Never a milestone: it is per job, so it would abort the builds of the job's other services.
 */
private void alone(Map l, Closure body) {
    if (l.step == 'lock') {
        lock(l.args) {
            body()
        }
    } else {
        guliLock(l.args) {
            body()
        }
    }
}

private void approve(Map a) {
    if (!a.run) {
        echo a.skipped
        return
    }
    announce(a, [event: 'waiting'])
    Map v
    try {
        timeout(time: a.timeoutMinutes, unit: 'MINUTES') {
            v = decide(a)
        }
    } catch (InterruptedException e) {
        Map ended = outcome(e)
        String how = ended.event == 'timedOut' ? 'timedOut' : 'aborted'
        guliApproval(a.rule + [decision: how, approver: ended.by ?: '', reason: reason(e)])
        announce(a, ended)
        // the input's Abort, the timeout, or the build aborted while it waited: the build is ABORTED, not FAILED
        currentBuild.result = 'ABORTED'
        echo "[guliPipeline] ${a.what}: not approved (${reason(e)}), so the build stops here as ABORTED"
        throw e
    }
    if (v.state == 'rejected') {
        announce(a, [event: 'rejected', by: v.by, reason: v.reason])
        currentBuild.result = 'ABORTED'
        error("[guliPipeline] ${a.what}: rejected by ${v.by} (${v.reason}), so the build stops here as ABORTED")
    }
    announce(a, [event: 'approved', by: v.approvedBy])
}

/**
 * Asks until the admins' rule is met (enough different people, the starter where allowed) or someone rejects with a
 * reason: guliApproval judges and records each answer; one that does not count is said in the log and asked again.
 */
private Map decide(Map a) {
    Map v = [state: 'waiting']
    while (v.state == 'waiting') {
        def answer = input(a.input + [parameters: answerForm()])
        v = guliApproval(a.rule + [approver: answer.approver, decision: answer.decision, reason: answer.reason])
        echo v.message
    }
    return v
}

private List answerForm() {
    return [
            choice(name: 'decision', choices: ['approve', 'reject'], description: 'approve, or reject (with a reason)'),
            text(name: 'reason', defaultValue: '', description: 'why: required to reject; shown in the notice and the build'),
    ]
}

/** Tells the admins' notifiers, when there are any: guliSettings gives the approval's notify arguments then. */
private void announce(Map a, Map event) {
    if (a.notify) {
        guliNotify(a.notify + event)
    }
}

/** How the wait ended, from the input's Rejection (and who) or the timeout's cause; an abort is a rejection. */
@NonCPS
private static Map outcome(InterruptedException e) {
    def causes = e.hasProperty('causes') ? e.causes : []
    def rejection = causes.find { it.getClass().simpleName == 'Rejection' }
    if (rejection) {
        return [event: 'rejected', by: rejection.user?.id ?: '']
    }
    if (causes.any { it.getClass().simpleName == 'ExceededTimeout' }) {
        return [event: 'timedOut']
    }
    return [event: 'rejected', reason: reason(e)]
}

/** Jenkins' FlowInterruptedException says why: "Rejected by alice", "Timeout has been exceeded". */
@NonCPS
private static String reason(InterruptedException e) {
    def causes = e.hasProperty('causes') ? e.causes : null
    return causes ? causes.collect { it.shortDescription }.join('; ') : (e.message ?: e.class.simpleName)
}
