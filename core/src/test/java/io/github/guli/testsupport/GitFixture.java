package io.github.guli.testsupport;

import io.github.guli.engine.UsernamePassword;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * A fresh bare repository on the test git server and a working clone of it (over authenticated HTTP) holding
 * commits, as a Jenkins workspace after {@code checkout scm} would.
 */
public final class GitFixture implements AutoCloseable {
    public final String url;
    public final Path bare;
    public final Path workTree;
    private final Git git;
    private final UsernamePasswordCredentialsProvider cp;

    public GitFixture(Path scratch) throws Exception {
        String name = "gulimall-" + UUID.randomUUID().toString().substring(0, 8) + ".git";
        bare = TestServices.gitRoot().resolve(name);
        Git.init()
                .setBare(true)
                .setInitialBranch("master")
                .setDirectory(bare.toFile())
                .call()
                .close();
        url = TestServices.gitUrl() + "/" + name;
        UsernamePassword c = TestServices.gitCredentials();
        cp = new UsernamePasswordCredentialsProvider(c.username(), c.password());
        workTree = scratch.resolve("workspace");
        git = Git.init()
                .setInitialBranch("master")
                .setDirectory(workTree.toFile())
                .call();
        git.getRepository().getConfig().setString("remote", "origin", "url", url);
        git.getRepository().getConfig().save();
        commit("first");
        git.push().setRemote("origin").add("master").setCredentialsProvider(cp).call();
    }

    public RevCommit commit(String content) throws Exception {
        Files.writeString(workTree.resolve("README.md"), content, StandardCharsets.UTF_8);
        git.add().addFilepattern("README.md").call();
        return git.commit()
                .setMessage(content)
                .setAuthor("dev", "dev@example.com")
                .setCommitter("dev", "dev@example.com")
                .call();
    }

    /** The commit a tag on the server points to (peeled), or null. */
    public ObjectId serverTag(String tag) throws Exception {
        try (Git server = Git.open(bare.toFile())) {
            var ref = server.getRepository().exactRef("refs/tags/" + tag);
            if (ref == null) {
                return null;
            }
            var peeled = server.getRepository().getRefDatabase().peel(ref);
            return peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : null;
        }
    }

    /** The annotated tag object a tag on the server is (unpeeled), with its message; null when there is none. */
    public RevTag serverTagObject(String tag) throws Exception {
        try (Git server = Git.open(bare.toFile());
                RevWalk walk = new RevWalk(server.getRepository())) {
            var ref = server.getRepository().exactRef("refs/tags/" + tag);
            return ref == null ? null : walk.parseTag(ref.getObjectId());
        }
    }

    /** A second workspace with the same commits, as a build of the same job in another executor has. */
    public Path copyWorkspace(Path to) throws Exception {
        try (var paths = Files.walk(workTree)) {
            for (Path from : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(workTree.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(from, target);
                }
            }
        }
        return to;
    }

    public File dir() {
        return workTree.toFile();
    }

    @Override
    public void close() {
        git.close();
    }
}
