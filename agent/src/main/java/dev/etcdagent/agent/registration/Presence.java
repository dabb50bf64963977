package dev.etcdagent.agent.registration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import dev.etcdagent.agent.etcd.Change;
import dev.etcdagent.agent.etcd.Errors;
import dev.etcdagent.agent.etcd.EtcdSession;
import dev.etcdagent.agent.etcd.Leases;
import dev.etcdagent.agent.etcd.WatchHandler;
import dev.etcdagent.agent.log.AgentLog;

/**
 * The JVM's presence in etcd: its one lease, and the keys bound to it (the registration
 * {@code {service}/{instance}}, the status record). The keys live exactly as long as the JVM.
 *
 * <p>Contract:
 * <ul>
 * <li>{@link #publish} puts a key on the JVM's lease as soon as etcd answers, granting the lease
 *     at first need, and keeps it there: when the lease is lost (expired in an outage, revoked by an
 *     operator, a new cluster), when the key is deleted by someone else, and after every
 *     reconnection, the key is put again (on a new lease if need be). Publishing a key again
 *     replaces its value.</li>
 * <li>{@link #withdraw} deletes a key and stops keeping it. When no key is left the lease is
 *     revoked; a later {@code publish} grants a new one.</li>
 * <li>{@link #stop} is for JVM exit: from the moment it is called nothing is granted or put any
 *     more, whatever answer arrives late (but one last value it is given, put right before the
 *     revoke); the lease is revoked, so every key goes at once, and nothing brings them back.</li>
 * <li>All three may be called from any thread; they act on the etcd loop in call order (at
 *     once when called there). Keys are full etcd keys; values are bytes, stored as given.</li>
 * </ul>
 *
 * <p>The lease is kept alive with one keep-alive call every ttl/3, never skipped because another
 * call is pending (jetcd's streaming keep-alive can end silently and never grants a lost lease
 * again). State is owned by the etcd loop, see {@link State}.
 */
public final class Presence implements EtcdSession.Listener {

    /** Where the presence is; changes only on the etcd loop. */
    public enum State {
        /** Nothing published yet. */
        STARTING,
        /** Keys to publish, not all of them on a live lease yet (first grant, or after a loss). */
        REGISTERING,
        /** Every published key is in etcd on the live lease. */
        REGISTERED,
        /** Every key was withdrawn; the lease is revoked. */
        WITHDRAWN,
        /** {@link #stop} was called: the lease is being revoked; nothing is granted or put again. */
        STOPPING,
        /** The lease is revoked (or etcd could not be asked); final. */
        STOPPED
    }

    private static final long RETRY_MILLIS = 1_000;
    /** Within one keep-alive period: the first try and two more, through the other members of three. */
    private static final int KEEP_ALIVE_ATTEMPTS = 3;
    private static final long QUICK_RETRY_MILLIS = 50;
    private static final long MAX_REFUSAL_RETRY_MILLIS = 30_000;
    /**
     * How long a last value put at exit may hold up the revoke when etcd does not answer it: etcd answers a
     * put in a few milliseconds, and then the revoke goes at once. Long enough that etcd, on a busy host,
     * does not take up a revoke sent this much later before the put (at 20 ms it did, about once in ten
     * runs of a loaded test machine); short against the exit hook's 500 ms for the revoke.
     */
    static final long LAST_PUT_MILLIS = 150;

    private final Leases leases;
    private final long ttlSeconds;
    private final Map<String, Published> keys = new LinkedHashMap<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    private volatile State state = State.STARTING;
    /** Set by {@link #stop} on the caller's thread before anything else: every path checks it. */
    private volatile boolean stopping;
    /** Written on the etcd loop only; read by {@link #stop} from the exit hook. */
    private volatile long lease;
    private boolean granting;
    private Future<?> keepAlive;
    private Future<?> retry;
    private long refusalRetryMillis = RETRY_MILLIS;
    /** Refusals already explained in a WARN; cleared once every key is in etcd. */
    private final Set<String> explained = new HashSet<>();

    public Presence(Leases leases, long ttlSeconds) {
        this.leases = leases;
        this.ttlSeconds = ttlSeconds;
    }

    public State state() {
        return state;
    }

    /** Puts {@code key} = {@code value} on the JVM's lease and keeps it there until withdrawn or stopped. */
    public void publish(String key, byte[] value) {
        byte[] copy = value.clone();
        leases.runInLoop(() -> {
            assertInLoop();
            if (stopping) {
                return;
            }
            Published entry = keys.get(key);
            if (entry != null && Arrays.equals(entry.value, copy)) {
                return;
            }
            if (entry == null) {
                entry = new Published(key);
                keys.put(key, entry);
            }
            entry.value = copy;
            entry.revision = 0;
            sync();
        });
    }

