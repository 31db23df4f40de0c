package io.github.guli.engine.deploy;

import io.github.guli.engine.GuliException;

/**
 * The API server refused a write with 409 Conflict: the object changed between its read and this write (a
 * controller wrote its status, another tool edited it). Reading it again and writing once more usually succeeds.
 */
final class ConflictException extends GuliException {
    ConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
