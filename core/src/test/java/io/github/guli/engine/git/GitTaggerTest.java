package io.github.guli.engine.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.UsernamePassword;
import io.github.guli.testsupport.GitFixture;
import io.github.guli.testsupport.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Release tags pushed to the real git server over HTTP with basic auth. */
class GitTaggerTest {
    private static final PersonIdent TAGGER = new PersonIdent("release-bot", "release@example.com");
    private final List<String> log = new ArrayList<>();
    private GitFixture repo;
    private UsernamePassword creds;

    @BeforeEach
    void setUp(@TempDir Path scratch) throws Exception {
        repo = new GitFixture(scratch);
        creds = TestServices.gitCredentials();
    }

    @AfterEach
    void tearDown() {
        repo.close();
    }

    private GitTagger.Result tag(String commit, UsernamePassword c) {
        return new GitTagger(log::add)
                .tag(repo.dir(), repo.url, commit, "gulimall-gateway-v1.2.0", "Release v1.2.0", c, TAGGER);
    }

    @Test
    void pushesAnAnnotatedTagAtTheBuiltCommit() throws Exception {
        RevCommit built = repo.commit("second");
        GitTagger.Result r = tag(null, creds);

        assertThat(r.outcome()).isEqualTo(GitTagger.Outcome.PUSHED);
        assertThat(repo.serverTag("gulimall-gateway-v1.2.0")).isEqualTo(built);
        try (Git server = Git.open(repo.bare.toFile());
                RevWalk walk = new RevWalk(server.getRepository())) {
            var ref = server.getRepository().exactRef("refs/tags/gulimall-gateway-v1.2.0");
            RevTag annotated = walk.parseTag(ref.getObjectId()); // fails for a lightweight tag
            assertThat(annotated.getFullMessage()).isEqualTo("Release v1.2.0");
            assertThat(annotated.getTaggerIdent().getName()).isEqualTo("release-bot");
        }
        assertThat(String.join("\n", log))
                .contains("pushed annotated tag gulimall-gateway-v1.2.0")
                .doesNotContain(creds.password());
    }

    @Test
    void tagsAGivenCommitRatherThanHead() throws Exception {
        RevCommit built = repo.commit("built");
        repo.commit("a later commit");
        tag(built.name(), creds);
        assertThat(repo.serverTag("gulimall-gateway-v1.2.0")).isEqualTo(built);
    }

    @Test
    void anExistingTagAtTheSameCommitIsANoOp() throws Exception {
        tag(null, creds);
        GitTagger.Result again = tag(null, creds);
        assertThat(again.outcome()).isEqualTo(GitTagger.Outcome.ALREADY_PRESENT);
        assertThat(log).anyMatch(l -> l.contains("already exists") && l.contains("nothing to do"));
    }

    @Test
    void aTagPushedByAnotherReleaseBetweenTheCheckAndThePushIsLeftAsItIs() throws Exception {
        // the server's pre-receive hook creates the tag itself after the client read the refs: the push's
        // "the tag does not exist" must then fail on the server, not overwrite that tag
        Path hook = repo.bare.resolve("hooks/pre-receive");
        Files.createDirectories(hook.getParent());
        Files.writeString(
                hook,
                "#!/bin/sh\nwhile read old new ref; do case \"$ref\" in refs/tags/*) env -u GIT_QUARANTINE_PATH "
                        + "-u GIT_OBJECT_DIRECTORY -u GIT_ALTERNATE_OBJECT_DIRECTORIES git update-ref \"$ref\" "
                        + "refs/heads/master;; esac; done\nexit 0\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
        ObjectId master;
        try (Git server = Git.open(repo.bare.toFile())) {
            master = server.getRepository().resolve("refs/heads/master");
        }

        GitTagger.Result r = tag(master.name(), creds);

        assertThat(r.outcome()).isEqualTo(GitTagger.Outcome.ALREADY_PRESENT);
        assertThat(r.object()).isEqualTo(master.name());
        assertThat(log).anyMatch(l -> l.contains("by another release meanwhile"));
        try (Git server = Git.open(repo.bare.toFile())) {
            assertThat(server.getRepository()
                            .exactRef("refs/tags/gulimall-gateway-v1.2.0")
                            .getObjectId())
                    .as("the tag the other release made")
                    .isEqualTo(master);
        }
    }

    @Test
    void anExistingTagAtAnotherCommitIsAnErrorAndIsNotMoved() throws Exception {
        RevCommit first = repo.commit("v1");
        tag(null, creds);
        repo.commit("v2");
        assertThatThrownBy(() -> tag(null, creds))
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("already exists on " + repo.url + " at commit " + first.name())
                .hasMessageContaining("never moved");
        assertThat(repo.serverTag("gulimall-gateway-v1.2.0")).isEqualTo(first);
    }

    @Test
    void aWrongPasswordIsRefusedClearly() {
        UsernamePassword wrong = new UsernamePassword(creds.username(), "wrong-password-4711");
        assertThatThrownBy(() -> tag(null, wrong))
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("refused the credentials")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong-password-4711"));
    }

    @Test
    void aUrlWithAPasswordIsRefusedBeforeAnythingIsSent() {
        String withPassword = repo.url.replace("http://", "http://" + creds.username() + ":" + "s3cret@");
        assertThatThrownBy(() ->
                        new GitTagger(log::add).tag(repo.dir(), withPassword, null, "x-v1.0.0", "m", null, TAGGER))
                .hasMessageContaining("URL carries a password")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
    }

    @Test
    void theTagGoesToTheGivenUrlNotToTheOneTheBuildWroteInGitConfig(@TempDir Path other) throws Exception {
        try (GitFixture attacker = new GitFixture(other)) {
            // the build's own code rewrites the workspace's origin to a repository of its choosing
            var config = org.eclipse.jgit.storage.file.FileRepositoryBuilder.create(
                    repo.dir().toPath().resolve(".git").toFile());
            config.getConfig().setString("remote", "origin", "url", attacker.url);
            config.getConfig().save();
            config.close();

            GitTagger.Result r = tag(null, creds);

            assertThat(r.remote()).isEqualTo(repo.url);
            assertThat(repo.serverTag("gulimall-gateway-v1.2.0")).isNotNull();
            assertThat(attacker.serverTag("gulimall-gateway-v1.2.0")).isNull();
        }
        for (String notAUrl : new String[] {"origin", null, " "}) {
            assertThatThrownBy(() ->
                            new GitTagger(log::add).tag(repo.dir(), notAUrl, null, "x-v1.0.0", "m", creds, TAGGER))
                    .hasMessageStartingWith("no repository URL to push the tag to")
                    .hasMessageContaining("give the URL the checkout used")
                    .hasMessageContaining("not looked up in the workspace's .git/config");
        }
    }

    @Test
    void aDirectoryWithoutGitSaysWhereToRun(@TempDir Path empty) {
        assertThatThrownBy(() ->
                        new GitTagger(log::add).tag(empty.toFile(), repo.url, null, "x-v1.0.0", "m", creds, TAGGER))
                .hasMessageContaining("no git repository at " + empty);
    }

    @Test
    void anUnknownCommitIsNamed() {
        assertThatThrownBy(() -> tag("0123456789abcdef0123456789abcdef01234567", creds))
                .hasMessageContaining("commit '0123456789abcdef0123456789abcdef01234567' is not in the repository");
    }
}
