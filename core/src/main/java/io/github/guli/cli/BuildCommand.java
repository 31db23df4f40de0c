package io.github.guli.cli;

import io.github.guli.engine.Log;
import io.github.guli.engine.SshKey;
import io.github.guli.engine.build.BuildRequest;
import io.github.guli.engine.build.BuildResult;
import io.github.guli.engine.build.MavenBuild;
import io.github.guli.engine.git.CheckoutRequest;
import io.github.guli.engine.process.LocalCommands;
import io.github.guli.engine.sonar.SonarAnalysis;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** {@code guli build}: the guliBuild step. */
final class BuildCommand implements Command {
    @Override
    public String name() {
        return "build";
    }

    @Override
    public String summary() {
        return "build one module of a Maven repository (-pl M -am), optionally with a SonarQube analysis";
    }

    @Override
    public String help() {
        return String.join(
                "\n",
                "usage: guli build --module NAME[,NAME...] [options]",
                "  --module NAMES             the module, its path or artifactId, or several comma-separated (default:",
                "                             the whole project)",
                "  --dir DIR                  the directory of the root pom.xml (default .)",
                "  --goals \"GOALS\"            default \"clean package\"",
                "  --skip-tests               -DskipTests (tests are run by default)",
                "  --settings FILE            a Maven settings file (-s), e.g. mvn-settings.xml",
                "  --maven PATH               a Maven home or executable (default: mvn on the PATH)",
                "  --maven-options \"ARGS\"     more Maven arguments, e.g. \"-T 2 -Dspring.profiles.active=ci\"",
                "  --maven-opts \"JVM OPTS\"    MAVEN_OPTS for Maven's own JVM, e.g. -Xmx1g",
                "  --no-upstream-cache        always build the modules the module needs (-am), even when unchanged",
                "  --cache-record FILE        where the kept upstream jars' SHA-256 are recorded, outside the project",
                "                             (default ~/.guli/upstream-cache.properties); a kept jar that differs is rebuilt",
                "  --class-archive DIR|none   Maven's class-data archive kept between builds (JDK 17+), checked against",
                "                             the SHA-256 in DIR.properties (default ~/.guli/cds/<project>); none: no archive",
                " checkout first (else the directory is used as it is):",
                "  --repository URL           HTTP(S) or SSH git URL, checked out into --dir's parent (.)",
                "  --ref REF                  branch, tag or commit (default: the remote's default branch)",
                "  --git-username USER        or GULI_GIT_USERNAME; HTTP password GULI_GIT_PASSWORD[_FILE];",
                "                             SSH key GULI_GIT_SSH_KEY[_FILE], its passphrase GULI_GIT_SSH_PASSPHRASE[_FILE]",
                " SonarQube analysis after the build:",
                "  --sonar                    analyse the module",
                "  --sonar-url URL            the server; token GULI_SONAR_TOKEN[_FILE] (passed to the scanner as SONAR_TOKEN)",
                "  --sonar-project-key KEY    default: the module's sonar.projectKey, else its artifactId",
                "  --sonar-branch BRANCH      passed only to servers that analyse branches (not Community Edition)",
                "  --sonar-scanner-version V  sonar-maven-plugin version (default "
                        + SonarAnalysis.DEFAULT_SCANNER_VERSION + ")",
                "  --sonar-cache DIR|none     the scanner's cache kept between builds, checked against the SHA-256 in",
                "                             DIR.properties (default ~/.guli/sonar/<project>); none: the scanner's ~/.sonar",
                "then: guli quality-gate --module NAME waits for the analysis' quality gate.");
    }

    @Override
    public Set<String> options() {
        return Set.of(
                "module",
                "dir",
                "goals",
                "settings",
                "maven",
                "maven-options",
                "maven-opts",
                "repository",
                "ref",
                "git-username",
                "sonar-url",
                "sonar-project-key",
                "sonar-branch",
                "sonar-scanner-version",
                "cache-record",
                "sonar-cache",
                "class-archive");
    }

    @Override
    public Set<String> flags() {
        return Set.of("skip-tests", "sonar", "no-upstream-cache");
    }

    /** The record of the kept jars' digests: never inside the project, which the build writes. */
    private static Path cacheRecord(String given, File workspace) {
        Path record = (given != null
                        ? Path.of(given)
                        : Path.of(System.getProperty("user.home"), ".guli", "upstream-cache.properties"))
                .toAbsolutePath()
                .normalize();
        if (record.startsWith(workspace.toPath().toAbsolutePath().normalize())) {
            throw new UsageException("guli build: --cache-record " + given + " is inside the project, which the build "
                    + "can write: give a file outside it (default ~/.guli/upstream-cache.properties)");
        }
        return record;
    }

