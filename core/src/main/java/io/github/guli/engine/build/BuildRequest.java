package io.github.guli.engine.build;

import io.github.guli.engine.SecretFile;
import io.github.guli.engine.git.CheckoutRequest;
import io.github.guli.engine.sonar.SonarAnalysis;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code guliBuild} / {@code guli build} does: optionally check out, then build modules of a multi-module Maven
 * repository ({@code mvn -B -pl <modules> -am <goals>}), optionally followed by a SonarQube analysis of each.
 * Serializable: Jenkins builds it on the controller and runs the build on the agent that holds the workspace.
 * Unset values take the defaults noted on their setters.
 */
public final class BuildRequest implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final List<String> DEFAULT_GOALS = List.of("clean", "package");

    private CheckoutRequest checkout;
    private String dir;
    private List<String> modules = List.of();
    private List<String> goals = DEFAULT_GOALS;
    private boolean skipTests;
    private String settings;
    private SecretFile settingsFile;
    private String maven;
    private List<String> mavenOptions = List.of();
    private String mavenOpts;
    private Map<String, String> env;
    private SonarAnalysis sonar;
    private boolean upstreamCache;
    private String upstreamKey;
    private Map<String, String> upstreamDigests;
    private String classArchive;
    private TreeMap<String, String> classArchiveDigests;

    /** Check this repository out into the workspace first; null (the default): use the workspace as it is. */
    public BuildRequest checkout(CheckoutRequest v) {
        checkout = v;
        return this;
    }

    /** The directory of the root pom.xml, relative to the workspace; null: the workspace itself. */
    public BuildRequest dir(String v) {
        dir = v;
        return this;
    }

    /**
     * The modules to build, each a path, artifactId or groupId:artifactId; null or empty (the default): the whole
     * project. Several are built in one Maven run and each is analysed on its own.
     */
    public BuildRequest modules(List<String> v) {
        modules = v == null ? List.of() : List.copyOf(v);
        return this;
    }

    /** One module to build; null: the whole project. */
    public BuildRequest module(String v) {
        return modules(v == null ? List.of() : List.of(v));
    }

    /** The goals; null or empty: {@code clean package}. */
    public BuildRequest goals(List<String> v) {
        goals = v == null || v.isEmpty() ? DEFAULT_GOALS : List.copyOf(v);
        return this;
    }

    /** {@code -DskipTests}: compile the tests but do not run them (the course skipped them). Default false. */
    public BuildRequest skipTests(boolean v) {
        skipTests = v;
        return this;
    }

    /** A settings.xml in the workspace ({@code -s}), e.g. the course's mvn-settings.xml. */
    public BuildRequest settings(String v) {
        settings = v;
        return this;
    }

    /** A settings.xml from a secret file credential; wins over {@link #settings(String)}. */
    public BuildRequest settingsFile(SecretFile v) {
        settingsFile = v;
        return this;
    }

    /** A Maven home (a tool installation) or a Maven executable ({@code ./mvnw}); null: {@code mvn} on the PATH. */
    public BuildRequest maven(String v) {
        maven = v;
        return this;
    }

    /**
     * Splits a command-line string into arguments at spaces, keeping quoted parts together:
     * {@code -T 2 "-Dmsg=a b"} is three arguments. No shell is involved; nothing is expanded.
     */
    public static List<String> split(String args) {
        List<String> out = new java.util.ArrayList<>();
        if (args == null) {
            return out;
        }
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        boolean any = false;
        for (char c : args.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                any = true;
            } else if (Character.isWhitespace(c)) {
                if (any || cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    any = false;
                }
            } else {
                cur.append(c);
            }
        }
        if (quote != 0) {
            throw new io.github.guli.engine.GuliException("unbalanced quote in '" + args + "'");
        }
        if (any || cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }

    /** More Maven arguments, e.g. {@code -Dspring.profiles.active=ci}, {@code -T 2}. */
    public BuildRequest mavenOptions(List<String> v) {
        mavenOptions = v == null ? List.of() : List.copyOf(v);
        return this;
    }

    /** JVM options of Maven itself (MAVEN_OPTS), e.g. {@code -Xmx1g}; null: as the environment has it. */
    public BuildRequest mavenOpts(String v) {
        mavenOpts = v;
        return this;
    }

    /** The environment Maven runs in (the build's, with withEnv and tool changes); null: this process's. */
    public BuildRequest env(Map<String, String> v) {
        env = v;
        return this;
    }

    /** Analyse the module with SonarQube after the build; null (the default): no analysis. It needs its server. */
    public BuildRequest sonar(SonarAnalysis v) {
        if (v != null && v.serverUrl() == null) {
            throw new IllegalArgumentException("a SonarQube analysis needs the server's URL");
        }
        sonar = v;
        return this;
    }

    /**
     * Keep the jars of the modules the module is built from, per workspace, and build the module alone while their
     * inputs do not change ({@link UpstreamCache}). Default false; {@code guliBuild} and {@code guli build} turn it on.
     */
    public BuildRequest upstreamCache(boolean v) {
        upstreamCache = v;
        return this;
    }

    public boolean upstreamCache() {
        return upstreamCache;
    }

    /**
     * Whose kept jars these are, e.g. the job's full name and the branch: each keeps its own. Decided by the caller,
     * never read from the workspace. Null (the default): one set per workspace.
     */
    public BuildRequest upstreamKey(String v) {
        upstreamKey = v;
        return this;
    }

    public String upstreamKey() {
        return upstreamKey;
    }

    /**
     * The SHA-256 of the kept jars, as {@link MavenBuild#upstreamDigests()} returned them after the previous build and
     * the caller kept them where no build can write. A kept jar is reused only when it still has its recorded digest.
     * Null (the default): none recorded, so nothing kept earlier is reused.
     */
    public BuildRequest upstreamDigests(Map<String, String> v) {
        upstreamDigests = v == null ? null : new TreeMap<>(v);
        return this;
    }

    public Map<String, String> upstreamDigests() {
        return upstreamDigests;
    }

    /**
     * The folder of Maven's class-data archive kept between builds ({@link MavenClassArchive}), outside the
     * workspace; null (the default): none.
     */
    public BuildRequest classArchive(String dir) {
        classArchive = dir;
        return this;
    }

    /** The archive's record, as {@link MavenBuild#archiveDigests()} returned it after the previous build. */
    public BuildRequest classArchiveDigests(Map<String, String> v) {
        classArchiveDigests = v == null ? null : new TreeMap<>(v);
        return this;
    }

    public String classArchive() {
        return classArchive;
    }

    public Map<String, String> classArchiveDigests() {
        return classArchiveDigests;
    }

    public CheckoutRequest checkout() {
        return checkout;
    }

    public String dir() {
        return dir;
    }

    public List<String> modules() {
        return modules;
    }

    public List<String> goals() {
        return goals;
    }

    public boolean skipTests() {
        return skipTests;
    }

    public String settings() {
        return settings;
    }

    public SecretFile settingsFile() {
        return settingsFile;
    }

    public String maven() {
        return maven;
    }

    public List<String> mavenOptions() {
        return mavenOptions;
    }

    public String mavenOpts() {
        return mavenOpts;
    }

    public Map<String, String> env() {
        return env;
    }

    public SonarAnalysis sonar() {
        return sonar;
    }
}
