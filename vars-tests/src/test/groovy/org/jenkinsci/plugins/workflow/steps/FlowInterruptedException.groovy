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

    /** The input step's rejection, as Jenkins names its class, with the user who rejected. */
    static Object rejection(String userId) {
        return new Rejection(shortDescription: "Rejected by $userId", user: [id: userId])
    }

    /** The timeout step's cause, as Jenkins names its class. */
    static Object exceededTimeout() {
        return new ExceededTimeout(shortDescription: 'Timeout has been exceeded')
    }

    static class Rejection extends Cause {
        Map user
    }

    static class ExceededTimeout extends Cause {}
}
