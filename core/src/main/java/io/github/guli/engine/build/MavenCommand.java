package io.github.guli.engine.build;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Maven command line as a value: what it builds (the whole project, a list of projects with the modules they
 * are built from, or one module's pom alone), the goals, the settings file, the user's own options and the
 * properties the build sets. {@link MavenBuild} derives each command it runs from another value (the analysis of a
 * module from the build's), and renders it to arguments once, with {@link #argv()}.
 *
 * <p>The properties come after the user's options: Maven takes the last {@code -D} of a name, so a value the build
 * sets (the analysis' project key, the upstream jars' index) is not replaced by an option.
 */
public final class MavenCommand {
    private final String executable;
    private final List<String> projects;
    private final String pom;
    private final List<String> goals;
    private final String settings;
    private final List<String> options;
    private final Map<String, String> properties;

    /** @param executable the Maven to run ({@code mvn}, a path to it, {@code ./mvnw}) */
    public MavenCommand(String executable) {
        this(executable, List.of(), null, List.of(), null, List.of(), Map.of());
    }

    private MavenCommand(
            String executable,
            List<String> projects,
            String pom,
            List<String> goals,
            String settings,
            List<String> options,
            Map<String, String> properties) {
        this.executable = executable;
        this.projects = List.copyOf(projects);
        this.pom = pom;
        this.goals = List.copyOf(goals);
        this.settings = settings;
        this.options = List.copyOf(options);
        this.properties = new LinkedHashMap<>(properties);
    }

    /** Builds these projects (paths) and the modules they are built from: {@code -pl a,b -am}; none: all. */
    public MavenCommand projects(List<String> paths) {
        return new MavenCommand(executable, paths, null, goals, settings, options, properties);
    }

    /**
     * Builds one module alone from its pom ({@code -f}): then it is the session's top-level project, which the
     * scanner needs.
     */
    public MavenCommand pom(String path) {
        return new MavenCommand(executable, List.of(), path, goals, settings, options, properties);
    }

    public MavenCommand goals(List<String> v) {
        return new MavenCommand(executable, projects, pom, v, settings, options, properties);
    }

    /** A settings file ({@code -s}); null: Maven's own. */
    public MavenCommand settings(String file) {
        return new MavenCommand(executable, projects, pom, goals, file, options, properties);
    }

    /** The user's options, passed as given. */
    public MavenCommand options(List<String> v) {
        return new MavenCommand(executable, projects, pom, goals, settings, v, properties);
    }

    /** {@code -Dname=value}; a null value: {@code -Dname}. Set again, a property keeps its place. */
    public MavenCommand property(String name, String value) {
        Map<String, String> p = new LinkedHashMap<>(properties);
        p.put(name, value);
        return new MavenCommand(executable, projects, pom, goals, settings, options, p);
    }

    /**
     * Adds values to a comma-separated property: to the one this command sets, else to the one the user's options
     * give (which it then overrides, holding its values too), else as a new one.
     */
    public MavenCommand addToList(String name, List<String> values) {
        String given = properties.containsKey(name) ? properties.get(name) : option(name);
        String joined = String.join(",", values);
        return property(name, given == null || given.isBlank() ? joined : given + "," + joined);
    }

    /** The value of the user's last {@code -Dname=value} option, or null. */
    private String option(String name) {
        String prefix = "-D" + name + "=";
        String value = null;
        for (String o : options) {
            if (o.startsWith(prefix)) {
                value = o.substring(prefix.length());
            }
        }
        return value;
    }

    public String executable() {
        return executable;
    }

    public List<String> projects() {
        return projects;
    }

    public String pom() {
        return pom;
    }

    public List<String> goals() {
        return goals;
    }

    public String settings() {
        return settings;
    }

    public List<String> options() {
        return options;
    }

    public Map<String, String> properties() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /** The arguments, the executable first. */
    public List<String> argv() {
        List<String> argv = new ArrayList<>();
        argv.add(executable);
        argv.add("-B");
        if (pom != null) {
            argv.addAll(List.of("-f", pom));
        } else if (!projects.isEmpty()) {
            argv.addAll(List.of("-pl", String.join(",", projects), "-am"));
        }
        argv.addAll(goals);
        if (settings != null) {
            argv.addAll(List.of("-s", settings));
        }
        argv.addAll(options);
        properties.forEach((name, value) -> argv.add("-D" + name + (value == null ? "" : "=" + value)));
        return argv;
    }

    /** The command as the log shows it (it holds no secret: the token goes by the environment). */
    @Override
    public String toString() {
        return String.join(" ", argv());
    }
}