    @Override
    public int run(Options o, Secrets secrets, PrintStream out) {
        // Without a checkout, --dir is the project itself (absolute, or relative to the current directory).
        boolean checkout = o.get("repository") != null;
        File workspace = (checkout || o.get("dir") == null ? Path.of("") : Path.of(o.get("dir")))
                .toAbsolutePath()
                .toFile();
        BuildRequest request = new BuildRequest()
                .dir(checkout ? o.get("dir") : null)
                .modules(modules(o.get("module")))
                .goals(BuildRequest.split(o.get("goals")))
                .skipTests(o.flag("skip-tests"))
                .settings(o.get("settings"))
                .maven(o.get("maven"))
                .mavenOptions(BuildRequest.split(o.get("maven-options")))
                .mavenOpts(o.get("maven-opts"))
                .upstreamCache(!o.flag("no-upstream-cache"))
                .upstreamKey(workspace.getAbsolutePath());
        Path record = cacheRecord(o.get("cache-record"), workspace);
        request.upstreamDigests(CacheRecord.read(record));
        if (o.get("repository") != null) {
            String url = o.get("repository");
            String key = secrets.secret("GULI_GIT_SSH_KEY");
            String user = o.get("git-username") != null ? o.get("git-username") : secrets.env("GULI_GIT_USERNAME");
            request.checkout(new CheckoutRequest()
                    .url(url)
                    .ref(o.get("ref"))
                    .password(secrets.credentials("GULI_GIT", o.get("git-username")))
                    .sshKey(
                            key == null
                                    ? null
                                    : new SshKey(
                                            user != null ? user : "git",
                                            key + "\n",
                                            secrets.secret("GULI_GIT_SSH_PASSPHRASE"))));
        } else if (o.get("ref") != null) {
            throw new UsageException("guli build: --ref needs --repository");
        }
        if (o.flag("sonar")) {
            if (o.get("sonar-url") == null) {
                throw new UsageException("guli build: --sonar needs --sonar-url (and the token in GULI_SONAR_TOKEN or "
                        + "GULI_SONAR_TOKEN_FILE)");
            }
            request.sonar(new SonarAnalysis()
                    .serverUrl(o.get("sonar-url"))
                    .token(secrets.secret("GULI_SONAR_TOKEN"))
                    .projectKey(o.get("sonar-project-key"))
                    .branch(o.get("sonar-branch"))
                    .scannerVersion(o.get("sonar-scanner-version")));
        }
        Path scannerRecord = null;
        if (request.sonar() != null && !"none".equals(o.get("sonar-cache"))) {
            Path home = CacheRecord.folder(
                    o.get("sonar-cache"),
                    workspace.toPath(),
                    "sonar",
                    "guli build: the scanner's cache",
                    "--sonar-cache");
            scannerRecord = CacheRecord.of(home);
            request.sonar().cacheHome(home.toString()).cacheDigests(CacheRecord.read(scannerRecord));
        }
        Path archiveRecord = null;
        if (!"none".equals(o.get("class-archive"))) {
            Path dir = CacheRecord.folder(
                    o.get("class-archive"),
                    workspace.toPath(),
                    "cds",
                    "guli build: Maven's class-data archive",
                    "--class-archive");
            archiveRecord = CacheRecord.of(dir);
            request.classArchive(dir.toString()).classArchiveDigests(CacheRecord.read(archiveRecord));
        }
        MavenBuild build = new MavenBuild(Log.to(out, "[guli build] "), out::println, new LocalCommands());
        BuildResult r;
        try {
            r = build.run(workspace, request);
        } finally {
            if (scannerRecord != null && build.scannerDigests() != null) {
                CacheRecord.write(scannerRecord, build.scannerDigests());
            }
            if (archiveRecord != null && build.archiveDigests() != null) {
                CacheRecord.write(archiveRecord, build.archiveDigests());
            }
        }
        CacheRecord.write(record, build.upstreamDigests());
        out.println("[guli build] " + r.summary());
        for (BuildResult.ModuleResult m : r.modules()) {
            String name = m.module() == null ? "the whole project" : m.module();
            out.println("[guli build] " + name + ": test reports " + m.testReports());
            if (m.analysis() != null) {
                out.println("[guli build] " + name + ": SonarQube project "
                        + m.analysis().projectKey() + ", " + m.analysis().dashboard() + ", report task "
                        + m.analysis().reportTask());
            }
        }
        return 0;
    }

    /** The modules of {@code --module a,b}: a command line's one string, split here, the engine takes a list. */
    static List<String> modules(String option) {
        if (option == null) {
            return List.of();
        }
        return Arrays.stream(option.split(","))
                .map(String::trim)
                .filter(m -> !m.isEmpty())
                .toList();
    }
}
