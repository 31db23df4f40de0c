package io.github.guli.jenkins;

import hudson.model.InvisibleAction;
import hudson.model.Run;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

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

        public String getStep() { return step; }
        public String getText() { return text; }
        public String getUrl() { return url; }
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
