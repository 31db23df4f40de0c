package io.github.guli.jenkins;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.model.Run;
import hudson.security.ACL;
import hudson.security.ACLContext;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.logging.Logger;
import jenkins.model.GlobalConfiguration;

/**
 * Who holds each {@code guliLock} resource and who waits for it, saved in the controller's home at every change, so
 * both outlive a restart: the executions waiting and holding are saved with their builds and find their place here
 * again in {@code onResume}. The executions themselves are known only while they run ({@link #live}), as a build's
 * program holds them. It has no configuration page.
 */
@Extension
public class GuliLocks extends GlobalConfiguration {
    /**
     * One build's claim on a resource: its execution's id and the build's name, for the log. A class, not a record:
     * XStream, which saves this table, cannot set a record's fields.
     */
    static final class Claim implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String id;
        private final String build;

        Claim(String id, String build) {
            this.id = id;
            this.build = build;
        }

        String id() {
            return id;
        }

        String build() {
            return build;
        }
    }

    /** A resource: its holder, then its waiters, first come first served. */
    static final class Queue implements Serializable {
        private static final long serialVersionUID = 1L;
        Claim holder;
        final List<Claim> waiting = new ArrayList<>();
    }

    /** What is saved: each held resource's queue, and the waiters dropped for a newer build before they resumed. */
    static final class State implements Serializable {
        private static final long serialVersionUID = 1L;
        final Map<String, Queue> resources = new LinkedHashMap<>();
        final Map<String, String> superseded = new LinkedHashMap<>();
    }

    /** Where a claim stands. */
    enum Standing {
        HOLDS,
        WAITS,
        SUPERSEDED,
        UNKNOWN
    }

    /**
     * The outcome of asking for a resource: held now, or behind whom; the waiters a newer build dropped; and what was
     * freed of builds that are gone ({@link #freeGone}).
     */
    record Asked(boolean held, String holder, int ahead, List<GuliLockStepExecution> dropped, Freed freed) {}

    /** Locks freed of builds that are gone: a line for each, and the running waiters that hold a lock now. */
    record Freed(List<String> lines, List<GuliLockStepExecution> next) {}

    private static final Logger LOGGER = Logger.getLogger(GuliLocks.class.getName());

    private State state = new State();
    private final transient Map<String, GuliLockStepExecution> live = new ConcurrentHashMap<>();
    /** Whether a build (its externalizable id) is still building; a test gives its own. */
    transient Predicate<String> building = GuliLocks::stillBuilding;
    /** Whether the table was checked for builds that are gone since it was loaded. */
    private transient boolean checkedSinceLoad;

    public GuliLocks() {
        load();
    }

    public static GuliLocks get() {
        return ExtensionList.lookupSingleton(GuliLocks.class);
    }

    /** Takes the resource if it is free, else queues the execution; {@code newest} drops the older waiters. */
    synchronized Asked ask(GuliLockStepExecution e) {
        Freed freed = freeGone();
        live.put(e.id, e);
        Queue q = state.resources.computeIfAbsent(e.resource, r -> new Queue());
        Claim claim = new Claim(e.id, e.build);
        if (q.holder == null) {
            q.holder = claim;
            save();
            return new Asked(true, null, 0, List.of(), freed);
        }
        List<GuliLockStepExecution> dropped = new ArrayList<>();
        if (e.newest) {
            for (Claim older : q.waiting) {
                GuliLockStepExecution running = live.remove(older.id());
                if (running != null) {
                    dropped.add(running);
                } else {
                    state.superseded.put(older.id(), e.build); // told when it resumes
                }
            }
            q.waiting.clear();
        }
        q.waiting.add(claim);
        save();
        return new Asked(false, q.holder.build(), q.waiting.size() - 1, dropped, freed);
    }

    /**
     * Frees every lock whose holder's build was deleted or ended without releasing it (a hard kill), and drops the
     * waiters of such builds: the next waiter holds the lock then. Logged, naming the lock and the build.
     */
    synchronized Freed freeGone() {
        checkedSinceLoad = true;
        List<String> lines = new ArrayList<>();
        List<GuliLockStepExecution> next = new ArrayList<>();
        for (Iterator<Map.Entry<String, Queue>> it = state.resources.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Queue> entry = it.next();
            Queue q = entry.getValue();
            q.waiting.removeIf(c -> gone(c, entry.getKey(), "waiting for", lines));
            boolean handedOver = false;
            while (q.holder != null && gone(q.holder, entry.getKey(), "held", lines)) {
                q.holder = q.waiting.isEmpty() ? null : q.waiting.remove(0);
                handedOver = true;
            }
            if (q.holder == null) {
                it.remove();
            } else if (handedOver && live.get(q.holder.id()) != null) {
                next.add(live.get(q.holder.id()));
            }
        }
        if (!lines.isEmpty()) {
            save();
        }
        return new Freed(lines, next);
    }

    /** The first check after the table was loaded (at the first build that resumes), else nothing freed. */
    synchronized Freed freeGoneOnceLoaded() {
        return checkedSinceLoad ? new Freed(List.of(), List.of()) : freeGone();
    }

    private boolean gone(Claim c, String resource, String how, List<String> lines) {
        if (building.test(c.build())) {
            return false;
        }
        String line = "freed " + resource + " " + how + " by " + c.build()
                + ", a build that was deleted or ended without releasing it";
        LOGGER.warning(line);
        lines.add(line);
        live.remove(c.id());
        return true;
    }

    /** Whether the build still runs: looked up as the system, as a build may not see another job's builds. */
    static boolean stillBuilding(String build) {
        try (ACLContext system = ACL.as2(ACL.SYSTEM2)) {
            Run<?, ?> run = Run.fromExternalizableId(build);
            return run != null && run.isBuilding();
        } catch (IllegalArgumentException e) {
            return false; // not the id of a build
        }
    }

    /**
     * Whether the execution held the resource, and the running execution of the waiter that holds it next, to start
     * its body (null when none waits, or when it has not resumed yet: it starts its body when it does).
     */
    record Released(boolean held, GuliLockStepExecution next) {}

    /** Lets the resource go if the execution holds it: the first waiter holds it next. */
    synchronized Released release(GuliLockStepExecution e) {
        live.remove(e.id);
        Queue q = state.resources.get(e.resource);
        if (q == null || q.holder == null || !q.holder.id().equals(e.id)) {
            return new Released(false, null);
        }
        q.holder = q.waiting.isEmpty() ? null : q.waiting.remove(0);
        if (q.holder == null) {
            state.resources.remove(e.resource);
        }
        save();
        return new Released(true, q.holder == null ? null : live.get(q.holder.id()));
    }

    /** Takes a waiter out of its queue; true if it was waiting. */
    synchronized boolean leave(GuliLockStepExecution e) {
        Queue q = state.resources.get(e.resource);
        boolean waited = q != null && q.waiting.removeIf(c -> c.id().equals(e.id));
        if (waited || state.superseded.remove(e.id) != null) {
            live.remove(e.id);
            save();
        }
        return waited;
    }

    /** Where the execution stands, known again as running (after a restart); a superseded one learns it once. */
    synchronized Standing resume(GuliLockStepExecution e) {
        Queue q = state.resources.get(e.resource);
        if (q != null && q.holder != null && q.holder.id().equals(e.id)) {
            live.put(e.id, e);
            return Standing.HOLDS;
        }
        if (q != null && q.waiting.stream().anyMatch(c -> c.id().equals(e.id))) {
            live.put(e.id, e);
            return Standing.WAITS;
        }
        return state.superseded.containsKey(e.id) ? Standing.SUPERSEDED : Standing.UNKNOWN;
    }

    /** The newer build a waiter was dropped for, forgotten once told. */
    synchronized String supersededBy(GuliLockStepExecution e) {
        String by = state.superseded.remove(e.id);
        save();
        return by;
    }

    /** Who holds the resource, then who waits, by build; empty when it is free. */
    synchronized List<String> queue(String resource) {
        List<String> out = new ArrayList<>();
        Queue q = state.resources.get(resource);
        if (q != null) {
            out.add(q.holder == null ? "-" : q.holder.build());
            q.waiting.forEach(c -> out.add(c.build()));
        }
        return out;
    }

    /** The saved state, as {@link #save} writes it; for a test that saves and loads it. */
    synchronized State state() {
        return state;
    }

    synchronized void state(State saved) {
        state = saved;
    }
}
