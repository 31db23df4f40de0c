package io.github.guli.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.google.common.util.concurrent.ListenableFuture;
import hudson.AbortException;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import jenkins.model.CauseOfInterruption;
import org.jenkinsci.plugins.workflow.steps.BodyExecution;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.BodyInvoker;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * guliLock as Pipeline drives it: contexts, bodies and the controller's saved state as a running Jenkins would give
 * them, a restart being the executions and the lock table written out and read back into new objects.
 */
class GuliLockStepTest {
    /** How each build's step ended: its result, or the failure. Keyed by build, as a context is saved too. */
    static final Map<String, Object> OUTCOMES = Collections.synchronizedMap(new java.util.HashMap<>());
    /** Each build's bodies, in the order they started. */
    static final Map<String, List<TestBody>> BODIES = new ConcurrentHashMap<>();

    static final Map<String, Result> RESULTS = new ConcurrentHashMap<>();
    static final List<String> CONSOLE = Collections.synchronizedList(new ArrayList<>());
    /** The builds deleted, or ended without their step being stopped (a hard kill). */
    static final Set<String> GONE = ConcurrentHashMap.newKeySet();
    /** What shop#2's console says when it finds r held by shop#1, which is gone. */
    static final String FREED_R_OF_SHOP_1 =
            "shop#2: [guliLock] freed r held by shop#1, a build that was deleted or ended without releasing it";

    /** The lock table, saved to and loaded from bytes as Jenkins saves it to its home. */
    static final class TestLocks extends GuliLocks {
        private final Disk disk;

        TestLocks(Disk disk) throws Exception {
            this.disk = disk;
            building = build -> !GONE.contains(build); // what Jenkins' builds would say
            if (disk.bytes != null) {
                state(read(disk.bytes)); // the load at start-up
            }
        }

        @Override
        public synchronized void load() {}

        @Override
        public synchronized void save() {
            if (disk != null) {
                disk.bytes = write(state());
            }
        }
    }

    static final class Disk {
        byte[] bytes;
    }

    static final class TestContext extends StepContext {
        private static final long serialVersionUID = 1L;
        final String build;

        TestContext(String build) {
            this.build = build;
        }

        @Override
        public <T> T get(Class<T> key) {
            if (key == TaskListener.class) {
                return key.cast((TaskListener) () -> new PrintStream(
                        new ByteArrayOutputStream() {
                            @Override
                            public void flush() {
                                CONSOLE.add(build + ": "
                                        + toString(StandardCharsets.UTF_8).strip());
                                reset();
                            }
                        },
                        true,
                        StandardCharsets.UTF_8));
            }
            if (key == Run.class) {
                Run<?, ?> run = mock(Run.class);
                when(run.getExternalizableId()).thenReturn(build);
                return key.cast(run);
            }
            return null;
        }

        @Override
        public void onSuccess(Object result) {
            ended(result);
        }

        @Override
        public void onFailure(Throwable t) {
            ended(t);
        }

        private void ended(Object outcome) {
            assertThat(OUTCOMES).as(build + " ended once").doesNotContainKey(build);
            OUTCOMES.put(build, outcome);
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public ListenableFuture<Void> saveState() {
            return null;
        }

        @Override
        public void setResult(Result r) {
            RESULTS.put(build, r);
        }

        @Override
        public BodyInvoker newBodyInvoker() {
            return new BodyInvoker() {
                private BodyExecutionCallback callback;

                @Override
                public BodyInvoker withContext(Object override) {
                    return this;
                }

                @Override
                public BodyInvoker withDisplayName(String name) {
                    return this;
                }

                @Override
                public BodyInvoker withCallback(BodyExecutionCallback c) {
                    callback = c;
                    return this;
                }

                @Override
                public BodyExecution start() {
                    TestBody b = new TestBody(TestContext.this, callback);
                    BODIES.computeIfAbsent(build, k -> new ArrayList<>()).add(b);
                    return b;
                }
            };
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TestContext c && c.build.equals(build);
        }

        @Override
        public int hashCode() {
            return build.hashCode();
        }
    }

    /** A running body: the test ends it, or the step cancels it (the body then ends failed, as CPS does). */
    static final class TestBody extends BodyExecution {
        private static final long serialVersionUID = 1L;
        private final StepContext context;
        private final BodyExecutionCallback callback;

