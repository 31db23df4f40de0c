package io.github.guli.engine.git;

import io.github.guli.engine.GuliException;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * What an image is built from, for its OCI labels: the commit checked out (read as {@link GitCheckout#head}) and the
 * repository's {@code origin} URL without any credentials.
 *
 * @param commit the 40-hex commit, or null when the workspace is not a git checkout
 * @param source the origin URL with no user, password, query or fragment; null when unknown or not a URL
 */
public record Revision(String commit, String source) {
    /** The OCI annotation (and image label) of the commit an image was built from. */
    public static final String REVISION_LABEL = "org.opencontainers.image.revision";
    /** The OCI annotation (and image label) of the repository an image was built from. */
    public static final String SOURCE_LABEL = "org.opencontainers.image.source";

    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    private static final Set<String> SCHEMES = Set.of("http", "https", "ssh", "git");

    /** The revision of {@code dir} (or a folder above it within {@code workspace}). */
    public static Revision of(File workspace, File dir) {
        String commit = GitCheckout.head(workspace, dir);
        if (commit == null) {
            return new Revision(null, null);
        }
        FileRepositoryBuilder find = new FileRepositoryBuilder()
                .addCeilingDirectory(workspace.getAbsoluteFile().getParentFile())
                .findGitDir(dir.getAbsoluteFile());
        try (Repository repo = find.setMustExist(true).build()) {
            return new Revision(commit, withoutCredentials(repo.getConfig().getString("remote", "origin", "url")));
        } catch (IOException e) {
            throw new GuliException("cannot read the git configuration in " + find.getGitDir() + ": " + e.getMessage()
                    + "; check out the repository again (checkout scm)");
        }
    }

    /** Whether {@code text} is a full commit id, 40 lower-case hex digits. */
    public static boolean isCommit(String text) {
        return text != null && COMMIT.matcher(text).matches();
    }

    /**
     * {@code url} as {@code scheme://host[:port]/path}, or null when it is no such URL (an scp-like {@code
     * git@host:path}, a local path): a user name, a password or a token in its query never reaches an image.
     */
    static String withoutCredentials(String url) {
        if (url == null || url.isBlank() || url.chars().anyMatch(c -> c <= ' ')) {
            return null;
        }
        try {
            URI u = new URI(url.strip());
            String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
            if (scheme == null || !SCHEMES.contains(scheme) || u.getHost() == null) {
                return null;
            }
            return new URI(scheme, null, u.getHost(), u.getPort(), u.getPath(), null, null).toString();
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** The labels an image built from here carries; each is empty when unknown, so a base image's are not kept. */
    public Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(REVISION_LABEL, commit == null ? "" : commit);
        labels.put(SOURCE_LABEL, source == null ? "" : source);
        return labels;
    }
}