    /** Deletes {@code key} from etcd and stops keeping it; the lease is revoked when no key is left. */
    public void withdraw(String key) {
        leases.runInLoop(() -> {
            assertInLoop();
            Published entry = keys.remove(key);
            if (entry == null || stopping) {
                return;
            }
            entry.closeWatch();
            if (keys.isEmpty()) {
                revokeLease();
                setState(State.WITHDRAWN);
            } else if (entry.revision != 0 && leases.isConnected()) {
                // A put still in flight deletes its key itself when it lands (see put).
                leases.delete(key).whenComplete((revision, error) -> {
                    if (error != null) {
                        AgentLog.debug("deleting " + key + " failed; it goes with the lease", error);
                    }
                });
            }
        });
    }

    /**
     * Revokes the lease, so every key goes at once, and ends the presence for good. The future
     * completes when etcd confirmed, or at once when there is nothing etcd could be asked.
     */
    public CompletableFuture<Void> stop() {
        return stop(null, null);
    }

    /**
     * As {@link #stop()}, first putting {@code lastKey} = {@code lastValue} on the lease when that key is
     * published (a status record saying the JVM is stopping, so that readers tell a normal exit from an
     * expired lease). The revoke is sent once etcd has answered that put, or after
     * {@link #LAST_PUT_MILLIS} at most, so that a slow etcd does not slow the exit: a put sent that long
     * before the revoke is in practice ordered first, and if not, the key simply goes without it.
     */
    public CompletableFuture<Void> stop(String lastKey, byte[] lastValue) {
        byte[] last = lastValue == null ? null : lastValue.clone();
        stopping = true;
        if (lease == 0 && !leases.inLoop()) {
            // No lease to revoke: no need to wait for the etcd loop, which may be busy connecting.
            // A grant answered later is revoked unused.
            stopped.complete(null);
        }
        leases.runInLoop(() -> {
            assertInLoop();
            if (state == State.STOPPING || state == State.STOPPED) {
                return;
            }
            setState(State.STOPPING);
            cancel(keepAlive);
            cancel(retry);
            for (Published entry : keys.values()) {
                entry.closeWatch();
            }
            long revoked = lease;
            lease = 0;
            if (revoked == 0 || !leases.isConnected()) {
                finishStop();
                return;
            }
            if (last == null || !keys.containsKey(lastKey)) {
                revokeAtExit(revoked);
                return;
            }
            boolean[] revoking = new boolean[1];
            Runnable revokeOnce = () -> {
                if (!revoking[0]) {
                    revoking[0] = true;
                    revokeAtExit(revoked);
                }
            };
            // The put first, the bound after: the client sends a call in a task of its own on this loop, and
            // a bound already due when that task is queued (a put slow to hand over, on a busy host) would run
            // first and send the revoke ahead of the put, which etcd then refuses: no last words.
            leases.put(lastKey, last, revoked).whenComplete((revision, error) -> revokeOnce.run());
            leases.schedule(revokeOnce, LAST_PUT_MILLIS);
        });
        return stopped;
    }

    private void revokeAtExit(long revoked) {
        leases.revoke(revoked).whenComplete((done, error) -> {
            if (error != null) {
                AgentLog.debug("revoking lease " + Long.toHexString(revoked) + " at exit failed; etcd expires it"
                        + " within " + ttlSeconds + " s", error);
            }
            finishStop();
        });
    }

    @Override
    public void connected(long clusterId, boolean clusterChanged) {
        assertInLoop();
        if (stopping) {
            return;
        }
        if (leases.tookOverInPlace()) {
            // The session took over a lease whose keys are in etcd, in the cluster it connected to:
            // keep them as they are (etcd sees no change) and watch each from its put, which also
            // catches a delete made meanwhile.
            for (Published entry : keys.values()) {
                if (entry.revision != 0 && entry.watch == null) {
                    watch(entry);
                }
            }
            sync();
            return;
        }
        if (clusterChanged && lease != 0) {
            AgentLog.info("lease " + Long.toHexString(lease) + " belonged to the old cluster; granting a new one");
            forgetLease();
        }
        // Keys may have gone while disconnected (the lease expired, etcd was wiped): put them all again.
        // A put on a lease etcd no longer has fails with "lease not found", and a new one is granted.
        for (Published entry : keys.values()) {
            entry.closeWatch();
            entry.revision = 0;
        }
        sync();
    }

