package dev.etcdagent.agent.values;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * When the snapshot file is written: {@value #DELAY_MILLIS} ms after a change, on the apply loop,
 * once for a burst of changes; and at exit, at once, when a change is not on disk yet.
 */
final class SnapshotSchedule {

    static final long DELAY_MILLIS = 200;

    private final ScheduledExecutorService apply;
    private final Runnable save;
    /** Owned by the apply loop. */
    private ScheduledFuture<?> pending;
    /** A change is not on disk yet; set by the thread that applied it, cleared by the write. */
    private volatile boolean due;
    /** The apply loop and the exit hook may both write: one at a time. */
    private final Object writing = new Object();

    /**
     * @param apply the apply loop: the file is written there, never on the etcd loop
     * @param save  writes the file
     */
    SnapshotSchedule(ScheduledExecutorService apply, Runnable save) {
        this.apply = apply;
        this.save = save;
    }

    /** A value changed: the file is to be written. */
    void changed() {
        due = true;
        apply.execute(() -> {
            if (pending == null || pending.isDone()) {
                // Bursts of puts become one write.
                pending = apply.schedule(this::saveIfDue, DELAY_MILLIS, TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Writes the file now if a change is not on disk yet: on the apply loop, or the exit hook's thread. */
    void saveIfDue() {
        synchronized (writing) {
            if (due) {
                due = false;
                save.run();
            }
        }
    }
}
