package io.github.guli.engine.release;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.UsernamePassword;
import io.github.guli.engine.registry.ImageManifest;
import io.github.guli.engine.registry.RegistryClient;
import io.github.guli.engine.registry.RegistryEndpoint;
import io.github.guli.engine.registry.Retry;
import io.github.guli.testsupport.GitFixture;
import io.github.guli.testsupport.TestImages;
import io.github.guli.testsupport.TestServices;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.TagBuilder;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two releases of one version at once, with no lock, against the real registry and the real git server: one wins,
 * the other changes nothing. Each race is driven by holding one release between two of its phases while the other
 * runs to its end, so the interleaving is the same on every run.
 */
class ReleaseRaceTest {
    private static final String VERSION = "v1.0.0";

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final ExecutorService thread = Executors.newSingleThreadExecutor();
    private String registry;
    private UsernamePassword registryCreds;
    private String app;
    private GitFixture repo;
    private File otherWorkspace;
    private RegistryClient direct;

    @BeforeEach
    void setUp(@TempDir Path scratch) throws Exception {
        registry = TestServices.registry();
        registryCreds = TestServices.registryCredentials();
        app = "race-" + UUID.randomUUID().toString().substring(0, 8);
        repo = new GitFixture(scratch.resolve("one"));
        direct = new RegistryClient(
                RegistryEndpoint.parse("http://" + registry), registryCreds, Retry.DEFAULT, log::add);
    }

    @AfterEach
    void tearDown() {
        thread.shutdownNow();
        repo.close();
    }

    /** The same commit checked out in two workspaces (two builds), each releasing its own image as VERSION. */
    private RevCommit commitInTwoWorkspaces(Path scratch) throws Exception {
        RevCommit c = repo.commit("one");
        otherWorkspace = repo.copyWorkspace(scratch).toFile();
        return c;
    }

    private ReleaseRequest request(File workspace, String sourceTag, RevCommit commit) {
        return ReleaseRegistryTest.imageRelease(app, "http://" + registry, VERSION, sourceTag, registryCreds)
                .gitDir(workspace.getPath())
                .gitRemote(repo.url)
                .commit(commit.name())
                .gitCredentials(TestServices.gitCredentials());
    }

    private Release release() {
        return new Release(log::add, new Retry(2, Duration.ofMillis(10)));
    }

    private String push(String tag) throws Exception {
        return TestImages.push(registry, registryCreds, "guli-test/" + app, tag);
    }

    private String imageDigest() {
        ImageManifest m = direct.findManifest("guli-test/" + app, VERSION);
        return m == null ? null : m.digest();
    }

    private RevTag gitTag() throws Exception {
        return repo.serverTagObject(app + "-" + VERSION);
    }

    @Test
    void aReleaseOvertakenAfterItsChecksLosesAndChangesNothing(@TempDir Path scratch) throws Exception {
        push("SNAPSHOT-a");
        String d2 = push("SNAPSHOT-b");
        RevCommit c = commitInTwoWorkspaces(scratch);

        Held a = new Held(Release.Phase.CHECKED, request(repo.dir(), "SNAPSHOT-a", c));
        ReleaseResult b = release().run(request(otherWorkspace, "SNAPSHOT-b", c));
        RevTag bTag = gitTag();

        assertThatThrownBy(a::finish)
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("version " + VERSION + " is taken")
                .hasMessageContaining("tag object " + bTag.name())
                .hasMessageContaining(d2)
                .hasMessageContaining("this release changed nothing");
        assertThat(b.imageOutcome()).isEqualTo("TAGGED");
        assertThat(imageDigest()).as("the winner's image tag").isEqualTo(d2);
        assertThat(gitTag()).as("the winner's git tag").isEqualTo(bTag);
        assertThat(bTag.getFullMessage()).contains(d2);
    }