        TestBody(StepContext context, BodyExecutionCallback callback) {
            this.context = context;
            this.callback = callback;
        }

        void succeed(Object result) {
            callback.onSuccess(context, result);
        }

        void fail(Throwable t) {
            callback.onFailure(context, t);
        }

        @Override
        public boolean cancel(Throwable t) {
            fail(t);
            return true;
        }

        @Override
        public Collection<StepExecution> getCurrentExecutions() {
            return List.of();
        }

        @Override
        public boolean cancel(boolean mayInterrupt) {
            throw new AssertionError("the step cancels with its cause");
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean isDone() {
            return false;
        }

        @Override
        public Object get() {
            throw new AssertionError("not used");
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new AssertionError("not used");
        }
    }

    private final Disk disk = new Disk();
    private TestLocks locks;

    @BeforeEach
    void fresh() throws Exception {
        OUTCOMES.clear();
        BODIES.clear();
        RESULTS.clear();
        CONSOLE.clear();
        GONE.clear();
        locks = new TestLocks(disk);
    }

    private GuliLockStepExecution lock(String build, String resource, boolean newest) throws Exception {
        GuliLockStep step = new GuliLockStep(resource);
        step.setNewest(newest);
        GuliLockStepExecution e = (GuliLockStepExecution) step.start(new TestContext(build));
        e.locks = locks;
        assertThat(e.start()).as("asynchronous").isFalse();
        return e;
    }

    private static int bodies(String build) {
        return BODIES.getOrDefault(build, List.of()).size();
    }

    private static TestBody body(String build) {
        List<TestBody> b = BODIES.get(build);
        assertThat(b).as("the body of " + build).hasSize(1);
        return b.get(0);
    }

    @Test
    void buildsWaitingForOneLockRunTheirBodiesOneAfterTheOtherInTheOrderTheyAsked() throws Exception {
        lock("shop#1", "guli-deploy:shop:order", false);
        lock("shop#2", "guli-deploy:shop:order", false);
        lock("shop#3", "guli-deploy:shop:order", false);
        assertThat(bodies("shop#1")).isEqualTo(1);
        assertThat(bodies("shop#2") + bodies("shop#3")).isZero();
        assertThat(locks.queue("guli-deploy:shop:order")).containsExactly("shop#1", "shop#2", "shop#3");
        assertThat(CONSOLE)
                .contains("shop#3: [guliLock] waiting for guli-deploy:shop:order, held by shop#1 (1 build(s) ahead)");

        body("shop#1").succeed("done");
        assertThat(OUTCOMES).containsEntry("shop#1", "done");
        assertThat(bodies("shop#2")).isEqualTo(1);
        assertThat(bodies("shop#3")).isZero();

        body("shop#2").succeed(null);
        assertThat(bodies("shop#3")).isEqualTo(1);
        body("shop#3").succeed(null);
        assertThat(locks.queue("guli-deploy:shop:order")).isEmpty();
        assertThat(disk.bytes).isNotNull();
        assertThat(GuliLockStepTest.<GuliLocks.State>read(disk.bytes).resources)
                .as("saved at every change")
                .isEmpty();
    }

    @Test
    void aFailedBodyReleasesTheLockAndFailsTheStepWithItsError() throws Exception {
        lock("shop#1", "r", false);
        lock("shop#2", "r", false);
        AbortException boom = new AbortException("kubectl said no");
        body("shop#1").fail(boom);
        assertThat(OUTCOMES.get("shop#1")).isSameAs(boom);
        assertThat(bodies("shop#2")).isEqualTo(1);
        assertThat(CONSOLE).contains("shop#1: [guliLock] released r");
    }

    @Test
    void anAbortedHolderStopsItsBodyAndReleasesTheLockWhenTheBodyHasEnded() throws Exception {
        GuliLockStepExecution holder = lock("shop#1", "r", false);
        lock("shop#2", "r", false);
        InterruptedException abort = new InterruptedException("aborted by alice");
        holder.stop(abort);
        assertThat(OUTCOMES.get("shop#1")).isSameAs(abort);
        assertThat(bodies("shop#2")).isEqualTo(1);
        assertThat(locks.queue("r")).containsExactly("shop#2");
    }

