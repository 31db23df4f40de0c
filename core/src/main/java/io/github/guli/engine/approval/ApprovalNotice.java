package io.github.guli.engine.approval;

import io.github.guli.engine.GuliException;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * An approval that waits: what would be deployed where, what changes, who may approve and where. The configuration
 * diff comes masked from its producer; the commits are text of the branch. The input link is the only link a card
 * carries, so it must be an http(s) URL.
 */
public record ApprovalNotice(
        String service,
        String version,
        String digest,
        String environment,
        List<Commit> commits,
        String configDiff,
        List<String> approvers,
        String inputUrl) {
    public ApprovalNotice {
        service = text(service);
        version = text(version);
        digest = text(digest);
        environment = text(environment);
        commits = commits == null ? List.of() : List.copyOf(commits);
        configDiff = configDiff == null ? "" : configDiff;
        approvers = approvers == null ? List.of() : List.copyOf(approvers);
        inputUrl = link(inputUrl);
    }

    static String text(String s) {
        return s == null ? "" : s.trim();
    }

    /** The link as given when it is an absolute http(s) URL; null when none is given. */
    static String link(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        String u = url.trim();
        try {
            URI uri = new URI(u);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return u;
            }
        } catch (java.net.URISyntaxException e) {
            // named below
        }
        throw new GuliException("the input page link is not an http(s) URL: a card links only to Jenkins' input page"
                + " (give the build's absolute URL, e.g. https://jenkins.example.com/job/gulimall/42/input/)");
    }
}
