package io.github.guli.jenkins;

import hudson.model.Action;
import hudson.model.Job;
import hudson.model.Run;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** A run as the steps use it outside Jenkins: it holds the actions added to it (the summary, the analysed projects). */
final class TestRun extends Run<TestRun.TestJob, TestRun> {
    abstract static class TestJob extends Job<TestJob, TestRun> {
        TestJob() {
            super(null, null);
        }
    }

    private final List<Action> actions = new ArrayList<>();
    private final TestRun previous;

    TestRun() throws IOException {
        this(null);
    }

    /** A build after {@code previous}: the build before it is that one. */
    TestRun(TestRun previous) throws IOException {
        super(null);
        this.previous = previous;
    }

    @Override
    public TestRun getPreviousBuild() {
        return previous;
    }

    @Override
    public void addAction(Action a) {
        actions.add(a);
    }

    @Override
    public <T extends Action> T getAction(Class<T> type) {
        return actions.stream()
                .filter(type::isInstance)
                .map(type::cast)
                .findFirst()
                .orElse(null);
    }
}
