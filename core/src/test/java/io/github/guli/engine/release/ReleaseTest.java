package io.github.guli.engine.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.GuliException;
import io.github.guli.engine.UsernamePassword;
import io.github.guli.engine.registry.ImageManifest;
import io.github.guli.engine.registry.RegistryClient;
import io.github.guli.engine.registry.RegistryEndpoint;
import io.github.guli.engine.registry.Retry;
import io.github.guli.testsupport.GitFixture;
import io.github.guli.testsupport.RecordingProxy;
import io.github.guli.testsupport.TestImages;
import io.github.guli.testsupport.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release as a whole (image tag and git tag) against the real registry and the real git server: all or nothing,
 * and a version, once released, names one image and one commit.
 */
class ReleaseTest {
    private final List<String> log = new ArrayList<>();
    private String registry;
    private UsernamePassword registryCreds;
    private UsernamePassword gitCreds;
    private String app;
    private GitFixture repo;
    private RegistryClient direct;

    @BeforeEach
    void setUp(@TempDir Path scratch) throws Exception {
        registry = TestServices.registry();
        registryCreds = TestServices.registryCredentials();
        gitCreds = TestServices.gitCredentials();
        app = "rel-" + UUID.randomUUID().toString().substring(0, 8);
        repo = new GitFixture(scratch);
        direct = new RegistryClient(
                RegistryEndpoint.parse("http://" + registry), registryCreds, Retry.DEFAULT, log::add);
    }

    @AfterEach
    void tearDown() {
        repo.close();
    }

    private ReleaseRequest request(String registryAddress, String version, String sourceTag, String commit) {
        return ReleaseRegistryTest.imageRelease(app, registryAddress, version, sourceTag, registryCreds)
                .gitDir(repo.dir().getPath())
                .gitRemote(repo.url)
                .commit(commit)
                .gitCredentials(gitCreds)
                .taggerName("release-bot")
                .taggerEmail("release@example.com");
    }

    private ReleaseRequest request(String version, String sourceTag, String commit) {
        return request("http://" + registry, version, sourceTag, commit);
    }

    /** A release of the git tag alone: the version's image tag stays free. */
    private ReleaseRequest gitTagOnly(String version, String commit) {
        return new ReleaseRequest()
                .projectName(app)
                .projectVersion(version)
                .tagImage(false)
                .gitDir(repo.dir().getPath())
                .gitRemote(repo.url)
                .commit(commit)
                .gitCredentials(gitCreds);
    }

    private Release release() {
        return new Release(log::add, new Retry(2, Duration.ofMillis(10)));
    }

    private String push(String tag) throws Exception {
        return TestImages.push(registry, registryCreds, "guli-test/" + app, tag);
    }

    private String digestOf(String tag) {
        ImageManifest m = direct.findManifest("guli-test/" + app, tag);
        return m == null ? null : m.digest();
    }

    @Test
    void aVersionWhoseImageTagIsAnotherImageFailsNamingBothAndChangesNothing() throws Exception {
        String first = push("SNAPSHOT-master-1");
        RevCommit c1 = repo.commit("one");
        release().run(request("v1.0.0", "SNAPSHOT-master-1", c1.name()));
        String second = push("SNAPSHOT-master-2");
        repo.commit("two");

        assertThatThrownBy(() -> release().run(request("v1.0.0", "SNAPSHOT-master-2", null)))
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("version v1.0.0 is taken")
                .hasMessageContaining(first)
                .hasMessageContaining(second)
                .hasMessageContaining("nothing was changed");
        assertThat(digestOf("v1.0.0")).isEqualTo(first);
        assertThat(repo.serverTag(app + "-v1.0.0")).isEqualTo(c1);
    }

    @Test
    void aPromotionReleasesTheDigestItDeployedAndTheTagRecordsItsConfiguration() throws Exception {
        String digest = push("SNAPSHOT-master-3");
        push("SNAPSHOT-master-4"); // what the tag names now: the release goes by digest
        RevCommit c = repo.commit("promoted");
        List<String> config =
                List.of("namespace 'prod', group GULIMALL: application.properties sha256:" + "a".repeat(64));

        ReleaseResult result = release()
                .run(request("v1.3.0", null, c.name()).sourceDigest(digest).configRecord(config));

        assertThat(result.digest()).isEqualTo(digest);
        assertThat(digestOf("v1.3.0")).isEqualTo(digest);
        assertThat(repo.serverTagObject(app + "-v1.3.0").getFullMessage())
                .contains("image " + registry + "/guli-test/" + app + ":v1.3.0@" + digest)
                .contains("\n\nconfiguration " + config.get(0));
        assertThatThrownBy(() -> release().run(request("v1.3.1", null, c.name()).sourceDigest("latest")))
                .hasMessageContaining("the digest to release 'latest' is not sha256:");
    }

    @Test
    void aGitTagAtAnotherCommitFailsBeforeTheImageIsTagged() throws Exception {
        push("SNAPSHOT-master-1");
        RevCommit c1 = repo.commit("one");
        release().run(gitTagOnly("v1.1.0", c1.name()));
        RevCommit c2 = repo.commit("two");

        assertThatThrownBy(() -> release().run(request("v1.1.0", "SNAPSHOT-master-1", c2.name())))
                .hasMessageContaining("already exists on " + repo.url + " at commit " + c1.name())
                .hasMessageContaining("not at the built commit " + c2.name());
        assertThat(digestOf("v1.1.0"))
                .as("the image tag of the version was not created")
                .isNull();
        assertThat(repo.serverTag(app + "-v1.1.0")).isEqualTo(c1);
    }

