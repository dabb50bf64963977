package dev.etcdagent.agent.etcd;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import dev.etcdagent.agent.config.AgentArguments;
import dev.etcdagent.agent.log.AgentLog;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.etcd.jetcd.options.GetOption;

/**
 * The JVM's one connection to etcd, supervised.
 *
 * <p>Every failed call is reported here. A failure that looks like lost connectivity starts a check
 * of every member's status ({@link MemberChoice} decides from it): a dead member is left to the
 * client, which carries on through the others; a member cut off from its peers (no leader) or
 * silent is avoided, and the client is rebuilt once over the others; when no member is healthy the
 * connection is lost, and the endpoints are probed with a plain TCP connect every half second
 * until one answers (gRPC's own reconnect back-off can leave a channel idle for minutes). A new
 * client serves only once a linearizable read (which needs a leader) has succeeded through it; the
 * old one serves until then. Listeners are then told, and re-read, re-watch and re-register. All
 * of this runs on the agent's single thread.
 */
public final class EtcdSession implements EtcdCalls {

    /** Told on the etcd loop whenever a new, verified client is in place. */
    public interface Listener {
        void connected(long clusterId, boolean clusterChanged);

        /** The first connection attempt failed: whoever waits for etcd's first answer waits no more. */
        default void unreachable() {
        }
    }

