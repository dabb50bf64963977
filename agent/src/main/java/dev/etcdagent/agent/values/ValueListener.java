package dev.etcdagent.agent.values;

import dev.etcdagent.agent.etcd.Change;

/**
 * Told of every change of a key in a {@link WatchedRange}, in revision order, while the range's
 * lock is held: it must not block (field writes are handed to the apply loop).
 */
public interface ValueListener {
    /** {@code change.value == null}: the key is gone. {@code oldValue}: the value before, or null. */
    void changed(Change change, String oldValue);

    /**
     * Told, when a listener of the whole range, once every change of one read, snapshot or watch answer
     * has been told, and before the range's progress: what changed together in etcd (a transaction's
     * keys share a revision, and etcd never splits a revision across watch answers) can be applied together.
     */
    default void settled() {
    }
}
