package io.github.guli.engine;

/**
 * A failure the user can act on. The message names the problem and the fix; callers show it as it is,
 * without a stack trace.
 */
public class GuliException extends RuntimeException {
    public GuliException(String message) {
        super(message);
    }

    public GuliException(String message, Throwable cause) {
        super(message, cause);
    }
}
