package dev.etcdagent.agent.etcd;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.options.PutOption;

/** {@link Leases} through the JVM's supervised session: every call has its time limit and reports lost connectivity. */
public final class SessionLeases implements Leases {

    private final EtcdSession session;
    private volatile Thread loopThread;

    public SessionLeases(EtcdSession session) {
        this.session = session;
        // The loop has one thread for the JVM's life: learn which it is. Not a lambda: this runs in premain.
        session.loop().execute(new Runnable() {
            @Override
            public void run() {
                loopThread = Thread.currentThread();
            }
        });
    }

    @Override
    public boolean isConnected() {
        return session.isConnected();
    }

    @Override
    public boolean inLoop() {
        return Thread.currentThread() == loopThread;
    }

    @Override
    public void runInLoop(Runnable task) {
        if (inLoop()) {
            task.run();
        } else {
            session.loop().execute(task);
        }
    }

    @Override
    public Future<?> schedule(Runnable task, long delayMillis) {
        return session.scheduler().schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletableFuture<Long> grant(long ttlSeconds) {
        return session.call(client -> client.getLeaseClient().grant(ttlSeconds)).thenApply(grant -> grant.getID());
    }

    @Override
    public CompletableFuture<Long> keepAlive(long lease) {
        return session.call(client -> client.getLeaseClient().keepAliveOnce(lease)).thenApply(kept -> kept.getTTL());
    }

    @Override
    public CompletableFuture<Long> put(String key, byte[] value, long lease) {
        return session.call(client -> client.getKVClient().put(Bytes.of(key), io.etcd.jetcd.ByteSequence.from(value),
                PutOption.builder().withLeaseId(lease).build())).thenApply(put -> put.getHeader().getRevision());
    }

    @Override
    public CompletableFuture<Long> delete(String key) {
        return session.call(client -> client.getKVClient().delete(Bytes.of(key)))
                .thenApply(deleted -> deleted.getHeader().getRevision());
    }

    @Override
    public CompletableFuture<Void> revoke(long lease) {
        return session.call(client -> client.getLeaseClient().revoke(lease)).thenApply(revoked -> null);
    }

    @Override
    public AutoCloseable watch(String key, long fromRevision, WatchHandler handler) {
        return session.watch(key, false, fromRevision, handler);
    }
}
