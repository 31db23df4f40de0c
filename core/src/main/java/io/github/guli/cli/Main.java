package io.github.guli.cli;

import io.github.guli.engine.GuliException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code guli <command> [--options]}: the engine outside Jenkins. The subcommands mirror the Pipeline steps
 * (guliRelease is {@code guli release}) and take the same parameters in kebab-case.
 */
public final class Main {
    /** Every subcommand, in the order the usage lists them. */
    static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

    static {
        for (Command c : List.<Command>of(
                new BuildCommand(),
                new QualityGateCommand(),
                new ImageCommand(),
                new DeployCommand(),
                EnvironmentCommand.promote(),
                EnvironmentCommand.rollback(),
                new ReleaseCommand(),
                new ProvisionCommand(),
                new NotifyCommand(),
                new ConfigCommand())) {
            COMMANDS.put(c.name(), c);
        }
    }

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.getenv(), System.out, System.err));
    }

    static String usage() {
        StringBuilder s = new StringBuilder("usage: guli <command> [--option value]...\ncommands:\n");
        COMMANDS.values().forEach(c -> s.append(String.format("  %-9s %s%n", c.name(), c.summary())));
        return s.append("secrets come from the environment only (GULI_<KIND>_PASSWORD or GULI_<KIND>_PASSWORD_FILE);\n")
                .append("'guli <command> --help' lists a command's options and the variables it reads.")
                .toString();
    }

    static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("help")) {
            (args.isEmpty() ? err : out).println(usage());
            return args.isEmpty() ? 2 : 0;
        }
        String name = args.get(0);
        List<String> rest = args.subList(1, args.size());
        Command command = COMMANDS.get(name);
        if (command == null) {
            err.println("guli: unknown command '" + name + "'\n" + usage());
            return 2;
        }
        if (rest.contains("--help")) {
            out.println(command.help());
            return 0;
        }
        String action = null;
        if (!command.actions().isEmpty()) {
            if (rest.isEmpty() || !command.actions().contains(rest.get(0))) {
                err.println("guli " + name + ": give what to do first, one of: "
                        + String.join(", ", new TreeSet<>(command.actions())) + "\n" + command.help());
                return 2;
            }
            action = rest.get(0);
            rest = rest.subList(1, rest.size());
        }
        try {
            Options options = new Options(name, rest, command.options(), command.flags()).action(action);
            return command.run(options, new Secrets(env), out);
        } catch (UsageException e) {
            err.println(e.getMessage());
            return 2;
        } catch (GuliException e) {
            err.println("guli " + name + ": error: " + e.getMessage());
            return 1;
        }
    }
}
