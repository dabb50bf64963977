package dev.etcdagent.agent.values;

import dev.etcdagent.agent.etcd.Errors;
import dev.etcdagent.agent.etcd.RangeRead;

/**
 * What a resync does with each answer to its reads. A read below the revision the range has
 * either crossed a newer change, or etcd lost its data and kept its cluster id (its revisions
 * begin again at 1); a second read, made after the first answered, tells: in one history it
 * cannot be below a revision already seen. Each resync counts a generation
 * ({@link WatchedRange#resyncs}), so an answer to a superseded one is dropped.
 */
final class ResyncRule {

    static final long RETRY_MILLIS = 1_000;
    static final long PERMISSION_RETRY_MILLIS = 10_000;

    /** What follows an answer. */
    enum Next {
        /** A later resync superseded this read: the answer is dropped, the range untouched. */
        DROP,
        /** The read failed: try again (see {@link Failure}). */
        RETRY,
        /** The read is applied: watch from its revision + 1. */
        WATCH,
        /** The read is below the range's revision: read once more to confirm a new history. */
        CONFIRM,
        /** The confirming read was below it too: applied as a new history; watch from its revision + 1. */
        NEW_HISTORY
    }

    /** Why a read or watch failed, which says when to try again. */
    enum Failure {
        /** The session checks the members and reconnects; the range is read again then, or after 1 s. */
        CONNECTIVITY(RETRY_MILLIS),
        /** An operator may grant the permission: tried again less often. */
        PERMISSION_DENIED(PERMISSION_RETRY_MILLIS),
        OTHER(RETRY_MILLIS);

        final long retryMillis;

        Failure(long retryMillis) {
            this.retryMillis = retryMillis;
        }

        static Failure of(Throwable error) {
            if (Errors.isConnectivity(error)) {
                return CONNECTIVITY;
            }
            return Errors.isPermissionDenied(error) ? PERMISSION_DENIED : OTHER;
        }
    }

    private ResyncRule() {
    }

    /**
     * Takes the answer ({@code read}, or {@code error}) to a read of resync {@code generation} of
     * {@code range}, applying it to the range when it holds, and says what follows. On the etcd loop.
     *
     * @param confirming whether this read is the second one, made to confirm a new history
     */
    static Next answered(WatchedRange range, int generation, RangeRead read, Throwable error, boolean confirming) {
        if (generation != range.resyncs) {
            return Next.DROP;
        }
        if (error != null) {
            return Next.RETRY;
        }
        if (range.applyRead(read)) {
            return Next.WATCH;
        }
        if (!confirming) {
            return Next.CONFIRM;
        }
        range.applyNewHistory(read);
        return Next.NEW_HISTORY;
    }
}
