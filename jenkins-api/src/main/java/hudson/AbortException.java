package hudson;

import java.io.IOException;

public class AbortException extends IOException {
    public AbortException() {}

    // Keeps the message so adapter tests can read what a step reports.
    public AbortException(String message) {
        super(message);
    }
}
