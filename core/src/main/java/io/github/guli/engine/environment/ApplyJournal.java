package io.github.guli.engine.environment;

/**
 * Told, before the first change of a promotion or rollback, what it would have to put back: a caller that must
 * survive losing the apply midway (a Jenkins step, whose controller may restart) records it durably before it
 * returns. An exception thrown here stops the apply with nothing changed.
 */
public interface ApplyJournal {
    void started(PutBack putBack);
}