    /** Brings etcd in line with {@link #keys}; on the etcd loop. */
    private void sync() {
        assertInLoop();
        if (stopping || keys.isEmpty()) {
            return;
        }
        if (!leases.isConnected()) {
            setState(State.REGISTERING);
            return;
        }
        if (lease == 0) {
            grant();
            return;
        }
        for (Published entry : new ArrayList<>(keys.values())) {
            if (entry.revision == 0 && !entry.putting) {
                put(entry);
            }
        }
        updateState();
    }

    private void grant() {
        if (granting) {
            return;
        }
        granting = true;
        setState(State.REGISTERING);
        leases.grant(ttlSeconds).whenComplete((granted, error) -> {
            granting = false;
            if (error == null && (stopping || keys.isEmpty())) {
                // Granted after stop() or after the last withdraw: nothing may use it.
                leases.revoke(granted);
                return;
            }
            if (stopping) {
                return;
            }
            if (error != null) {
                failed("cannot grant a lease of " + ttlSeconds + " s for " + keys.keySet(), error);
                return;
            }
            lease = granted;
            scheduleKeepAlive();
            sync();
        });
    }

    private void put(Published entry) {
        long onLease = lease;
        byte[] sent = entry.value;
        // One INFO line per key: a status record is put again at every change the JVM applies.
        boolean first = entry.everPut == null;
        entry.putting = true;
        leases.put(entry.key, sent, onLease).whenComplete((revision, error) -> {
            entry.putting = false;
            if (stopping) {
                return;
            }
            if (keys.get(entry.key) != entry) {
                // Withdrawn meanwhile; with no key left the lease is revoked, which deletes it.
                if (error == null && !keys.containsKey(entry.key) && onLease == lease && lease != 0) {
                    leases.delete(entry.key);
                }
                return;
            }
            if (error != null) {
                if (onLease != lease) {
                    sync();
                } else if (Errors.isLeaseNotFound(error)) {
                    leaseLost(onLease, "is gone");
                } else {
                    failed("cannot put " + entry.key, error);
                }
                return;
            }
            if (onLease != lease || sent != entry.value) {
                sync();
                return;
            }
            entry.revision = revision;
            entry.everPut = sent;
            if (first) {
                AgentLog.info("registered " + entry.key + " (lease " + Long.toHexString(onLease) + ", ttl "
                        + ttlSeconds + " s)");
            } else {
                AgentLog.debug("put " + entry.key + " again (lease " + Long.toHexString(onLease) + ", revision "
                        + revision + ")");
            }
            // A new value on the same lease keeps the watch it has: a watch is a gRPC stream, and a status
            // record is put again at every change the JVM applies.
            if (entry.watch == null) {
                watch(entry);
            }
            updateState();
        });
    }

    /** An operator's {@code del} or {@code lease revoke} deletes a key: put it back at once. */
    private void watch(Published entry) {
        entry.closeWatch();
        entry.watch = leases.watch(entry.key, entry.revision + 1, new WatchHandler() {
            @Override
            public void changed(List<Change> changes) {
                for (Change change : changes) {
                    if (change.isDelete() && !stopping && keys.get(entry.key) == entry
                            && entry.revision != 0 && change.revision > entry.revision) {
                        AgentLog.warn(entry.key + " was deleted in etcd (revision " + change.revision
                                + ") while this JVM lives; registering again");
                        entry.closeWatch();
                        entry.revision = 0;
                        sync();
                        return;
                    }
                }
            }

            @Override
            public void ended(Throwable error, boolean compacted) {
                entry.watch = null;
                if (stopping || keys.get(entry.key) != entry || !leases.isConnected()) {
                    // A lost connection puts every key again on reconnection.
                    return;
                }
                // The key may have gone while nothing watched it: put it again, which watches anew.
                entry.revision = 0;
                if (compacted) {
                    sync();
                } else {
                    scheduleRetry(RETRY_MILLIS);
                }
            }
        });
    }

    private void scheduleKeepAlive() {
        cancel(keepAlive);
        keepAlive = leases.schedule(this::keepAliveOnce, Leases.keepAlivePeriodMillis(ttlSeconds));
    }

    private void keepAliveOnce() {
        assertInLoop();
        long kept = lease;
        if (stopping || kept == 0) {
            return;
        }
        scheduleKeepAlive();
        if (!leases.isConnected()) {
            return;
        }
        sendKeepAlive(kept, 1);
    }

