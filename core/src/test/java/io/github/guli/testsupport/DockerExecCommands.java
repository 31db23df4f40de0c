package io.github.guli.testsupport;

import io.github.guli.engine.Log;
import io.github.guli.engine.process.CommandLine;
import io.github.guli.engine.process.Commands;
import io.github.guli.engine.process.LocalCommands;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs the engine's commands in a running container with {@code docker exec}, as the Kubernetes plugin's
 * {@code container()} runs them in a pod's container: in the given directory (a volume both sides see), with the
 * variables of the command that differ from the agent's own environment (as the plugin passes them), each given by
 * name only ({@code -e NAME}: its value is in the docker command's environment, never in an argument).
 */
public final class DockerExecCommands implements Commands {
    private final String container;
    private final Map<String, String> agentEnv;

    public DockerExecCommands(String container, Map<String, String> agentEnv) {
        this.container = container;
        this.agentEnv = Map.copyOf(agentEnv);
    }

    @Override
    public int run(CommandLine c, Log output) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("docker", "exec", "-w", c.dir()));
        Map<String, String> client = new HashMap<>(System.getenv());
        for (Map.Entry<String, String> e : c.env().entrySet()) {
            if (!Objects.equals(agentEnv.get(e.getKey()), e.getValue())) {
                argv.addAll(List.of("-e", e.getKey()));
                client.put(e.getKey(), e.getValue());
            }
        }
        argv.add(container);
        argv.addAll(c.argv());
        return new LocalCommands().run(new CommandLine(argv, client, null), output);
    }
}
