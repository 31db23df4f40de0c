package io.github.guli.jenkins;

import hudson.AbortException;
import io.github.guli.engine.GuliException;

/**
 * How a step fails with an engine error or a message of its own: an {@link AbortException} (Jenkins prints "ERROR:
 * message", no stack trace) whose message is the step's prefix, once, then the message. Engine messages reach this
 * without a prefix, from the controller and from the agent alike ({@link EngineOnAgent} raises a {@link
 * GuliException} on the controller), so nothing has to be stripped.
 */
final class StepErrors {
    private StepErrors() {}

    /** The step's failure for an engine error. */
    static AbortException abort(String prefix, GuliException e) {
        return abort(prefix, e.getMessage());
    }

    /** The step's failure saying {@code message}. */
    static AbortException abort(String prefix, String message) {
        return new AbortException(prefix + message);
    }
}