    /**
     * One keep-alive. The session gives it ttl/3 to answer; one that fails or goes unanswered (a
     * member cut off from its peers holds it) is sent again at once, and the client's round-robin
     * sends it through another member, so that one member's trouble never costs the lease.
     */
    private void sendKeepAlive(long kept, int attempt) {
        leases.keepAlive(kept).whenComplete((ttlLeft, error) -> {
            if (stopping || kept != lease) {
                return;
            }
            if ((error == null && ttlLeft <= 0) || (error != null && Errors.isLeaseNotFound(error))) {
                leaseLost(kept, "expired or was revoked");
            } else if (error != null && attempt < KEEP_ALIVE_ATTEMPTS && leases.isConnected()) {
                AgentLog.debug("keep-alive of lease " + Long.toHexString(kept) + " failed (" + AgentLog.describe(error)
                        + "); sending it again");
                sendKeepAlive(kept, attempt + 1);
            }
        });
    }

    private void leaseLost(long which, String what) {
        if (which != lease || which == 0) {
            return;
        }
        AgentLog.warn("lease " + Long.toHexString(which) + " of " + keys.keySet() + " " + what + "; registering again");
        forgetLease();
        sync();
    }

    private void forgetLease() {
        lease = 0;
        cancel(keepAlive);
        for (Published entry : keys.values()) {
            entry.closeWatch();
            entry.revision = 0;
        }
    }

    private void revokeLease() {
        cancel(keepAlive);
        cancel(retry);
        long revoked = lease;
        lease = 0;
        if (revoked != 0 && leases.isConnected()) {
            leases.revoke(revoked).whenComplete((done, error) -> {
                if (error != null) {
                    AgentLog.debug("revoking lease " + Long.toHexString(revoked) + " failed; etcd expires it", error);
                }
            });
        }
    }

    /**
     * A refused or failed call while connected. An unanswered one is sent again almost at once (the
     * client's round-robin takes it to another member); a refusal is explained once per cause and
     * tried again in a second.
     */
    private void failed(String what, Throwable error) {
        if (!leases.isConnected()) {
            return;
        }
        if (Errors.isConnectivity(error)) {
            AgentLog.debug(what + ": " + AgentLog.describe(error) + "; trying again");
            scheduleRetry(QUICK_RETRY_MILLIS);
            return;
        }
        // A refusal that lasts (a missing grant) must not cost a WARN and a raft write every second.
        long delay = refusalRetryMillis;
        refusalRetryMillis = Math.min(MAX_REFUSAL_RETRY_MILLIS, refusalRetryMillis * 2);
        if (explained.add(what + ": " + AgentLog.describe(error))) {
            AgentLog.warn(what + ": " + AgentLog.describe(error) + (Errors.isPermissionDenied(error)
                    ? " (the etcd user needs readwrite on these keys, and lease grant and keep-alive)" : "")
                    + "; trying again in " + delay + " ms, then less often (up to every "
                    + MAX_REFUSAL_RETRY_MILLIS / 1000 + " s)");
        }
        scheduleRetry(delay);
    }

    private void scheduleRetry(long delayMillis) {
        if (retry == null || retry.isDone()) {
            retry = leases.schedule(this::sync, delayMillis);
        }
    }

    private void updateState() {
        if (stopping || keys.isEmpty()) {
            return;
        }
        for (Published entry : keys.values()) {
            if (entry.revision == 0) {
                setState(State.REGISTERING);
                return;
            }
        }
        refusalRetryMillis = RETRY_MILLIS;
        explained.clear();
        setState(State.REGISTERED);
    }

    private void finishStop() {
        setState(State.STOPPED);
        stopped.complete(null);
    }

    private void setState(State next) {
        if (state != next) {
            AgentLog.debug("presence: " + state + " -> " + next);
            state = next;
        }
    }

    private void assertInLoop() {
        if (!leases.inLoop()) {
            throw new IllegalStateException("the presence's state belongs to the etcd loop (agent thread etcd-agent), not "
                    + Thread.currentThread().getName());
        }
    }

    private static void cancel(Future<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }

    /** One key kept on the lease. */
    private static final class Published {
        final String key;
        byte[] value;
        /** The last value put successfully; null until the first put, which is logged. */
        byte[] everPut;
        /** The revision of its put on the current lease; 0 while it is not known to be in etcd. */
        long revision;
        boolean putting;
        AutoCloseable watch;

        Published(String key) {
            this.key = key;
        }

        void closeWatch() {
            if (watch != null) {
                try {
                    watch.close();
                } catch (Exception ignored) {
                    // a watch of a closed client is over anyway
                }
                watch = null;
            }
        }
    }
}