    static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);
    /**
     * The first client's first call also loads and JIT-compiles gRPC, Netty and protobuf: on a starved
     * CPU (ten JVMs starting on two cores) that alone can take over {@link #CALL_TIMEOUT}. When the JSON
     * gateway answered moments before, etcd is known to be there, and a "does not answer" would be false.
     */
    static final Duration FIRST_CALL_AFTER_GATEWAY = Duration.ofSeconds(10);
    private static final long PROBE_MILLIS = 500;
    private static final int PROBE_CONNECT_TIMEOUT_MILLIS = 300;
    private static final long CLOSE_MILLIS = 200;
    private static final Duration MEMBER_CHECK_TIMEOUT = Duration.ofSeconds(2);
    private static final long RECHECK_MILLIS = 1_000;
    /** No answer for this long on a connection whose members all answer: it is stuck. */
    private static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(1_000);
    private static final long STALL_REBUILD_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Long enough for a partition to heal; a member found healthy by a later check is used again at once. */
    private static final long AVOID_MILLIS = 60_000;

    private final AgentArguments arguments;
    private final AgentLoop loop;
    private final ClientFactory clientFactory;
    private final MemberChoice members;
    private final String verificationKey;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    private volatile Client client;
    private List<URI> clientEndpoints = List.of();
    private volatile boolean connected;
    private long clusterId;
    private boolean probing;
    /** A member check or a rebuild is under way: failures meanwhile add nothing. */
    private boolean checking;
    /** The check under way was started by a call that got no answer in time. */
    private boolean checkAfterSilence;
    /** When the current client last answered a call; set on the etcd loop. */
    private long lastAnswerNanos = System.nanoTime();
    private long lastStallRebuildNanos;
    private long disconnectedSinceNanos;
    private int failedVerifications;
    private boolean started;
    /** The loss was said already ({@link #startAfterLoss}): the first failed attempt adds no line. */
    private boolean lossSaid;
    /** The first verification's time-out was not WARNed, see {@link #verified}: the next failure is. */
    private boolean firstTimeoutExcused;
    private boolean everConnected;
    private int clientsBuilt;
    private List<URI> reportedDown = List.of();
    private boolean reportedNoLeader;

    public EtcdSession(AgentArguments arguments, AgentLoop loop) {
        this.arguments = arguments;
        this.loop = loop;
        this.clientFactory = new ClientFactory(arguments, loop);
        this.members = new MemberChoice(arguments.endpoints(), TimeUnit.MILLISECONDS.toNanos(AVOID_MILLIS));
        // A key the agent may read anyway (least privilege grants it); a refusal proves a leader too.
        this.verificationKey = arguments.configPrefix() != null ? arguments.configPrefix() + "/"
                : arguments.service() != null ? arguments.service() + "/" : "/";
    }

    /** The etcd loop: every call's answer, every watch event and every session decision runs there. */
    @Override
    public AgentLoop loop() {
        return loop;
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public boolean isConnected() {
        return connected;
    }

    /** Builds the first client and verifies it; on the etcd loop. Once: later calls do nothing. */
    public void start() {
        loop.execute(() -> {
            if (!started) {
                started = true;
                replaceClient(null);
            }
        });
    }

    /**
     * The cluster another way to etcd (the JSON gateway) read from before the session connected: if
     * the session's first connection finds another, that is a new cluster, as after a reconnection.
     */
    public void knownCluster(long id) {
        loop.execute(() -> {
            if (clusterId == 0 && id != 0) {
                clusterId = id;
            }
        });
    }

    /**
     * Another way to etcd (the JSON gateway) found no member answering: for the log that is a lost
     * connection, and the next verified client a reconnection. Starts as {@link #start} does when
     * not started yet; a session already connected carries on by itself.
     */
    public void startAfterLoss(String reason) {
        loop.execute(() -> {
            if (connected) {
                return;
            }
            if (disconnectedSinceNanos == 0) {
                disconnectedSinceNanos = System.nanoTime();
            }
            if (!lossSaid) {
                lossSaid = true;
                AgentLog.warn("lost connection to etcd " + text(members.endpoints()) + ": " + reason
                        + "; values stay as they are and reconnection is tried every " + PROBE_MILLIS + " ms");
            }
            if (!started) {
                started = true;
                replaceClient(null);
            }
        });
    }

    /**
     * Runs {@code call} on the current client with a time limit. The result completes on the agent
     * thread; a failure that looks like lost connectivity starts a check of the members.
     */
    @Override
    public <T> CompletableFuture<T> call(Function<Client, CompletableFuture<T>> call) {
        return call(call, CALL_TIMEOUT);
    }

    public <T> CompletableFuture<T> call(Function<Client, CompletableFuture<T>> call, Duration timeout) {
        Client current = client;
        CompletableFuture<T> result = new CompletableFuture<>();
        if (current == null) {
            result.completeExceptionally(new IllegalStateException("not connected to etcd"));
            return result;
        }
        CompletableFuture<T> future;
        try {
            future = call.apply(current);
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        loop.timeLimit(future, timeout).whenCompleteAsync((value, error) -> {
            if (error != null) {
                failed(current, error);
                result.completeExceptionally(Errors.unwrap(error));
            } else {
                if (current == client) {
                    lastAnswerNanos = System.nanoTime();
                }
                result.complete(value);
            }
        }, loop);
        return result;
    }

    /**
     * Reads a key, or every key under a prefix, through the current client: in pages, all at one
     * revision (see {@link RangeReader}); completes on the etcd loop.
     */
    public CompletableFuture<RangeRead> read(String key, boolean prefix) {
        return RangeReader.read(this, key, prefix);
    }

    /**
     * Watches a key or prefix from {@code fromRevision}; {@code null} when not connected (the
     * caller starts again when {@link Listener#connected} is called).
     */
    public KeyWatch watch(String key, boolean prefix, long fromRevision, WatchHandler handler) {
        Client current = client;
        if (current == null || !connected) {
            return null;
        }
        try {
            return new KeyWatch(loop, current, key, prefix, fromRevision, handler, this::failed);
        } catch (RuntimeException e) {
            failed(current, e);
            return null;
        }
    }

    /** Reports that a call or a watch on {@code failedClient} failed; on any thread. */
    public void failed(Client failedClient, Throwable error) {
        loop.execute(() -> {
            if (failedClient != client || !connected || checking || !Errors.isConnectivity(error)) {
                return;
            }
            AgentLog.debug("a call to etcd failed (" + Errors.describe(error) + "): checking every member");
            checking = true;
            checkAfterSilence = Errors.unwrap(error) instanceof TimeoutException;
            checkMembers();
        });
    }

    /** The current client; may be replaced at any time, never null once started. */
    public Client client() {
        return client;
    }

    /**
     * At JVM exit, on the exit hook's thread: ends the etcd loop without waiting for its task in
     * progress (Java code only, once a JSON gateway call is cut short), then closes every client and
     * waits, bounded, until its Vert.x event loop has ended, so that no thread of the agent is left in
     * native code ({@code epoll_wait}, a socket read) for HotSpot to wait on.
     */
    public void close() {
        loop.shutdownNow();
        // A JSON gateway call in progress (the first read of a short-lived JVM) would be in a socket read.
        GatewayHttp.abortAll();
        connected = false;
        client = null;
        clientFactory.closeAllAndWait(CLOSE_MILLIS);
    }

    /** Asks every member for its status, through the current client's settings; decides on the etcd loop. */
    private void checkMembers() {
        Client current = client;
        Map<URI, CompletableFuture<MemberChoice.Health>> checks = new LinkedHashMap<>();
        long[] answeringCluster = new long[1];
        for (URI endpoint : members.endpoints()) {
            CompletableFuture<MemberChoice.Health> health = new CompletableFuture<>();
            CompletableFuture<StatusResponse> status;
            try {
                status = current.getMaintenanceClient().statusMember(endpoint.toString());
            } catch (RuntimeException e) {
                status = CompletableFuture.failedFuture(e);
            }
            loop.timeLimit(status, MEMBER_CHECK_TIMEOUT).whenComplete((response, error) -> {
                if (error != null) {
                    health.complete(Errors.unwrap(error) instanceof TimeoutException ? MemberChoice.Health.SILENT
                            : MemberChoice.Health.DOWN);
                } else if (response.getLeader() != 0 && response.getErrorList().isEmpty()) {
                    answeringCluster[0] = response.getHeader().getClusterId();
                    health.complete(MemberChoice.Health.HEALTHY);
                } else {
                    health.complete(MemberChoice.Health.LEADERLESS);
                }
            });
            checks.put(endpoint, health);
        }
        CompletableFuture.allOf(checks.values().toArray(new CompletableFuture<?>[0])).whenCompleteAsync((done, error) -> {
            if (current != client || !connected) {
                checking = false;
                return;
            }
            Map<URI, MemberChoice.Health> health = new LinkedHashMap<>();
            checks.forEach((endpoint, future) -> health.put(endpoint, future.join()));
            decide(health, answeringCluster[0]);
        }, loop);
    }

    private void decide(Map<URI, MemberChoice.Health> health, long answeringCluster) {
        loop.checkInLoop("the session's state");
        AgentLog.debug("etcd members: " + health);
        if (answeringCluster != 0 && clusterId != 0 && answeringCluster != clusterId) {
            // etcd wiped and replaced at the same address: its keyspace is the truth, from a new client.
            replaceClient("another cluster answers, id " + Long.toHexString(answeringCluster));
            return;
        }
        switch (members.afterCheck(health, clientEndpoints, System.nanoTime())) {
            case CARRY_ON:
                if (connectionStalled()) {
                    replaceClient("no answer through the current connection for "
                            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastAnswerNanos)
                            + " ms while every member answers a new one");
                    return;
                }
                checking = false;
                if (reportedNoLeader) {
                    reportedNoLeader = false;
                    AgentLog.info("etcd " + text(members.endpoints()) + " has a leader again");
                }
                reportDown(health);
                break;
            case NO_LEADER:
                reportedNoLeader = true;
                AgentLog.warn("etcd " + text(members.endpoints()) + " has no leader (" + describe(health)
                        + "); values stay as they are until it elects one");
                checkAgain();
                break;
            case CHECK_AGAIN:
                checkAgain();
                break;
            case REBUILD:
                replaceClient(describe(health));
                break;
            case LOST:
            default:
                checking = false;
                lost(describe(health));
        }
    }

    /**
     * A call went unanswered, yet every member answers the check (made over new connections): the
     * client's own connection is stuck, typically in TCP's retransmission back-off after packets
     * were dropped, which can last seconds after the network healed. A new client connects afresh.
     */
    private boolean connectionStalled() {
        long now = System.nanoTime();
        if (!checkAfterSilence || now - lastAnswerNanos < STALL_NANOS
                || (lastStallRebuildNanos != 0 && now - lastStallRebuildNanos < STALL_REBUILD_INTERVAL_NANOS)) {
            return false;
        }
        lastStallRebuildNanos = now;
        return true;
    }

    private void checkAgain() {
        loop.schedule(() -> {
            if (connected && checking) {
                checkMembers();
            } else {
                checking = false;
            }
        }, RECHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** One line when the set of members refusing connections changes; the client carries on without them. */
    private void reportDown(Map<URI, MemberChoice.Health> health) {
        List<URI> down = new ArrayList<>();
        health.forEach((endpoint, state) -> {
            if (state == MemberChoice.Health.DOWN) {
                down.add(endpoint);
            }
        });
        if (!down.equals(reportedDown) && !down.isEmpty()) {
            AgentLog.info("etcd member " + text(down) + " refuses connections; carrying on through the others");
        }
        reportedDown = down;
    }

    private static String describe(Map<URI, MemberChoice.Health> health) {
        StringBuilder text = new StringBuilder();
        health.forEach((endpoint, state) -> {
            if (state != MemberChoice.Health.HEALTHY) {
                text.append(text.length() == 0 ? "" : ", ").append(endpoint).append(' ').append(
                        state == MemberChoice.Health.LEADERLESS ? "has no leader"
                                : state == MemberChoice.Health.SILENT ? "does not answer" : "refuses connections");
            }
        });
        return text.toString();
    }

    private void lost(String reason) {
        connected = false;
        disconnectedSinceNanos = System.nanoTime();
        AgentLog.warn("lost connection to etcd " + text(members.endpoints()) + ": " + reason
                + "; values stay as they are and reconnection is tried every " + PROBE_MILLIS + " ms");
        scheduleProbe(PROBE_MILLIS);
    }

    private void scheduleProbe(long delayMillis) {
        if (probing) {
            return;
        }
        probing = true;
        loop.schedule(() -> {
            probing = false;
            if (!connected) {
                if (anyEndpointAccepts()) {
                    replaceClient("reconnecting");
                } else {
                    scheduleProbe(PROBE_MILLIS);
                }
            }
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    private boolean anyEndpointAccepts() {
        for (URI endpoint : arguments.endpoints()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()),
                        PROBE_CONNECT_TIMEOUT_MILLIS);
                return true;
            } catch (Exception ignored) {
                // try the next endpoint
            }
        }
        return false;
    }

    /**
     * Builds a client over the usable members and verifies it; the current client (if any) serves
     * until the new one is verified. {@code reason} is null for the first client. On the etcd loop.
     */
    private void replaceClient(String reason) {
        loop.checkInLoop("the session's state");
        List<URI> over = members.usable(System.nanoTime());
        // Until a client is verified, each new one's first call links and compiles the same code again on a busy host.
        Duration limit = gatewayVouches() ? FIRST_CALL_AFTER_GATEWAY : CALL_TIMEOUT;
        if (clientsBuilt == 0) {
            // The first client loads and links Vert.x, Netty, gRPC and protobuf: a second of CPU or
            // more under load. Not on the etcd loop, where it would hold up the keep-alives that the
            // JSON gateway sends meanwhile.
            clientsBuilt++;
            // jetcd runs its calls and their completions on the executor it is given: for this first
            // call too, the connect thread, handed over to the loop once it is answered.
            ExecutorService connect = Executors.newSingleThreadExecutor(DaemonThreads.factory("etcd-agent-connect"));
            HandoffExecutor jetcdExecutor = new HandoffExecutor(connect);
            connect.execute(() -> {
                try {
                    Client fresh = clientFactory.create(over, jetcdExecutor);
                    verify(fresh, limit).whenCompleteAsync((newClusterId, error) -> {
                        jetcdExecutor.handTo(loop);
                        connect.shutdown();
                        verified(fresh, over, newClusterId, error);
                    }, loop);
                } catch (RuntimeException | LinkageError e) {
                    jetcdExecutor.handTo(loop);
                    connect.shutdown();
                    loop.execute(() -> cannotCreate(over, e));
                }
            });
            return;
        }
        Client fresh;
        try {
            fresh = clientFactory.create(over);
        } catch (RuntimeException e) {
            cannotCreate(over, e);
            return;
        }
        AgentLog.info("new etcd client over " + text(over) + " (" + reason + ")");
        clientsBuilt++;
        verify(fresh, limit).whenCompleteAsync((newClusterId, error) -> verified(fresh, over, newClusterId, error),
                loop);
    }

    private void cannotCreate(List<URI> over, Throwable error) {
        if (clientFactory.isClosed()) {
            return;
        }
        AgentLog.error("cannot create an etcd client for " + text(over) + ": " + AgentLog.describe(error)
                + "; check the endpoints, cacert, cert and key arguments");
        checking = false;
        retryLater();
    }

    /**
     * A linearizable read (it needs a leader: a member cut off from its peers cannot answer it) of a
     * key the agent may read; its header names the cluster. A refused permission proves a leader too,
     * and then the member list (which needs no permission) names the cluster.
     */
    private CompletableFuture<Long> verify(Client fresh, Duration limit) {
        GetOption countOnly = GetOption.builder().withCountOnly(true).withLimit(1).withSerializable(false).build();
        CompletableFuture<Long> result = new CompletableFuture<>();
        loop.timeLimit(fresh.getKVClient().get(Bytes.of(verificationKey), countOnly), limit)
                .whenComplete((response, error) -> {
                    if (error == null) {
                        result.complete(response.getHeader().getClusterId());
                    } else if (Errors.isPermissionDenied(error)) {
                        loop.timeLimit(fresh.getClusterClient().listMember(), CALL_TIMEOUT).whenComplete(
                                (list, listError) -> {
                                    if (listError == null) {
                                        result.complete(list.getHeader().getClusterId());
                                    } else {
                                        result.completeExceptionally(listError);
                                    }
                                });
                    } else {
                        result.completeExceptionally(error);
                    }
                });
        return result;
    }

    private void verified(Client fresh, List<URI> over, Long newClusterId, Throwable error) {
        checking = false;
        if (error != null) {
            clientFactory.close(fresh);
            Throwable cause = Errors.unwrap(error);
            if (Errors.isAuthentication(cause)) {
                if (failedVerifications == 0) {
                    AgentLog.error("etcd refused user '" + arguments.user() + "': " + Errors.describe(cause)
                            + "; check the user and its password (ETCD_AGENT_PASSWORD or password-file)");
                }
            } else if (gatewayVouches() && failedVerifications == 0 && cause instanceof TimeoutException) {
                // The JSON gateway answered moments ago, and keeps the lease and the values meanwhile: etcd
                // is there, this host is too busy to link gRPC in time (fifty JVMs starting on two cores).
                firstTimeoutExcused = true;
                AgentLog.debug("the first gRPC call through " + text(over) + " was not answered in time ("
                        + Errors.describe(cause) + ") while etcd's JSON gateway answers; trying a new client");
            } else if ((failedVerifications == (firstTimeoutExcused ? 1 : 0) && !lossSaid)
                    || AgentLog.enabled(AgentLog.Level.DEBUG)) {
                AgentLog.warn("etcd " + text(over) + " does not answer: " + Errors.describe(cause)
                        + (connected ? "; carrying on with the current client" : "; retrying in the background,"
                        + " the application runs on"));
            }
            if (!connected) {
                retryLater();
            }
            // Else the current client carries on, and its next failure checks the members again.
            return;
        }
        Client old = client;
        client = fresh;
        clientEndpoints = over;
        lastAnswerNanos = System.nanoTime();
        connectedWith(newClusterId);
        if (old != null) {
            clientFactory.close(old);
        }
    }

    /**
     * No client verified yet, but etcd's JSON gateway answered (the only way clusterId is known before the
     * first connection): etcd is there, and a slow first gRPC call is this host's slowness, not etcd's.
     */
    private boolean gatewayVouches() {
        return client == null && clusterId != 0;
    }

    private void connectedWith(long newClusterId) {
        // A first verification excused as a busy host's was no lost connection.
        boolean wasDisconnected = disconnectedSinceNanos != 0 && !(firstTimeoutExcused && !everConnected);
        boolean firstConnection = !everConnected;
        everConnected = true;
        boolean clusterChanged = clusterId != 0 && newClusterId != 0 && newClusterId != clusterId;
        if (newClusterId != 0) {
            clusterId = newClusterId;
        }
        connected = true;
        failedVerifications = 0;
        lossSaid = false;
        String newCluster = clusterChanged ? "; it is a new cluster (id " + Long.toHexString(newClusterId)
                + "): its keyspace is now the truth" : "";
        if (wasDisconnected) {
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - disconnectedSinceNanos);
            AgentLog.info("reconnected to etcd " + text(clientEndpoints) + " after " + millis + " ms" + newCluster);
        } else if (firstConnection) {
            AgentLog.info("connected to etcd " + text(clientEndpoints) + " (cluster " + Long.toHexString(clusterId) + ")"
                    + newCluster);
        } else if (clusterChanged) {
            AgentLog.info("etcd " + text(clientEndpoints) + " answers again" + newCluster);
        }
        disconnectedSinceNanos = 0;
        for (Listener listener : listeners) {
            try {
                listener.connected(clusterId, clusterChanged);
            } catch (RuntimeException e) {
                AgentLog.error("internal error after connecting", e);
            }
        }
    }

    private void retryLater() {
        connected = false;
        if (disconnectedSinceNanos == 0) {
            disconnectedSinceNanos = System.nanoTime();
        }
        failedVerifications++;
        if (failedVerifications == 1) {
            for (Listener listener : listeners) {
                listener.unreachable();
            }
        }
        // A fresh client per attempt would churn threads while etcd is frozen: back off to 5 s.
        long delay = Math.min(5_000, PROBE_MILLIS * (1L << Math.min(failedVerifications - 1, 4)));
        scheduleProbe(delay);
    }

    private static String text(List<URI> endpoints) {
        StringBuilder text = new StringBuilder();
        for (URI endpoint : endpoints) {
            text.append(text.length() == 0 ? "" : ";").append(endpoint);
        }
        return text.toString();
    }

}
