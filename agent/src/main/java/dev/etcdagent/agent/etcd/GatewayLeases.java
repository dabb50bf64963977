package dev.etcdagent.agent.etcd;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.etcdagent.agent.log.AgentLog;

/**
 * {@link Leases} through etcd's JSON gateway, for the first seconds of a JVM: lease grant, put,
 * keep-alive, delete and revoke are plain JSON calls that the JDK's HTTP code makes in a few
 * milliseconds, so the JVM is registered as soon as it listens, without waiting for (and competing
 * with the application's start for) the gRPC session that {@link HandoverLeases} later hands the
 * same lease to. Plain {@code http://} without a user only.
 *
 * <p>Each call runs on the etcd loop and blocks it for at most its time limit (no other work is
 * there at that time: the session is not built yet); its future completes in a later task on the
 * loop, as the session's do. The first call that finds no endpoint answering starts the session at
 * once ({@code onLost}), but the gateway keeps the lease alive until the session takes it over: on a
 * starved host (fifty JVMs starting on two cores) one keep-alive can go unanswered while the session
 * still needs many seconds to connect, and the lease must not expire meanwhile. Only when no call was
 * answered for a whole ttl (the lease is gone anyway), or none ever was, or the endpoints serve no
 * gateway, does {@link #isConnected()} turn false for good.
 */
public final class GatewayLeases implements Leases {

    private final List<URI> endpoints;
    private final AgentLoop loop;
    private final Duration keepAliveTimeout;
    private final Duration callTimeout;
    private final Consumer<String> onLost;
    private final long ttlSeconds;
    private final long ttlNanos;
    private volatile boolean usable = true;
    // Written by the etcd loop's calls and the keeper's (HandoverLeases): each a fact of the last answer.
    /** Some call was answered: a later failure is a lost connection, not an etcd that never answered. */
    private volatile boolean answered;
    /** When a call was last answered; meaningful once {@link #answered}. */
    private volatile long lastAnswerNanos;
    /** On the etcd loop. */
    private boolean lossTold;
    /** The endpoint that answered last: asked first next time. */
    private volatile int preferred;
    private volatile long clusterId;

    /**
     * @param onLost told on the etcd loop, once, why no endpoint answered a call after earlier calls
     *               were answered (null when none ever was, or no endpoint serves the gateway, as etcd's
     *               gRPC proxy does not): the session must take over now, not when the application has
     *               settled
     */
    public GatewayLeases(List<URI> endpoints, AgentLoop loop, long ttlSeconds, Consumer<String> onLost) {
        this.endpoints = endpoints;
        this.loop = loop;
        this.keepAliveTimeout = SessionLeases.keepAliveTimeout(ttlSeconds);
        this.callTimeout = SessionLeases.callTimeout(ttlSeconds);
        this.onLost = onLost;
        this.ttlSeconds = ttlSeconds;
        this.ttlNanos = TimeUnit.SECONDS.toNanos(ttlSeconds);
    }

    /** Whether the gateway still serves; false for good once it cannot (see the class comment). */
    @Override
    public boolean isConnected() {
        return usable;
    }

    /** Whether every call was answered: then the keys are in place for the session to take over as they are. */
    boolean answeredEveryCall() {
        return usable && !lossTold;
    }

    long ttlSeconds() {
        return ttlSeconds;
    }

    /** The cluster that answered last, 0 before the first answer. */
    long clusterId() {
        return clusterId;
    }

    @Override
    public boolean inLoop() {
        return loop.inLoop();
    }

    @Override
    public void runInLoop(Runnable task) {
        loop.run(task);
    }

