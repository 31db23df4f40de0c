package io.github.guli.cli;

/** A command line that cannot be run as typed; exit status 2. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
