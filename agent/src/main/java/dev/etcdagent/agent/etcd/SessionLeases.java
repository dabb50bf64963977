package dev.etcdagent.agent.etcd;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.options.PutOption;

/** {@link Leases} through the JVM's supervised session: every call has its time limit and reports lost connectivity. */
public final class SessionLeases implements Leases {

    /** Under load a healthy member can take a while; never longer than the session's own limit. */
    private static final long MIN_TIMEOUT_MILLIS = 300;

    private final EtcdSession session;
    private final Duration keepAliveTimeout;
    private final Duration callTimeout;

    /**
     * No lease call may wait longer than the ttl allows: a keep-alive gets a third of it (the
     * presence sends it again at once through another member), a grant, put or revoke half.
     */
    public SessionLeases(EtcdSession session, long ttlSeconds) {
        this.session = session;
        this.keepAliveTimeout = keepAliveTimeout(ttlSeconds);
        this.callTimeout = callTimeout(ttlSeconds);
    }

    /** A keep-alive's time limit for a lease of {@code ttlSeconds}: a third of it, 300 ms to 3 s. */
    static Duration keepAliveTimeout(long ttlSeconds) {
        return bounded(TimeUnit.SECONDS.toMillis(ttlSeconds) / 3);
    }

    /** A grant's, put's, delete's or revoke's time limit: half the ttl, 300 ms to 3 s. */
    static Duration callTimeout(long ttlSeconds) {
        return bounded(TimeUnit.SECONDS.toMillis(ttlSeconds) / 2);
    }

    private static Duration bounded(long millis) {
        return Duration.ofMillis(Math.min(EtcdSession.CALL_TIMEOUT.toMillis(), Math.max(MIN_TIMEOUT_MILLIS, millis)));
    }

    @Override
    public boolean isConnected() {
        return session.isConnected();
    }

    @Override
    public boolean inLoop() {
        return session.loop().inLoop();
    }

    @Override
    public void runInLoop(Runnable task) {
        session.loop().run(task);
    }

    @Override
    public Future<?> schedule(Runnable task, long delayMillis) {
        return session.loop().schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletableFuture<Long> grant(long ttlSeconds) {
        return session.call(client -> client.getLeaseClient().grant(ttlSeconds), callTimeout).thenApply(grant -> grant.getID());
    }

    @Override
    public CompletableFuture<Long> keepAlive(long lease) {
        return session.call(client -> client.getLeaseClient().keepAliveOnce(lease), keepAliveTimeout).thenApply(kept -> kept.getTTL());
    }

    @Override
    public CompletableFuture<Long> put(String key, byte[] value, long lease) {
        return session.call(client -> client.getKVClient().put(Bytes.of(key), io.etcd.jetcd.ByteSequence.from(value),
                PutOption.builder().withLeaseId(lease).build()), callTimeout).thenApply(put -> put.getHeader().getRevision());
    }

    @Override
    public CompletableFuture<Long> delete(String key) {
        return session.call(client -> client.getKVClient().delete(Bytes.of(key)), callTimeout)
                .thenApply(deleted -> deleted.getHeader().getRevision());
    }

    @Override
    public CompletableFuture<Void> revoke(long lease) {
        return session.call(client -> client.getLeaseClient().revoke(lease), callTimeout).thenApply(revoked -> null);
    }

    @Override
    public AutoCloseable watch(String key, long fromRevision, WatchHandler handler) {
        return session.watch(key, false, fromRevision, handler);
    }
}
