package io.github.guli.jenkins;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * What the engine on the agent may ask of the step's Launcher on the controller (see {@link StepLauncher}); only JDK
 * types cross the channel. Public: remoting makes a proxy of it on the agent.
 */
public interface LaunchService {
    /** Starts a command; returns its number. */
    int start(List<String> argv, Map<String, String> env, String dir) throws IOException;

    /** The next lines of its output (waits up to a second for some); null once it ended and all were read. */
    List<String> next(int id) throws InterruptedException;

    /** Its exit status, once {@link #next} returned null. */
    int exitStatus(int id) throws IOException, InterruptedException;

    /** Stops it. */
    void kill(int id) throws IOException, InterruptedException;
}
