package io.github.guli.engine.git;

import java.time.Duration;

/**
 * The bound on every network call to a git server: JGit waits forever on a server that accepts the connection and
 * never answers unless each command is given a timeout (connect and each read, in seconds).
 */
final class GitTimeout {
    static final Duration DEFAULT = Duration.ofMinutes(2);

    private GitTimeout() {}

    static int seconds(Duration timeout) {
        return (int) Math.max(1, timeout.toSeconds());
    }

    /** Whether a transport failure is the timeout (JGit words it "Read timed out", "connect timed out", ...). */
    static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase();
            if (t instanceof java.net.SocketTimeoutException || m.contains("timed out") || m.contains("timeout")) {
                return true;
            }
        }
        return false;
    }

    static String message(String what, String url, Duration timeout) {
        return "the git server " + url + " did not answer within " + seconds(timeout) + "s while " + what
                + " (timeout): check that the server is up and that this agent reaches it, then run again";
    }
}