    @Test
    void theSameImageAndCommitAgainIsANoOpThatSaysSo() throws Exception {
        String digest = push("SNAPSHOT-master-1");
        RevCommit c1 = repo.commit("one");
        ReleaseResult first = release().run(request("v1.2.0", "SNAPSHOT-master-1", c1.name()));
        assertThat(first.imageOutcome()).isEqualTo("TAGGED");
        assertThat(first.gitOutcome()).isEqualTo("PUSHED");

        try (RecordingProxy proxy = new RecordingProxy("http://" + registry)) {
            ReleaseResult again =
                    release().run(request("http://" + proxy.hostPort(), "v1.2.0", "SNAPSHOT-master-1", c1.name()));
            assertThat(again.nothingChanged()).isTrue();
            assertThat(again.summary()).contains("already present");
            assertThat(proxy.requests()).noneMatch(r -> r.startsWith("PUT") || r.startsWith("DELETE"));
        }
        assertThat(log).anyMatch(l -> l.contains("was already released with this image and commit: nothing changed"));
        assertThat(digestOf("v1.2.0")).isEqualTo(digest);
    }

    @Test
    void aRefusedGitPushFailsBeforeTheRegistryIsTouched() throws Exception {
        String digest = push("SNAPSHOT-master-1");
        repo.commit("one");
        refuseTagPushes();

        assertThatThrownBy(() -> release().run(request("v1.3.0", "SNAPSHOT-master-1", null)))
                .isInstanceOf(GuliException.class)
                .hasMessageContaining("refused tag " + app + "-v1.3.0")
                .hasMessageContaining("this release changed nothing");
        assertThat(digestOf("v1.3.0"))
                .as("the version's image tag was not created")
                .isNull();
        assertThat(digestOf("SNAPSHOT-master-1"))
                .as("the built image is untouched")
                .isEqualTo(digest);
        assertThat(repo.serverTag(app + "-v1.3.0")).isNull();
    }

    @Test
    void checkOnlyFailsInSecondsWhenTheGitTagIsAtAnotherCommit() throws Exception {
        RevCommit c1 = repo.commit("one");
        release().run(gitTagOnly("v2.0.0", c1.name()));
        RevCommit c2 = repo.commit("two");
        try (RecordingProxy proxy = new RecordingProxy("http://" + registry)) {
            assertThatThrownBy(() -> release().check(request("http://" + proxy.hostPort(), "v2.0.0", null, c2.name())))
                    .hasMessageContaining("at commit " + c1.name())
                    .hasMessageContaining("not at the built commit " + c2.name());
            assertThat(proxy.requests()).noneMatch(r -> !r.startsWith("GET") && !r.startsWith("HEAD"));
        }
        assertThat(repo.serverTag(app + "-v2.0.0")).isEqualTo(c1);
    }

    @Test
    void checkOnlyFailsWhenTheImageTagExistsWithoutTheGitTag() throws Exception {
        String other = push("v2.1.0"); // pushed by hand, or left by a release whose git tag is missing
        repo.commit("one");
        assertThatThrownBy(() -> release().check(request("v2.1.0", null, null)))
                .hasMessageContaining("version v2.1.0 is taken")
                .hasMessageContaining(other)
                .hasMessageContaining("git tag " + app + "-v2.1.0 does not exist");
        assertThat(repo.serverTag(app + "-v2.1.0")).isNull();
    }

    @Test
    void checkOnlyPassesForAFreeVersionAndForTheCommitThatReleasedIt() throws Exception {
        push("SNAPSHOT-master-1");
        RevCommit c1 = repo.commit("one");
        ReleaseCheck free = release().check(request("v2.2.0", null, c1.name()));
        assertThat(free.imageDigest()).isNull();
        assertThat(free.gitTagPresent()).isFalse();
        assertThat(digestOf("v2.2.0")).as("a check changes nothing").isNull();
        assertThat(repo.serverTag(app + "-v2.2.0")).isNull();

        ReleaseResult done = release().run(request("v2.2.0", "SNAPSHOT-master-1", c1.name()));
        ReleaseCheck again = release().check(request("v2.2.0", null, c1.name()));
        assertThat(again.imageDigest()).isEqualTo(done.digest());
        assertThat(again.gitTagPresent()).isTrue();
        assertThat(log).anyMatch(l -> l.contains("was released from this commit already"));
    }

    /** A server-side hook, as a protected-tags rule on a git host: the push of any tag is refused. */
    private void refuseTagPushes() throws Exception {
        Path hook = repo.bare.resolve("hooks/pre-receive");
        Files.createDirectories(hook.getParent());
        Files.writeString(
                hook,
                "#!/bin/sh\nwhile read old new ref; do case \"$ref\" in refs/tags/*) "
                        + "echo \"tags are protected\" >&2; exit 1;; esac; done\nexit 0\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
