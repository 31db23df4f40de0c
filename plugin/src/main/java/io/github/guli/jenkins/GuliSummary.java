package io.github.guli.jenkins;

import hudson.model.InvisibleAction;
import hudson.model.Run;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The short summary a build page shows for the guli steps (image digest, version, deployed revision, SonarQube
 * link): one line per step result, added as the steps finish. Kept with the build.
 */
public class GuliSummary extends InvisibleAction {
    /** One line: what (step), the value, and a link when there is one. */
    public static final class Line {
        private final String step;
        private final String text;
        private final String url;

        Line(String step, String text, String url) {
            this.step = step;
            this.text = text;
            this.url = url;
        }

        public String getStep() {
            return step;
        }

        public String getText() {
            return text;
        }
        /** The link, only when it is an absolute http(s) URL (also for lines kept by builds of older versions). */
        public String getUrl() {
            return link(url);
        }
    }

    /**
     * {@code url} when it is an absolute http or https URL with a host, else null: a link on the build page must
     * never run script ({@code javascript:}, {@code data:}) nor lead somewhere relative to Jenkins, whatever a file
     * in the workspace said.
     */
    static String link(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https"))
                            && u.getHost() != null
                            && u.getRawUserInfo() == null
                    ? u.toASCIIString()
                    : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private final List<Line> lines = new ArrayList<>();

    public synchronized List<Line> getLines() {
        return Collections.unmodifiableList(new ArrayList<>(lines));
    }

    /** Adds a line to the run's summary (creating it on first use); {@code url} may be null. */
    static void add(Run<?, ?> run, String step, String text, String url) {
        GuliSummary summary;
        synchronized (run) {
            summary = run.getAction(GuliSummary.class);
            if (summary == null) {
                summary = new GuliSummary();
                run.addAction(summary);
            }
        }
        synchronized (summary) {
            summary.lines.add(new Line(step, text, url));
        }
    }
}
