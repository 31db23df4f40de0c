package io.github.guli.engine.process;

import io.github.guli.engine.Log;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.util.List;

/** The command line's way of running the engine's commands: as child processes of this one. */
public final class LocalCommands implements Commands {
    @Override
    public int run(CommandLine c, Log output) throws IOException, InterruptedException {
        List<String> argv = new java.util.ArrayList<>(c.argv());
        argv.set(0, resolve(c.program(), c));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        if (c.dir() != null) {
            pb.directory(new File(c.dir()));
        }
        pb.environment().clear();
        pb.environment().putAll(c.env());
        Process p = pb.start();
        Thread pump = new Thread(
                () -> {
                    try (BufferedReader in =
                            new BufferedReader(new InputStreamReader(p.getInputStream(), Charset.defaultCharset()))) {
                        for (String line; (line = in.readLine()) != null; ) {
                            output.info(line);
                        }
                    } catch (IOException e) {
                        // the process was stopped: its output ends here
                    }
                },
                "output of " + c.program());
        pump.start();
        try {
            int exit = p.waitFor();
            pump.join();
            return exit;
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw e;
        }
    }

    /**
     * A bare program name is looked up on the command's own PATH, as a shell would (Java looks on this process' PATH).
     */
    static String resolve(String program, CommandLine c) throws IOException {
        if (program.contains("/") || program.contains(File.separator)) {
            return program;
        }
        String path = c.env().getOrDefault("PATH", c.env().getOrDefault("Path", ""));
        for (String d : path.split(File.pathSeparator)) {
            File f = new File(d, program);
            if (!d.isEmpty() && f.isFile() && f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        throw new IOException("'" + program + "' is not on the PATH (" + path + ")");
    }
}