    @Override
    public Future<?> schedule(Runnable task, long delayMillis) {
        return loop.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletableFuture<Long> grant(long ttlSeconds) {
        return call("/v3/lease/grant", "{\"TTL\":" + ttlSeconds + "}", callTimeout, "ID");
    }

    @Override
    public CompletableFuture<Long> keepAlive(long lease) {
        // A lease etcd no longer has is answered with no TTL (0), as over gRPC.
        return call("/v3/lease/keepalive", "{\"ID\":" + lease + "}", keepAliveTimeout, "result.TTL");
    }

    @Override
    public CompletableFuture<Long> put(String key, byte[] value, long lease) {
        Base64.Encoder base64 = Base64.getEncoder();
        return call("/v3/kv/put", "{\"key\":\"" + base64.encodeToString(key.getBytes(StandardCharsets.UTF_8))
                + "\",\"value\":\"" + base64.encodeToString(value) + "\",\"lease\":" + lease + "}", callTimeout,
                "header.revision");
    }

    @Override
    public CompletableFuture<Long> delete(String key) {
        return call("/v3/kv/deleterange", "{\"key\":\""
                + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)) + "\"}", callTimeout,
                "header.revision");
    }

    @Override
    public CompletableFuture<Void> revoke(long lease) {
        return call("/v3/lease/revoke", "{\"ID\":" + lease + "}", callTimeout, "header.revision").thenApply(ignored -> null);
    }

    /** The gateway cannot watch: the own-key watches start when the session takes over. */
    @Override
    public AutoCloseable watch(String key, long fromRevision, WatchHandler handler) {
        return null;
    }

    /**
     * One keep-alive from the caller's thread, blocking it for at most the keep-alive's time limit: for
     * {@link HandoverLeases}'s keeper, which must not depend on the etcd loop.
     *
     * @return the TTL left, 0 or less when etcd no longer has the lease
     * @throws Exception etcd's refusal, or why no endpoint answered
     */
    long keepAliveBlocking(long lease) throws Exception {
        if (!usable) {
            throw new IOException("the JSON gateway is no longer used");
        }
        try {
            return post("/v3/lease/keepalive", "{\"ID\":" + lease + "}", keepAliveTimeout, "result.TTL");
        } catch (Unanswered unanswered) {
            throw unanswered.failure;
        }
    }

    /** Posts on the etcd loop, see {@link #post}; completes with the answer's {@code field} in a later task there. */
    private CompletableFuture<Long> call(String path, String body, Duration timeout, String field) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        if (!usable) {
            result.completeExceptionally(new IOException("the JSON gateway is no longer used"));
            return result;
        }
        try {
            long value = post(path, body, timeout, field);
            loop.execute(() -> result.complete(value));
        } catch (GatewayHttp.Refusal refusal) {
            // etcd refused the request itself (e.g. the lease is gone): the caller decides.
            loop.execute(() -> result.completeExceptionally(refusal));
        } catch (Unanswered unanswered) {
            Exception failed = unanswered.failure;
            String reason = unanswered.served && answered ? Errors.describe(failed) : null;
            boolean tell = !lossTold;
            lossTold = true;
            AgentLog.debug("etcd's JSON gateway did not answer " + path + " (" + AgentLog.describe(failed) + "); "
                    + (usable ? "it keeps the lease alive until the gRPC session takes over" : "the gRPC session takes over"));
            loop.execute(() -> {
                result.completeExceptionally(failed);
                if (tell) {
                    onLost.accept(reason);
                }
            });
        }
        return result;
    }

    /**
     * Posts to the endpoint that answered last, then to each other in turn, sharing {@code timeout}
     * between them; returns the answer's {@code field}. From the etcd loop or the keeper's thread.
     *
     * @throws GatewayHttp.Refusal etcd refused the request itself
     * @throws Unanswered no endpoint answered (or none has a leader); {@link #isConnected()} is updated
     */
    private long post(String path, String body, Duration timeout, String field) throws GatewayHttp.Refusal, Unanswered {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception failure = null;
        boolean served = false;
        for (int i = 0; i < endpoints.size(); i++) {
            int index = (preferred + i) % endpoints.size();
            int millis = (int) TimeUnit.NANOSECONDS.toMillis(
                    GatewayHttp.shareOf(deadline, endpoints.size() - i) - System.nanoTime());
            try {
                GatewayJson answer = GatewayJson.parse(GatewayHttp.post(endpoints.get(index), path, body, millis));
                preferred = index;
                answered = true;
                lastAnswerNanos = System.nanoTime();
                long answering = answer.unsigned("header.cluster_id");
                if (answering != 0) {
                    clusterId = answering;
                }
                return answer.number(field);
            } catch (GatewayHttp.Refusal refusal) {
                if (!Errors.isConnectivity(refusal)) {
                    throw refusal;
                }
                failure = refusal;
            } catch (GatewayHttp.NotServed e) {
                failure = failure != null ? failure : e;
                continue;
            } catch (IOException | RuntimeException e) {
                failure = e;
            }
            served = true;
        }
        // No endpoint answered (or none has a leader): the session's member checks and probes take over.
        usable = stillServes(served, answered, lastAnswerNanos, System.nanoTime(), ttlNanos);
        throw new Unanswered(failure, served);
    }

    /** No endpoint answered a call. */
    private static final class Unanswered extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Exception failure;
        /** Some endpoint serves the gateway (it failed to answer, rather than not being a gateway at all). */
        final boolean served;

        Unanswered(Exception failure, boolean served) {
            super(null, null, false, false);
            this.failure = failure;
            this.served = served;
        }
    }

    /**
     * After a call no endpoint answered: whether the gateway is still worth asking until the session
     * takes over. Not when no endpoint serves it, or none ever answered (the session starts as it would
     * have without the gateway), or none answered for a whole ttl: the lease has expired by then.
     */
    static boolean stillServes(boolean served, boolean answered, long lastAnswerNanos, long nowNanos, long ttlNanos) {
        return served && answered && nowNanos - lastAnswerNanos < ttlNanos;
    }
}
