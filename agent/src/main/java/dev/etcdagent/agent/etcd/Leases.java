package dev.etcdagent.agent.etcd;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * What a lease-bound presence needs from etcd, in the agent's own types: grant, keep-alive, put on
 * a lease, delete, revoke, a watch on one key, and the etcd loop's timer. Every future completes
 * on the etcd loop; a failed call fails its future (use {@link Errors} to sort the cause).
 */
public interface Leases {

    /** How often a lease of {@code ttlSeconds} is kept alive: three times per ttl, so that two may fail. */
    static long keepAlivePeriodMillis(long ttlSeconds) {
        return Math.max(200, ttlSeconds * 1000 / 3);
    }

    /** Whether a verified client is in place; calls made while not connected fail at once. */
    boolean isConnected();

    /** Whether the caller runs on the etcd loop, which owns every callback's state. */
    boolean inLoop();

    /** Runs {@code task} on the etcd loop: at once when called there, else queued in call order. */
    void runInLoop(Runnable task);

    /** Runs {@code task} on the etcd loop after {@code delayMillis}; the future cancels it. */
    Future<?> schedule(Runnable task, long delayMillis);

    /** Grants a lease of {@code ttlSeconds}; completes with its id. */
    CompletableFuture<Long> grant(long ttlSeconds);

    /** One keep-alive of {@code lease}; completes with the TTL left, 0 or less when etcd no longer has it. */
    CompletableFuture<Long> keepAlive(long lease);

    /** Puts {@code key} bound to {@code lease}; completes with the revision of the put. */
    CompletableFuture<Long> put(String key, byte[] value, long lease);

    /** Deletes {@code key}; completes with the revision after the delete. */
    CompletableFuture<Long> delete(String key);

    /** Revokes {@code lease}, deleting every key bound to it. */
    CompletableFuture<Void> revoke(long lease);

    /**
     * On a connection's announcement: whether it only took over from an earlier way to etcd that
     * kept every key in place (see {@link HandoverLeases}), so nothing needs to be put again.
     */
    default boolean tookOverInPlace() {
        return false;
    }

    /** Watches {@code key} from {@code fromRevision}; null when not connected (or no watch is possible yet). */
    AutoCloseable watch(String key, long fromRevision, WatchHandler handler);
}
