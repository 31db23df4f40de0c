package io.github.guli.engine.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.guli.engine.SshKey;
import io.github.guli.engine.UsernamePassword;
import io.github.guli.engine.build.BuildRequest;
import io.github.guli.engine.build.BuildResult;
import io.github.guli.engine.build.MavenBuild;
import io.github.guli.engine.process.LocalCommands;
import io.github.guli.testsupport.GuliMall;
import io.github.guli.testsupport.ProcessArgsWatcher;
import io.github.guli.testsupport.SshGitServer;
import io.github.guli.testsupport.TestServices;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * guliBuild's checkout: over authenticated HTTP from the test git server, and over SSH with a key from a real SSH
 * server, into an empty workspace and into one that holds an earlier checkout.
 */
class GitCheckoutTest {
    private final List<String> log = new ArrayList<>();
    private final GitCheckout checkout = new GitCheckout(log::add);

    /** The GuliMall fixture as a repository: master, a branch "feature/cart" one commit ahead, a tag "v1.0.0". */
    private record Repo(Path bare, String masterCommit, String featureCommit) {}

    private static Repo pushFixture(Path scratch, Path bare, String url, UsernamePassword credentials)
            throws Exception {
        Git.init()
                .setBare(true)
                .setInitialBranch("master")
                .setDirectory(bare.toFile())
                .call()
                .close();
        Path src = GuliMall.copy(scratch.resolve("src"));
        PersonIdent dev = new PersonIdent("dev", "dev@example.com");
        try (Git git =
                Git.init().setInitialBranch("master").setDirectory(src.toFile()).call()) {
            git.add().addFilepattern(".").call();
            RevCommit master = git.commit()
                    .setMessage("GuliMall")
                    .setAuthor(dev)
                    .setCommitter(dev)
                    .call();
            git.tag()
                    .setName("v1.0.0")
                    .setAnnotated(true)
                    .setMessage("v1.0.0")
                    .setTagger(dev)
                    .call();
            git.checkout().setCreateBranch(true).setName("feature/cart").call();
            Files.writeString(src.resolve("CART.md"), "cart\n");
            git.add().addFilepattern("CART.md").call();
            RevCommit feature = git.commit()
                    .setMessage("the cart")
                    .setAuthor(dev)
                    .setCommitter(dev)
                    .call();
            var push = git.push()
                    .setRemote(url)
                    .setRefSpecs(new RefSpec("refs/heads/*:refs/heads/*"), new RefSpec("refs/tags/*:refs/tags/*"));
            if (credentials != null) {
                push.setCredentialsProvider(
                        new UsernamePasswordCredentialsProvider(credentials.username(), credentials.password()));
            }
            push.call();
            return new Repo(bare, master.name(), feature.name());
        }
    }

    private static String head(Path ws) throws Exception {
        try (Git git = Git.open(ws.toFile())) {
            return git.getRepository().resolve("HEAD").name();
        }
    }

    @Test
    void overHttpWithAPasswordBranchesTagsAndCommitsIntoTheSameWorkspace(@TempDir Path scratch) throws Exception {
        UsernamePassword credentials = TestServices.gitCredentials();
        String name = "gulimall-" + UUID.randomUUID().toString().substring(0, 8) + ".git";
        String url = TestServices.gitUrl() + "/" + name;
        Repo repo = pushFixture(scratch, TestServices.gitRoot().resolve(name), url, credentials);
        Path ws = scratch.resolve("workspace");

        ProcessArgsWatcher watcher = new ProcessArgsWatcher(List.of(credentials.password()));
        CheckoutResult feature = checkout.checkout(
                ws.toFile(), new CheckoutRequest().url(url).ref("feature/cart").password(credentials));
        assertThat(feature.commit()).isEqualTo(repo.featureCommit()).isEqualTo(head(ws));
        assertThat(ws.resolve("CART.md")).isRegularFile();

        CheckoutResult byDefault =
                checkout.checkout(ws.toFile(), new CheckoutRequest().url(url).password(credentials));
        assertThat(byDefault.ref()).as("the remote's default branch").isEqualTo("master");
        assertThat(byDefault.commit()).isEqualTo(repo.masterCommit()).isEqualTo(head(ws));
        assertThat(ws.resolve("CART.md")).as("the branch's file is gone").doesNotExist();

        assertThat(checkout.checkout(
                                ws.toFile(),
                                new CheckoutRequest().url(url).ref("v1.0.0").password(credentials))
                        .commit())
                .isEqualTo(repo.masterCommit());
        assertThat(checkout.checkout(
                                ws.toFile(),
                                new CheckoutRequest()
                                        .url(url)
                                        .ref(repo.featureCommit())
                                        .password(credentials))
                        .commit())
                .isEqualTo(repo.featureCommit());

        // and the build checks out before it builds
        List<String> output = new ArrayList<>();
        BuildResult built = new MavenBuild(log::add, output::add, new LocalCommands())
                .run(
                        scratch.resolve("ws2").toFile(),
                        new BuildRequest()
                                .checkout(new CheckoutRequest()
                                        .url(url)
                                        .ref("feature/cart")
                                        .password(credentials))
                                .module("gulimall-common")
                                .goals(List.of("compile")));
        assertThat(built.commit()).isEqualTo(repo.featureCommit());
        assertThat(scratch.resolve("ws2/gulimall-common/target/classes/com/atguigu/common/utils/R.class"))
                .isRegularFile();
        assertThat(watcher.stop()).as("command lines holding the password").isEmpty();
        assertThat(String.join("\n", log) + String.join("\n", output)).doesNotContain(credentials.password());
    }

