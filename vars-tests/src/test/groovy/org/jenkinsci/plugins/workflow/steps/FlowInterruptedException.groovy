package org.jenkinsci.plugins.workflow.steps

/**
 * Test stand-in for Jenkins' FlowInterruptedException (workflow-step-api), what the input and timeout steps throw
 * when an approval is rejected or times out: an InterruptedException with a result and its causes, each with a
 * short description ("Rejected by alice", "Timeout has been exceeded").
 */
class FlowInterruptedException extends InterruptedException {
    final String result
    final List causes

    FlowInterruptedException(String result, Object... causes) {
        this.result = result
        this.causes = causes as List
    }

    /** A CauseOfInterruption as the test needs it: its short description. */
    static Object cause(String shortDescription) {
        return new Cause(shortDescription: shortDescription)
    }

    static class Cause implements Serializable {
        String shortDescription
    }
}
