package dev.etcdagent.agent.etcd;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.etcdagent.agent.log.AgentLog;

/**
 * The JVM's {@link Leases}: through etcd's JSON gateway ({@link GatewayLeases}) until the gRPC
 * session first connects, through the session ({@link SessionLeases}) from then on. The lease
 * granted through the gateway is kept: its keep-alives simply go the other way, so etcd sees no
 * change. Add it as a session listener before the presence.
 *
 * <p>From the gateway's grant until the session has answered {@link #SESSION_ANSWERS} keep-alives, a
 * keeper on a thread of its own also sends the gateway's keep-alive every ttl/3. The etcd loop is not
 * always free for them: a second client is built there when the first one's check went unanswered, and
 * the session's first reads, watches and their answers are loaded and linked there after the takeover.
 * On a starved host (fifty JVMs starting on two cores) that held up the loop, and with it every
 * keep-alive, for 10 to 11 s: longer than the ttl. The keeper's one blocking JSON call needs none of it.
 */
public final class HandoverLeases implements Leases, EtcdSession.Listener {

    private final GatewayLeases gateway;
    private final SessionLeases session;
    /** Set on the etcd loop. */
    private volatile Leases current;
    /** The connection that just took over from a gateway that answered every call, in the same cluster. */
    private boolean seamless;
    /** Keep-alives the session answered since the takeover; on the etcd loop, as {@link #keeper}. */
    private int sessionAnswers;
    /** The lease last granted or kept alive through these leases; 0 once revoked. */
    private volatile long lease;
    /** Set once the session has answered {@link #SESSION_ANSWERS} keep-alives: the keeper ends. */
    private volatile boolean sessionKeepsAlive;
    private ScheduledExecutorService keeper;

    /** By then the session's first reads and watches are answered, and its keep-alive path is warm. */
    static final int SESSION_ANSWERS = 2;

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

    /** The gateway keeps the lease alive from its own thread until the session does; see the class comment. */
    private void startKeeper() {
        if (keeper != null && !keeper.isShutdown()) {
            return;
        }
        keeper = Executors.newSingleThreadScheduledExecutor(DaemonThreads.factory("etcd-agent-lease"));
        ScheduledExecutorService own = keeper;
        long period = Leases.keepAlivePeriodMillis(gateway.ttlSeconds());
        own.scheduleWithFixedDelay(() -> {
            long kept = lease;
            if (kept == 0 || sessionKeepsAlive || !gateway.isConnected()) {
                own.shutdown();
                return;
            }
            try {
                if (gateway.keepAliveBlocking(kept) <= 0) {
                    // Gone: the session's next keep-alive finds that out too, and the presence registers again.
                    own.shutdown();
                }
            } catch (Exception e) {
                AgentLog.debug("keep-alive of lease " + Long.toHexString(kept) + " through the JSON gateway failed ("
                        + AgentLog.describe(e) + "); the session's keep-alives go on");
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    private void stopKeeper() {
        if (keeper != null) {
            keeper.shutdownNow();
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
        Leases granting = current;
        return granting.grant(ttlSeconds).whenComplete((granted, error) -> {
            if (error == null) {
                lease = granted;
                if (granting == gateway && !sessionKeepsAlive) {
                    startKeeper();
                }
            }
        });
    }

    @Override
    public CompletableFuture<Long> keepAlive(long kept) {
        lease = kept;
        Leases keeping = current;
        CompletableFuture<Long> answer = keeping.keepAlive(kept);
        if (keeping == session && !sessionKeepsAlive) {
            answer.thenAccept(ttlLeft -> {
                if (ttlLeft > 0 && ++sessionAnswers >= SESSION_ANSWERS) {
                    sessionKeepsAlive = true;
                    stopKeeper();
                }
            });
        }
        return answer;
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
    public CompletableFuture<Void> revoke(long revoked) {
        if (revoked == lease) {
            lease = 0;
            stopKeeper();
        }
        return current.revoke(revoked);
    }

    @Override
    public AutoCloseable watch(String key, long fromRevision, WatchHandler handler) {
        return current.watch(key, fromRevision, handler);
    }
}