    @Test
    void aWrongPasswordAnUnknownRefAndAPasswordInTheUrlAreNamed(@TempDir Path scratch) throws Exception {
        UsernamePassword credentials = TestServices.gitCredentials();
        String name = "gulimall-" + UUID.randomUUID().toString().substring(0, 8) + ".git";
        String url = TestServices.gitUrl() + "/" + name;
        pushFixture(scratch, TestServices.gitRoot().resolve(name), url, credentials);
        Path ws = scratch.resolve("workspace");

        assertThatThrownBy(() -> checkout.checkout(
                        ws.toFile(),
                        new CheckoutRequest().url(url).password(new UsernamePassword(credentials.username(), "wrong"))))
                .hasMessageStartingWith(
                        "git could not authenticate to " + url + ": the username/password were refused");
        assertThatThrownBy(() -> checkout.checkout(
                        ws.toFile(),
                        new CheckoutRequest().url(url).ref("feature/kart").password(credentials)))
                .hasMessage("'feature/kart' is no branch, tag or commit of " + url
                        + "; its branches are: feature/cart, master");
        assertThatThrownBy(() -> checkout.checkout(
                        ws.toFile(),
                        new CheckoutRequest().url(url.replace("://", "://" + credentials.username() + ":secret@"))))
                .hasMessageStartingWith("the repository URL carries a password");
    }

    /** A key made by the real ssh-keygen, in the OpenSSH format users paste into Jenkins. */
    private static String sshKeygen(Path dir, String type, String passphrase) throws Exception {
        Path key = dir.resolve("id_" + type);
        Process p = new ProcessBuilder(
                        "ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C", "guli-test", "-f", key.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(p.waitFor())
                .as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isZero();
        return Files.readString(key, StandardCharsets.UTF_8);
    }

    private static KeyPair parse(String key, String passphrase) throws Exception {
        return SecurityUtils.loadKeyPairIdentities(
                        null,
                        NamedResource.ofName("k"),
                        new java.io.ByteArrayInputStream(key.getBytes(StandardCharsets.UTF_8)),
                        passphrase == null ? FilePasswordProvider.EMPTY : FilePasswordProvider.of(passphrase))
                .iterator()
                .next();
    }

    @Test
    void overSshWithAKeyAndAPassphraseFromKnownHostsOnly(@TempDir Path scratch) throws Exception {
        Path keys = Files.createDirectories(scratch.resolve("keys"));
        String rsa = sshKeygen(keys, "rsa", "open sesame");
        String ed25519 = sshKeygen(keys, "ed25519", "");
        Path repos = Files.createDirectories(scratch.resolve("repos"));
        Repo repo = pushFixture(
                scratch,
                repos.resolve("gulimall.git"),
                repos.resolve("gulimall.git").toUri().toString(),
                null);
        Path sshDir = Files.createDirectories(scratch.resolve("dot-ssh"));

        for (String[] key : new String[][] {{rsa, "open sesame"}, {ed25519, null}}) {
            try (SshGitServer server =
                    new SshGitServer(repos, parse(key[0], key[1]).getPublic())) {
                String url = server.url("gulimall.git");
                SshKey sshKey = new SshKey("git", key[0], key[1]);
                Path ws = scratch.resolve("ws-" + server.port());

                assertThatThrownBy(() -> checkout.checkout(
                                ws.toFile(),
                                new CheckoutRequest().url(url).sshKey(sshKey).sshDir(sshDir.toString())))
                        .hasMessageStartingWith("the SSH host key of " + url + " is not trusted on this agent")
                        .hasMessageEndingWith(
                                "add it to " + sshDir + "/known_hosts of the user running the build, e.g. "
                                        + "ssh-keyscan -p PORT HOST >> " + sshDir + "/known_hosts");

                Files.writeString(sshDir.resolve("known_hosts"), server.knownHostsLine() + "\n");
                ProcessArgsWatcher watcher = key[1] == null ? null : new ProcessArgsWatcher(List.of(key[1]));
                CheckoutResult r = checkout.checkout(
                        ws.toFile(),
                        new CheckoutRequest()
                                .url(url)
                                .ref("feature/cart")
                                .sshKey(sshKey)
                                .sshDir(sshDir.toString()));
                assertThat(r.commit()).isEqualTo(repo.featureCommit()).isEqualTo(head(ws));
                assertThat(ws.resolve("gulimall-product/pom.xml")).isRegularFile();
                if (watcher != null) {
                    assertThat(watcher.stop()).isEmpty();
                }

                SshKey other =
                        new SshKey("git", sshKeygen(Files.createTempDirectory(scratch, "other"), "ed25519", ""), null);
                assertThatThrownBy(() -> checkout.checkout(
                                ws.toFile(),
                                new CheckoutRequest().url(url).sshKey(other).sshDir(sshDir.toString())))
                        .hasMessageStartingWith("git could not authenticate to " + url
                                + ": the server refused the SSH key of the credentials");
            }
        }
        assertThatThrownBy(() -> checkout.checkout(
                        scratch.resolve("ws").toFile(),
                        new CheckoutRequest()
                                .url("ssh://git@127.0.0.1:1/x.git")
                                .sshKey(new SshKey("git", rsa, "wrong passphrase"))))
                .hasMessageStartingWith("the SSH private key of the credentials cannot be read");
        assertThat(String.join("\n", log)).doesNotContain("open sesame").doesNotContain("PRIVATE KEY");
    }
}
