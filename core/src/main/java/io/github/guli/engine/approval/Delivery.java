package io.github.guli.engine.approval;

/**
 * Whether a message reached its notifier. A failure never fails the build: the caller logs {@link #warning()}, which
 * names the notifier by its configured name and never its URL, key, token or secret.
 */
public record Delivery(String notifier, String kind, boolean delivered, String problem) {
    static Delivery ok(String notifier, String kind) {
        return new Delivery(notifier, kind, true, "");
    }

    static Delivery failed(String notifier, String kind, String problem) {
        return new Delivery(notifier, kind, false, problem);
    }

    /** The line for the build's log when not delivered (empty when it was). */
    public String warning() {
        if (delivered) {
            return "";
        }
        return "WARNING: approval notifier '" + notifier + "' (" + kind + ") did not take the message: " + problem
                + "; the approval still waits in Jenkins (check the notifier in Manage Jenkins > System)";
    }
}
