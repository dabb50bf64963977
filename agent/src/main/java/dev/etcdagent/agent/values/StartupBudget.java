package dev.etcdagent.agent.values;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long class initialisation may still wait for etcd's first answers: one budget per JVM, from
 * which every wait takes the time it took, whichever thread waits and however many ranges there
 * are. Once it is spent, new ranges start at once from the snapshot (or the declared values).
 */
class StartupBudget {

    private final AtomicLong leftNanos;

    StartupBudget(long millis) {
        leftNanos = new AtomicLong(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    /** How long the next wait may last, in whole ms: 0 once the budget is spent. */
    long waitMillis() {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(leftNanos.get()));
    }

    /** A wait that began at {@code startNanos}, a value of {@link #now()}, is over: its time is spent. */
    void spendSince(long startNanos) {
        leftNanos.addAndGet(startNanos - now());
    }

    /** The clock waits are measured with; tests stand in their own. */
    long now() {
        return System.nanoTime();
    }
}
