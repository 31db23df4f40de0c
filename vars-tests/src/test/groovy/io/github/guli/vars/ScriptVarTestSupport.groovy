package io.github.guli.vars

import com.lesfurets.jenkins.unit.PipelineTestHelper

/**
 * For the vars that run scripts and guli on agents: each node has its own files (what writeFile wrote, what a script
 * left), sh records the environment it ran with and can fail, and withCredentials binds a secret text per ID.
 * These vars run without the CPS transformation: they call each, findAll and collect with closures in CPS code,
 * which Jenkins' CPS runs element by element (workflow-cps 2.80 and newer) but the groovy-cps 1.12 of
 * JenkinsPipelineUnit 1.1 does not (each stops after the first element, findAll's closure gets wrong arguments).
 */
abstract class ScriptVarTestSupport extends PipelineTestSupport {
    ScriptVarTestSupport() {
        helper = new PipelineTestHelper()
    }

    /** The files of each node, by label: what writeFile wrote and what the scripts left, until an `rm -f`. */
    Map<String, Map<String, String>> filesOn = [:].withDefault { [:] }
    /** Every sh call: its node, script and environment. */
    List<Map> shells = []
    /** A script (a word of the sh command) to the message it fails with. */
    Map<String, String> failingScripts = [:]
    /** What a script writes when it runs: script word -> [file, content]. */
    Map<String, List<String>> scriptOutputs = [:]
    /** What sh(returnStdout: true) prints. */
    String stdout = ''
    String node
    /** What stash kept, by name: file path relative to the stashing directory -> content. */
    Map<String, Map<String, String>> stashes = [:]

    static String secretOf(String credentialsId) {
        return "s3cret-of-$credentialsId"
    }

    void setUpVar(Map args) {
        setUpPipeline([ARGS: args])
        String workspace = WORKSPACE
        File resources = new File(ROOT, 'resources')
        helper.registerAllowedMethod('node', [String, Closure], { String label, Closure body ->
            events << "node '$label'".toString()
            String outer = node
            node = label
            cwd.push(workspace)
            try {
                helper.callClosure(body)
            } finally {
                cwd.pop()
                node = outer
            }
        })
        helper.registerAllowedMethod('pwd', [], { cwd.last() })
        helper.registerAllowedMethod('libraryResource', [String], { String path ->
            new File(resources, path).getText('UTF-8')
        })
        helper.registerAllowedMethod('writeFile', [Map], { Map m ->
            events << "writeFile ${m.file}".toString()
            filesOn[node][m.file as String] = m.text as String
        })
        helper.registerAllowedMethod('readFile', [String], { String f -> filesOn[node][f] })
        // stash and unstash move the node's files through the controller, as Jenkins does, never through an argument
        helper.registerAllowedMethod('stash', [Map], { Map m ->
            events << "stash ${m.name} ${m.includes}".toString()
            String from = cwd.last() + '/'
            stashes[m.name as String] = filesOn[node].findAll { k, v -> k == from + m.includes }
                    .collectEntries { k, v -> [k.substring(from.length()), v] }
        })
        helper.registerAllowedMethod('unstash', [String], { String name ->
            events << "unstash $name".toString()
            stashes[name].each { k, v -> filesOn[node][cwd.last() + '/' + k] = v }
        })
        helper.registerAllowedMethod('sh', [String], { String s -> shell(s) })
        helper.registerAllowedMethod('sh', [Map], { Map m -> shell(m.script as String) })
        helper.registerAllowedMethod('withCredentials', [List, Closure], { List bindings, Closure body ->
            events << "withCredentials ${bindings.collect { it.string }}".toString()
            Map env = binding.getVariable('env')
            Map before = new LinkedHashMap(env)
            bindings.each { env[it.string.variable] = secretOf(it.string.credentialsId as String) }
            try {
                helper.callClosure(body)
            } finally {
                env.clear()
                env.putAll(before)
            }
        })
    }

    String shell(String script) {
        events << "sh $script".toString()
        shells << [node: node, script: script, env: new LinkedHashMap(binding.getVariable('env'))]
        List<String> words = script.split(' ') as List
        script.split(' && ').each { String command ->
            List<String> w = (command.replace('sudo -E ', '').split(' ') as List)
            if (w[0] == 'rm' && w[1] in ['-f', '-rf']) {
                String path = w.last().replace("'", '')
                filesOn[node].keySet().removeIf { it == path || (w[1] == '-rf' && it.startsWith(path + '/')) }
            }
        }
        String failing = failingScripts.find { k, v -> words.contains(k) }?.value
        if (failing) {
            throw new StepFailure(failing)
        }
        scriptOutputs.findAll { k, v -> words.contains(k) }.each { k, v -> filesOn[node][v[0]] = v[1] }
        return stdout
    }

    /** The files left behind on any node. */
    Map<String, Map<String, String>> leftBehind() {
        filesOn.findAll { k, v -> !v.isEmpty() }
    }
}
