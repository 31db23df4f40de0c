package io.github.guli.testsupport;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;

/** A workspace made a git checkout, as {@code checkout scm} leaves it. */
public final class GitWorkspace {
    private GitWorkspace() {}

    /**
     * Makes {@code dir} a git checkout whose origin is {@code origin}, everything in it committed by a fixed author
     * at a fixed time (the same files give the same commit anywhere); returns the commit.
     */
    public static String commitAll(Path dir, String origin) throws Exception {
        try (Git git =
                Git.init().setInitialBranch("master").setDirectory(dir.toFile()).call()) {
            git.getRepository().getConfig().setString("remote", "origin", "url", origin);
            git.getRepository().getConfig().save();
            git.add().addFilepattern(".").call();
            PersonIdent who =
                    new PersonIdent("dev", "dev@example.com", Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
            return git.commit()
                    .setMessage("the commit built")
                    .setSign(false)
                    .setAuthor(who)
                    .setCommitter(who)
                    .call()
                    .name();
        }
    }
}