    @Test
    void twoResourcesNeverWaitForEachOther() throws Exception {
        lock("shop#1", "guli-deploy:shop:order", false);
        lock("shop#2", "guli-deploy:shop:coupon", false);
        assertThat(bodies("shop#1")).isEqualTo(1);
        assertThat(bodies("shop#2")).isEqualTo(1);
    }

    @Test
    void aStoppedWaiterLeavesTheQueueAndNeverRunsItsBody() throws Exception {
        lock("shop#1", "r", false);
        GuliLockStepExecution waiter = lock("shop#2", "r", false);
        lock("shop#3", "r", false);
        InterruptedException abort = new InterruptedException("aborted");
        waiter.stop(abort);
        assertThat(OUTCOMES.get("shop#2")).isSameAs(abort);
        assertThat(locks.queue("r")).containsExactly("shop#1", "shop#3");
        body("shop#1").succeed(null);
        assertThat(bodies("shop#2")).isZero();
        assertThat(bodies("shop#3")).isEqualTo(1);
    }

    @Test
    void withNewestAWaitingBuildDropsTheOlderWaitersButNeverTheHolder() throws Exception {
        lock("shop#1", "r", true);
        lock("shop#2", "r", true);
        lock("shop#3", "r", true);
        assertThat(OUTCOMES).doesNotContainKey("shop#1");
        // ended as Jenkins ends a superseded build: ABORTED, with a cause of interruption naming the newer build
        assertThat(OUTCOMES.get("shop#2")).isInstanceOf(FlowInterruptedException.class);
        FlowInterruptedException ended = (FlowInterruptedException) OUTCOMES.get("shop#2");
        assertThat(ended.getResult()).isEqualTo(Result.ABORTED);
        assertThat(ended.isActualInterruption()).isTrue();
        assertThat(ended.getCauses())
                .singleElement()
                .isInstanceOf(GuliLockStepExecution.Superseded.class)
                .extracting(CauseOfInterruption::getShortDescription)
                .isEqualTo("Superseded by shop#3, a newer build waiting for r (concurrency: newest)");
        assertThat(write(ended)).as("saved with the build").isNotEmpty();
        assertThat(CONSOLE)
                .contains("shop#2: [guliLock] shop#2 no longer waits for r: superseded by shop#3, a newer build "
                        + "waiting for it (concurrency: newest)");
        assertThat(locks.queue("r")).containsExactly("shop#1", "shop#3");
        body("shop#1").succeed(null);
        assertThat(bodies("shop#2")).isZero();
        assertThat(bodies("shop#3")).isEqualTo(1);
    }

    @Test
    void aLockHeldByABuildThatIsGoneIsFreedAtTheNextAskNamingIt() throws Exception {
        lock("shop#1", "r", false);
        GONE.add("shop#1"); // deleted, or killed hard: its step never released the lock
        lock("shop#2", "r", false);
        assertThat(bodies("shop#2")).as("the lock is free again").isEqualTo(1);
        assertThat(locks.queue("r")).containsExactly("shop#2");
        assertThat(CONSOLE).contains(FREED_R_OF_SHOP_1);
    }

    @Test
    void whenTheGoneHolderHasAWaiterTheWaiterHoldsItAndTheAskerQueues() throws Exception {
        lock("shop#1", "r", false);
        lock("shop#2", "r", false);
        lock("shop#3", "other", false);
        GONE.add("shop#1");
        lock("shop#4", "r", false);
        assertThat(bodies("shop#2")).isEqualTo(1);
        assertThat(bodies("shop#4")).isZero();
        assertThat(locks.queue("r")).containsExactly("shop#2", "shop#4");
        assertThat(locks.queue("other")).as("a live holder keeps its lock").containsExactly("shop#3");
    }

