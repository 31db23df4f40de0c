package io.github.guli.engine.build;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.Log;
import io.github.guli.engine.git.GitCheckout;
import io.github.guli.engine.maven.Reactor;
import io.github.guli.engine.process.CommandLine;
import io.github.guli.engine.process.Commands;
import io.github.guli.engine.process.WorkspaceTemp;
import io.github.guli.engine.sonar.QualityGate;
import io.github.guli.engine.sonar.ReportTask;
import io.github.guli.engine.sonar.ScannerCache;
import io.github.guli.engine.sonar.SonarAnalysis;
import io.github.guli.engine.sonar.SonarServer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Builds one module of a multi-module Maven repository with a command run in the workspace (by {@link Commands}:
 * on a Jenkins agent, through the step's Launcher, so in the container the step is in):
 * {@code mvn -B -pl <module> -am <goals> [-s settings] [-DskipTests] [options]}, then optionally the SonarQube
 * analysis of that module in the same Maven run (the reactor's freshly built jars are on its classpath). With
 * {@link BuildRequest#upstreamCache(boolean)}, unchanged upstream modules are not rebuilt ({@link UpstreamCache}:
 * {@code mvn -B -f <module>/pom.xml ...}). Several modules are built in one run ({@code -pl a,b -am}), then each is
 * analysed on its own; the result holds one entry per module. Maven's output goes to the console as it comes; a
 * failure is reported with the module and the goal that failed, the compiler's errors or the failed tests.
 */
public final class MavenBuild {
    /** The variable sonar-maven-plugin reads its token from: it never becomes a command-line argument. */
    public static final String SONAR_TOKEN = "SONAR_TOKEN";
    /** A shell's exit status for a command it did not find (a Launcher in a container runs commands in one). */
    private static final int NOT_FOUND = 127;

    private final Log log;
    private final Log output;
    private final Commands commands;
    private Map<String, String> upstreamDigests = Map.of();
    private Map<String, String> scannerDigests;
    private Map<String, String> archiveDigests;
    private MavenClassArchive archive;

    /**
     * @param log the step's own messages
     * @param output Maven's output, line by line
     * @param commands what runs Maven
     */
    public MavenBuild(Log log, Log output, Commands commands) {
        this.log = log;
        this.output = output;
        this.commands = commands;
    }

    /** The kept upstream jars' digests after {@link #run}: the caller's record for the next build's request. */
    public Map<String, String> upstreamDigests() {
        return upstreamDigests;
    }

    /** The scanner's kept files' SHA-256 after {@link #run}, failed or not, to record; null: no scanner cache. */
    public Map<String, String> scannerDigests() {
        return scannerDigests;
    }

    /** The record of Maven's class-data archive after {@link #run}, to keep; null: none asked for. */
    public Map<String, String> archiveDigests() {
        return archiveDigests;
    }

    public BuildResult run(File workspace, BuildRequest r) {
        long start = System.currentTimeMillis();
        File root = r.dir() == null ? workspace : new File(workspace, r.dir());
        // Without a checkout of its own, the workspace's HEAD, read before Maven runs the branch's code (which
        // could rewrite .git): the commit of the very files built, where an environment variable such as
        // GIT_COMMIT is a string any earlier step of the Jenkinsfile can set.
        String commit = r.checkout() == null
                ? GitCheckout.head(workspace, root)
                : new GitCheckout(log).checkout(workspace, r.checkout()).commit();
        Reactor reactor = Reactor.read(root);
        // one module, several (the services a commit changed), or none: the whole project
        List<Reactor.Module> modules =
                r.modules().stream().map(reactor::module).distinct().toList();
        Reactor.Module module = modules.size() == 1 ? modules.get(0) : null;
        Reactor.Module built = modules.isEmpty() ? reactor.rootProject() : modules.get(0);
        Map<String, String> env = new HashMap<>(r.env() != null ? r.env() : System.getenv());

        MavenCommand base = new MavenCommand(MavenFiles.executable(r.maven(), root)).options(r.mavenOptions());
        Path tempSettings = null;
        ScannerCache scannerCache = ScannerCache.of(r.sonar());
        archive = r.classArchive() == null
                ? null
                : new MavenClassArchive(Path.of(r.classArchive()), r.classArchiveDigests());
        boolean succeeded = false;
        try {
            if (scannerCache != null) {
                scannerCache.check(log);
            }
            if (r.settingsFile() != null) {
                tempSettings = WorkspaceTemp.newFile(
                        workspace.toPath(),
                        "guli-settings",
                        ".xml",
                        r.settingsFile().content());
                base = base.settings(tempSettings.toString());
            } else if (r.settings() != null) {
                base = base.settings(MavenFiles.settingsInWorkspace(workspace, r.settings()));
            }
            if (r.skipTests()) {
                base = base.property("skipTests", null);
            }
            // coverage is for the analysis: with its tests run, it judges coverage on new code
            boolean coverage = r.sonar() != null && !r.skipTests();
            MavenCommand cmd = base.goals(coverage ? Coverage.of(reactor).around(r.goals()) : r.goals());
            UpstreamCache cache = UpstreamCache.of(workspace, r.upstreamKey(), r.upstreamDigests());
            List<String> shaping = shaping(cmd, tempSettings, env, r);
            UpstreamCache.Entry upstream =
                    module != null && r.upstreamCache() ? cache.entry(reactor, module, r.goals(), shaping) : null;
            boolean reuse = upstream != null && cache.reusable(upstream, r.goals(), log);
            if (reuse) {
                cmd = withUpstream(cmd.pom(pom(module)), cache, upstream);
                log.info(upstream.modules().stream().map(Reactor.Module::path).collect(Collectors.joining(", "))
                        + " unchanged since an earlier build in this workspace (inputs sha256 "
                        + upstream.hash().substring(0, 12) + "): resolved to the jars kept then, not rebuilt");
            } else if (!modules.isEmpty()) {
                cmd = cmd.projects(modules.stream().map(Reactor.Module::path).toList());
            }
            List<Analysis> analyses = new ArrayList<>();
            if (r.sonar() != null && modules.size() <= 1) {
                Analysis a = sonarArguments(r.sonar(), reactor, built, module, cmd, env, coverage);
                analyses.add(a);
                cmd = a.command();
            }
            if (r.mavenOpts() != null) {
                env.put("MAVEN_OPTS", r.mavenOpts());
            }
            if (archive != null) {
                archive.prepare(env, cmd.executable(), env.get("MAVEN_OPTS"), root, log);
            }

            String printable = cmd.toString();
            log.info("in " + root + ": " + printable);
            run(cmd, root, env, built, reactor);
            if (upstream != null && !reuse) {
                cache.keep(upstream, reactor);
            }
            if (r.sonar() != null && modules.size() > 1) {
                for (Reactor.Module m : modules) {
                    analyses.add(analyse(m, r, base, cache, shaping, reactor, env, coverage));
                }
            }
            upstreamDigests = cache.digests();
            for (Analysis a : analyses) {
                ReportTask.read(root.toPath().resolve(a.reportTask())); // the scanner submitted it
            }

            // the keys and the server are ours: report-task.txt is written by the build
            List<BuildResult.ModuleResult> results = new ArrayList<>();
            List<Reactor.Module> each = modules.isEmpty() ? List.of(built) : modules;
            for (int i = 0; i < each.size(); i++) {
                Reactor.Module m = each.get(i);
                String path = modules.isEmpty() ? "" : m.path() + "/";
                Analysis a = i < analyses.size() ? analyses.get(i) : null;
                results.add(new BuildResult.ModuleResult(
                        modules.isEmpty() ? null : m.path(),
                        m.artifactId(),
                        prefix(workspace, root) + path + "target/surefire-reports/*.xml",
                        a == null
                                ? null
                                : new BuildResult.Analysis(
                                        a.projectKey(),
                                        a.server().dashboard(a.projectKey()),
                                        prefix(workspace, root) + a.reportTask())));
            }
            succeeded = true;
            return new BuildResult(commit, printable, System.currentTimeMillis() - start, results);
        } finally {
            if (archive != null) {
                archiveDigests = archive.record(succeeded);
            }
            if (scannerCache != null) {
                scannerDigests = scannerCache.record();
            }
            String left = tempSettings == null ? null : WorkspaceTemp.delete(tempSettings);
            if (left != null) {
                log.info("could not delete the temporary settings file " + left);
            }
        }
    }

    /**
     * The analysis of one of several modules built together, after their build: one project per module, as when
     * each is built alone. Maven runs the scanner on the module only; the modules it is built from resolve to the
     * jars the build just made (kept as {@link UpstreamCache} keeps them).
     */
    private Analysis analyse(
            Reactor.Module m,
            BuildRequest r,
            MavenCommand base,
            UpstreamCache cache,
            List<String> shaping,
            Reactor reactor,
            Map<String, String> env,
            boolean coverage) {
        MavenCommand cmd = base.pom(pom(m));
        UpstreamCache.Entry upstream = cache.entry(reactor, m, List.of(), shaping);
        if (upstream != null) {
            cache.keep(upstream, reactor); // the jars this run just built, not any kept before
            cmd = withUpstream(cmd, cache, upstream);
        }
        SonarAnalysis a = r.sonar();
        if (a.projectKey() != null) {
            // one project per module: a key given for them all is their prefix (in a copy: the next module reads it)
            a = new SonarAnalysis()
                    .serverUrl(a.serverUrl())
                    .token(a.token())
                    .projectKey(a.projectKey() + ":" + m.artifactId())
                    .branch(a.branch())
                    .scannerVersion(a.scannerVersion())
                    .cacheHome(a.cacheHome());
        }
        Analysis analysis = sonarArguments(a, reactor, m, m, cmd, env, coverage);
        log.info("analysis of " + m.path() + ": " + analysis.command());
        run(analysis.command(), reactor.root(), env, m, reactor);
        return analysis;
    }

    /** The properties that resolve the upstream modules to the jars {@code e} keeps. */
    private static MavenCommand withUpstream(MavenCommand cmd, UpstreamCache cache, UpstreamCache.Entry e) {
        for (Map.Entry<String, String> p : cache.properties(e).entrySet()) {
            cmd = cmd.property(p.getKey(), p.getValue());
        }
        return cmd;
    }

    /** A module's pom, to build it alone ({@link MavenCommand#pom(String)}), its upstream modules resolved by the extension. */
    private static String pom(Reactor.Module m) {
        return m.path() + "/pom.xml";
    }

    /**
     * What shapes the upstream modules' build besides their files: the Maven command as given (goals, settings,
     * options), the settings' content, Maven's JVM and its options.
     */
    private static List<String> shaping(MavenCommand cmd, Path tempSettings, Map<String, String> env, BuildRequest r) {
        List<String> s = new ArrayList<>(cmd.argv());
        s.add("JAVA_HOME=" + env.get("JAVA_HOME"));
        s.add("MAVEN_OPTS=" + (r.mavenOpts() != null ? r.mavenOpts() : env.get("MAVEN_OPTS")));
        if (cmd.settings() != null) {
            try {
                s.add(Files.readString(Path.of(cmd.settings())));
            } catch (IOException e) {
                throw new GuliException(
                        "cannot read the Maven settings "
                                + (tempSettings != null ? "of the secret file" : cmd.settings()) + ": "
                                + e.getMessage(),
                        e);
            }
        }
        return s;
    }

    /**
     * An analysis being run: the server, the project key, its report-task.txt relative to the root, and the command
     * that runs it.
     */
    private record Analysis(SonarServer server, String projectKey, String reportTask, MavenCommand command) {}

    /**
     * Adds the analysis to the command (the scanner after the goals; with {@code coverage}, the modules' JaCoCo
     * reports), and the token to the environment.
     */
    private Analysis sonarArguments(
            SonarAnalysis a,
            Reactor reactor,
            Reactor.Module built,
            Reactor.Module module,
            MavenCommand cmd,
            Map<String, String> env,
            boolean coverage) {
        SonarServer server = new SonarServer(a.serverUrl(), a.token());
        String version = server.version(); // before the build: an unreachable server or a wrong token fails fast
        server.checkToken();
        // Not groupId:artifactId: the scanner gives the module itself that key inside the reactor it analyses, and
        // the project's key must differ from it ("module already indexed")
        String key = a.projectKey() != null
                ? a.projectKey()
                : built.sonarProjectKey() != null ? built.sonarProjectKey() : built.artifactId();
        String modulePath = module == null ? "" : module.path() + "/";
        String reportTask = modulePath + QualityGate.REPORT_TASK;
        List<String> goals = new ArrayList<>(cmd.goals());
        goals.add(a.scanner());
        cmd = cmd.goals(goals)
                .property("sonar.host.url", server.url())
                .property("sonar.projectKey", key)
                .property("sonar.projectName", a.projectName() != null ? a.projectName() : built.artifactId())
                .property(
                        "sonar.working.directory",
                        new File(reactor.root(), modulePath + "target/sonar").getAbsolutePath());
        if (a.cacheHome() != null) {
            cmd = cmd.property("sonar.userHome", a.cacheHome());
        }
        if (coverage) {
            List<Reactor.Module> covered = new ArrayList<>(List.of(built));
            if (module == null) {
                covered.addAll(reactor.modules());
            }
            cmd = cmd.addToList(Coverage.REPORT_PATHS, Coverage.reports(reactor, covered));
        }
        if (module != null) {
            // Maven analyses every project of the reactor together; the modules built for it (-am) are not its code
            List<String> others = reactor.othersThan(module).stream()
                    .map(m -> m.path() + "/**")
                    .toList();
            if (!others.isEmpty()) {
                cmd = cmd.addToList("sonar.exclusions", others).addToList("sonar.test.exclusions", others);
            }
        }
        if (a.branch() != null) {
            String edition = server.edition();
            if (edition.isEmpty() || edition.equals("community")) {
                log.info("SonarQube " + version + " (" + (edition.isEmpty() ? "unknown" : edition)
                        + " edition) analyses "
                        + "only the main branch: branch '" + a.branch() + "' is not passed to it, so this analysis "
                        + "updates project " + key + " itself (branch analysis needs Developer Edition or above)");
            } else {
                cmd = cmd.property("sonar.branch.name", a.branch());
            }
        }
        if (a.token() != null) {
            env.put(SONAR_TOKEN, a.token());
            // the tests Maven forks are not the analysis: keep the token out of their environment
            cmd = cmd.property("surefire.excludedEnvironmentVariables", SONAR_TOKEN);
        } else {
            env.remove(SONAR_TOKEN);
        }
        log.info("SonarQube analysis of " + key + " on " + server.url() + " (" + version + "), token from the "
                + "environment (" + SONAR_TOKEN + ")");
        return new Analysis(server, key, reportTask, cmd);
    }

    private void run(MavenCommand cmd, File dir, Map<String, String> env, Reactor.Module built, Reactor reactor) {
        MavenOutput parsed = new MavenOutput();
        String opts = archive == null ? null : archive.mavenOpts(env.get("MAVEN_OPTS"));
        Map<String, String> runEnv = new HashMap<>(env);
        if (opts != null) {
            runEnv.put("MAVEN_OPTS", opts);
        }
        int exit;
        try {
            exit = commands.run(new CommandLine(cmd.argv(), runEnv, dir.getAbsolutePath()), line -> {
                String plain = MavenOutput.plain(line); // Maven 3.8 writes color resets even in batch mode
                output.info(plain);
                parsed.line(plain);
            });
        } catch (IOException e) {
            throw new GuliException(
                    "cannot start Maven (" + cmd.executable() + "): " + e.getMessage() + "; install Maven "
                            + "where the step runs its commands (the agent, or the container given with container: 'maven'), "
                            + "or give the step a Maven installation: maven: tool('maven-3.9')",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GuliException("interrupted: Maven was stopped", e);
        }
        if (exit != 0) {
            throw failure(exit, parsed.failure(), built, reactor);
        }
    }

    private static GuliException failure(int exit, MavenOutput.Failure f, Reactor.Module built, Reactor reactor) {
        StringBuilder m = new StringBuilder("Maven failed (exit status " + exit + ")");
        if (f.project() != null) {
            String where = reactor.modules().stream()
                    .filter(x -> x.artifactId().equals(f.project()))
                    .map(Reactor.Module::path)
                    .findFirst()
                    .orElse(f.project());
            m.append(" in module ").append(where);
            if (f.goal() != null) {
                m.append(", goal ").append(f.goal());
            }
            m.append(": ").append(f.message());
        } else {
            m.append(" building ").append(built.path().isEmpty() ? built.artifactId() : built.path());
        }
        for (String d : f.details()) {
            m.append("\n  ").append(relative(d, reactor.root()));
        }
        if (f.project() == null && f.details().isEmpty()) {
            m.append(
                    exit == NOT_FOUND
                            ? ": the shell found no Maven where the step runs its commands; install Maven "
                                    + "there (the agent, or the container given with container: 'maven'), or give the step a Maven "
                                    + "installation: maven: tool('maven-3.9')"
                            : ": see the Maven output above");
        }
        return new GuliException(m.toString());
    }

    private static String relative(String line, File root) {
        String prefix = root.getAbsolutePath() + File.separator;
        return line.startsWith(prefix) ? line.substring(prefix.length()) : line;
    }

    /** "" or "dir/": where the root is inside the workspace. */
    private static String prefix(File workspace, File root) {
        String rel = workspace
                .toPath()
                .toAbsolutePath()
                .normalize()
                .relativize(root.toPath().toAbsolutePath().normalize())
                .toString()
                .replace(File.separatorChar, '/');
        return rel.isEmpty() ? "" : rel + "/";
    }
}
