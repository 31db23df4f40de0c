package io.github.guli.vars

/** What a failing Jenkins step throws (an AbortException there): the build ends FAILURE with this message. */
class StepFailure extends RuntimeException {
    StepFailure(String message) {
        super(message)
    }
}