    @Test
    void aReleaseAfterTheWinnersGitPushLosesAndTheWinnerFinishes(@TempDir Path scratch) throws Exception {
        String d1 = push("SNAPSHOT-a");
        push("SNAPSHOT-b");
        RevCommit c = commitInTwoWorkspaces(scratch);

        Held a = new Held(Release.Phase.GIT_TAGGED, request(repo.dir(), "SNAPSHOT-a", c));
        RevTag aTag = gitTag();
        assertThat(aTag.getFullMessage()).contains(d1);
        assertThatThrownBy(() -> release().check(request(otherWorkspace, null, c)))
                .hasMessageContaining("another release of " + VERSION + " is under way");
        assertThatThrownBy(() -> release().run(request(otherWorkspace, "SNAPSHOT-b", c)))
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("tag object " + aTag.name())
                .hasMessageContaining("does not exist (yet)")
                .hasMessageContaining("this release changed nothing");
        assertThat(imageDigest()).as("the loser put no image tag").isNull();
        assertThat(gitTag()).isEqualTo(aTag);

        ReleaseResult won = a.finish();
        assertThat(won.imageOutcome()).isEqualTo("TAGGED");
        assertThat(won.gitOutcome()).isEqualTo("PUSHED");
        assertThat(imageDigest()).isEqualTo(d1);
        assertThat(gitTag()).isEqualTo(aTag);
    }

    @Test
    void anImageTagTakenAfterTheGitPushTakesBackOnlyThisReleasesGitTag(@TempDir Path scratch) throws Exception {
        push("SNAPSHOT-a");
        RevCommit c = commitInTwoWorkspaces(scratch);

        Held a = new Held(Release.Phase.GIT_TAGGED, request(repo.dir(), "SNAPSHOT-a", c));
        String other = push(VERSION); // a release without a git tag, or a hand-made push
        assertThatThrownBy(a::finish)
                .hasMessageContaining("was taken meanwhile: it is " + other)
                .hasMessageContaining("was deleted again, so nothing of the release is left");
        assertThat(imageDigest()).isEqualTo(other);
        assertThat(gitTag()).isNull();
    }

    @Test
    void aGitTagThatIsNoLongerTheOneThisReleasePushedIsNotDeleted(@TempDir Path scratch) throws Exception {
        push("SNAPSHOT-a");
        RevCommit c = commitInTwoWorkspaces(scratch);

        Held a = new Held(Release.Phase.GIT_TAGGED, request(repo.dir(), "SNAPSHOT-a", c));
        RevTag pushed = gitTag();
        push(VERSION);
        ObjectId replaced = replaceServerTag(c);
        assertThatThrownBy(a::finish)
                .hasMessageContaining("could not be deleted (it no longer is " + pushed.name())
                .hasMessageContaining("if it still is tag object " + pushed.name());
        assertThat(gitTag().getId()).isEqualTo(replaced);
    }

    /** Moves the tag on the server to another tag object at the same commit, as a hand-made re-tag would. */
    private ObjectId replaceServerTag(RevCommit c) throws Exception {
        try (Git server = Git.open(repo.bare.toFile());
                ObjectInserter inserter = server.getRepository().newObjectInserter()) {
            TagBuilder tag = new TagBuilder();
            tag.setTag(app + "-" + VERSION);
            tag.setObjectId(c);
            tag.setMessage("re-tagged by hand");
            tag.setTagger(new PersonIdent("someone", "someone@example.com"));
            ObjectId id = inserter.insert(tag);
            inserter.flush();
            RefUpdate u = server.getRepository().updateRef("refs/tags/" + app + "-" + VERSION);
            u.setNewObjectId(id);
            u.setForceUpdate(true);
            assertThat(u.update()).isEqualTo(RefUpdate.Result.FORCED);
            return id;
        }
    }

    /** A release run in another thread and held at one phase until {@link #finish}. */
    private final class Held {
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch go = new CountDownLatch(1);
        private final Future<ReleaseResult> result;

        Held(Release.Phase at, ReleaseRequest r) throws Exception {
            Release held = release().between(phase -> {
                if (phase == at) {
                    reached.countDown();
                    awaitGo();
                }
            });
            result = thread.submit(() -> held.run(r));
            while (!reached.await(100, TimeUnit.MILLISECONDS)) {
                if (result.isDone()) {
                    result.get(); // it failed before reaching the phase: show why
                    throw new AssertionError("the release ended before " + at);
                }
            }
        }

        private void awaitGo() {
            try {
                if (!go.await(60, SECONDS)) {
                    throw new IllegalStateException("held release was never let go");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        ReleaseResult finish() throws Exception {
            go.countDown();
            try {
                return result.get(60, SECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
    }
}