    @Test
    void afterARestartALockHeldByABuildThatIsGoneIsFreedWhenTheFirstBuildResumes() throws Exception {
        lock("shop#1", "r", false);
        GuliLockStepExecution waiter = lock("shop#2", "r", false);
        byte[] waiterSaved = write(waiter);
        GONE.add("shop#1"); // its build was deleted while the controller was down

        locks = new TestLocks(disk);
        assertThat(locks.queue("r")).as("the table as saved").containsExactly("shop#1", "shop#2");
        GuliLockStepExecution back = read(waiterSaved);
        back.locks = locks;
        back.onResume();
        assertThat(bodies("shop#2")).isEqualTo(1);
        assertThat(locks.queue("r")).containsExactly("shop#2");
        assertThat(CONSOLE).contains(FREED_R_OF_SHOP_1);
    }

    @Test
    void withoutNewestNoWaiterIsDropped() throws Exception {
        lock("shop#1", "r", false);
        lock("shop#2", "r", false);
        lock("shop#3", "r", false);
        assertThat(OUTCOMES).isEmpty();
    }

    @Test
    void afterARestartTheHolderKeepsTheLockAndTheQueueItsOrder() throws Exception {
        GuliLockStepExecution holder = lock("shop#1", "r", false);
        GuliLockStepExecution waiter = lock("shop#2", "r", false);
        byte[] holderSaved = write(holder); // the programs, saved with their builds
        byte[] waiterSaved = write(waiter);
        BODIES.clear();

        locks = new TestLocks(disk); // the controller starts again, with what it saved
        GuliLockStepExecution holderBack = read(holderSaved);
        GuliLockStepExecution waiterBack = read(waiterSaved);
        holderBack.locks = locks;
        waiterBack.locks = locks;
        assertThat(holderBack.bodyStarted())
                .as("the body-started flag is saved")
                .isTrue();
        assertThat(waiterBack.bodyStarted()).isFalse();
        holderBack.onResume();
        waiterBack.onResume();
        assertThat(BODIES).as("no body started again").isEmpty();
        assertThat(locks.queue("r")).containsExactly("shop#1", "shop#2");

        ((TestBody) holderBack.body).succeed(null); // the saved body ends after the restart
        assertThat(OUTCOMES).containsEntry("shop#1", null);
        assertThat(bodies("shop#2")).isEqualTo(1);
    }

    @Test
    void aWaiterGivenTheLockBeforeItResumedStartsItsBodyOnResume() throws Exception {
        GuliLockStepExecution holder = lock("shop#1", "r", false);
        GuliLockStepExecution waiter = lock("shop#2", "r", false);
        byte[] holderSaved = write(holder);
        byte[] waiterSaved = write(waiter);
        BODIES.clear();

        locks = new TestLocks(disk);
        GuliLockStepExecution holderBack = read(holderSaved);
        holderBack.locks = locks;
        holderBack.onResume();
        ((TestBody) holderBack.body).succeed(null); // before the waiter's build has resumed
        assertThat(locks.queue("r")).containsExactly("shop#2");

        GuliLockStepExecution waiterBack = read(waiterSaved);
        waiterBack.locks = new TestLocks(disk); // what was saved at the hand-over
        waiterBack.onResume();
        assertThat(bodies("shop#2")).isEqualTo(1);
        assertThat(waiterBack.bodyStarted()).isTrue();
    }

    @Test
    void aSavedExecutionIsReadBackUnderItsName() throws Exception {
        GuliLockStepExecution e = lock("shop#1", "guli-release:shop:order", true);
        byte[] saved = write(e);
        assertThat(new String(saved, StandardCharsets.ISO_8859_1))
                .contains(
                        "io.github.guli.jenkins.GuliLockStepExecution",
                        "io.github.guli.jenkins.GuliLockStepExecution$Release");
        GuliLockStepExecution back = read(saved);
        assertThat(back.resource).isEqualTo("guli-release:shop:order");
        assertThat(back.newest).isTrue();
        assertThat(back.id).isEqualTo(e.id);
        assertThat(back.build).isEqualTo("shop#1");
        assertThat(back.getStatus()).isEqualTo("holds guli-release:shop:order");
    }

    @Test
    void aStepWithoutAResourceIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new GuliLockStep(" ").start(new TestContext("x")))
                .isInstanceOf(AbortException.class)
                .hasMessage("[guliLock] resource is not set: guliLock(resource: 'name') { ... }");
    }

    static byte[] write(Object o) {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @SuppressWarnings("unchecked")
    static <T> T read(byte[] bytes) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return (T) in.readObject();
        }
    }
}
