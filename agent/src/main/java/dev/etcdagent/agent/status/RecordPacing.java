package dev.etcdagent.agent.status;

import java.util.concurrent.TimeUnit;

/**
 * The status record's pace: a change asks for a write, at most one write is scheduled at a time, and
 * writes are at least {@value #MIN_INTERVAL_MILLIS} ms apart. Guarded by the {@link AgentStatus}'s lock.
 */
class RecordPacing {

    static final long MIN_INTERVAL_MILLIS = 100;

    private boolean scheduled;
    private long lastWriteNanos;

    /** Something in the record may have changed: how long until the write, or -1 when one is scheduled already. */
    long delayNanos() {
        if (scheduled) {
            return -1;
        }
        scheduled = true;
        long next = lastWriteNanos + TimeUnit.MILLISECONDS.toNanos(MIN_INTERVAL_MILLIS);
        return lastWriteNanos == 0 ? 0 : Math.max(0, next - now());
    }

    /** The scheduled write runs: a change from now on asks for the next one. */
    void writing() {
        scheduled = false;
    }

    /** A record was put (by the scheduled write, or at a connection). */
    void written() {
        lastWriteNanos = now();
    }

    /** The clock writes are spaced by; tests stand in their own. */
    long now() {
        return System.nanoTime();
    }
}
