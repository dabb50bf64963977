package dev.etcdagent.agent.fields;

import java.util.concurrent.Executor;

/**
 * Hands a field's newest value to the apply loop, which writes it. Values offered while a write is
 * pending replace the pending one: a burst ends in one write of its last value.
 *
 * <p>The first value is written by the thread initialising the class, inside its static
 * initialiser. Later values are written only by the apply loop, once the writer is armed at the
 * end of the initialiser: a write from another thread before then would wait on the class's
 * initialisation lock while the agent holds its own.
 */
abstract class LatestValueWriter<T> {

    private final Executor loop;
    private T latest;
    private long latestRevision;
    private boolean pending;
    private boolean armed;

    LatestValueWriter(Executor loop) {
        this.loop = loop;
    }

    /** Writes {@code value} now; on the apply loop, or on the initialising thread before arming. */
    abstract void write(T value, long revision);

    /** From now on the apply loop writes; anything offered meanwhile is written now. */
    final void arm() {
        boolean flush;
        synchronized (this) {
            armed = true;
            flush = pending;
        }
        if (flush) {
            loop.execute(this::flush);
        }
    }

    /** Called with the source's lock held: never blocks. */
    final void offer(T value, long revision) {
        boolean flush;
        synchronized (this) {
            latest = value;
            latestRevision = revision;
            flush = armed && !pending;
            pending = true;
        }
        if (flush) {
            loop.execute(this::flush);
        }
    }

    private void flush() {
        T value;
        long revision;
        synchronized (this) {
            value = latest;
            revision = latestRevision;
            pending = false;
        }
        write(value, revision);
    }
}
