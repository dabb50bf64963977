package dev.etcdagent.agent.etcd;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * The JVM's {@link Leases}: through etcd's JSON gateway ({@link GatewayLeases}) until the gRPC
 * session first connects, through the session ({@link SessionLeases}) from then on. The lease
 * granted through the gateway is kept: its keep-alives simply go the other way, so etcd sees no
 * change. Add it as a session listener before the presence.
 */
public final class HandoverLeases implements Leases, EtcdSession.Listener {

    private final GatewayLeases gateway;
    private final SessionLeases session;
    /** Set on the etcd loop. */
    private volatile Leases current;
    /** The connection that just took over from a gateway that answered every call, in the same cluster. */
    private boolean seamless;

    public HandoverLeases(GatewayLeases gateway, SessionLeases session) {
        this.gateway = gateway;
        this.session = session;
        this.current = gateway;
    }

    @Override
    public void connected(long clusterId, boolean clusterChanged) {
        seamless = false;
        if (current == gateway) {
            long gatewayCluster = gateway.clusterId();
            seamless = gateway.answeredEveryCall() && (gatewayCluster == 0 || gatewayCluster == clusterId);
            current = session;
        }
    }

    /**
     * Whether the connection being announced took over from the gateway with every key in place:
     * the presence then only starts its own-key watches instead of putting its keys again.
     */
    @Override
    public boolean tookOverInPlace() {
        return seamless;
    }

    @Override
    public boolean isConnected() {
        return current.isConnected();
    }

    @Override
    public boolean inLoop() {
        return current.inLoop();
    }

    @Override
    public void runInLoop(Runnable task) {
        current.runInLoop(task);
    }

    @Override
    public Future<?> schedule(Runnable task, long delayMillis) {
        return current.schedule(task, delayMillis);
    }

    @Override
    public CompletableFuture<Long> grant(long ttlSeconds) {
        return current.grant(ttlSeconds);
    }

    @Override
    public CompletableFuture<Long> keepAlive(long lease) {
        return current.keepAlive(lease);
    }

    @Override
    public CompletableFuture<Long> put(String key, byte[] value, long lease) {
        return current.put(key, value, lease);
    }

    @Override
    public CompletableFuture<Long> delete(String key) {
        return current.delete(key);
    }

    @Override
    public CompletableFuture<Void> revoke(long lease) {
        return current.revoke(lease);
    }

    @Override
    public AutoCloseable watch(String key, long fromRevision, WatchHandler handler) {
        return current.watch(key, fromRevision, handler);
    }
}
