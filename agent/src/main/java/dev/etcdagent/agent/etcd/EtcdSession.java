package dev.etcdagent.agent.etcd;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import dev.etcdagent.agent.config.AgentArguments;
import dev.etcdagent.agent.log.AgentLog;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.cluster.MemberListResponse;
import io.etcd.jetcd.options.GetOption;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.impl.VertxThread;

/**
 * The JVM's one connection to etcd, supervised.
 *
 * <p>jetcd alone does not recover well: gRPC's reconnect back-off can leave a channel idle for
 * minutes after a long outage. So every failed call is reported here; the session then probes
 * the endpoints with a plain TCP connect every half second and, once one answers, replaces the
 * client with a fresh one (no back-off state), verifies it with a read, and tells its listeners,
 * which re-read, re-watch and re-register. All of this runs on the agent's single thread.
 */
public final class EtcdSession {

    /** Told on the agent thread whenever a new, verified client is in place. */
    public interface Listener {
        void connected(long clusterId, boolean clusterChanged);

        /** The first connection attempt failed: whoever waits for etcd's first answer waits no more. */
        default void unreachable() {
        }
    }

    static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);
    private static final long PROBE_MILLIS = 500;
    private static final int PROBE_CONNECT_TIMEOUT_MILLIS = 300;
    private static final long CLOSE_MILLIS = 200;

    private final AgentArguments arguments;
    private final ScheduledExecutorService loop;
    private final ClientFactory clientFactory;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    private volatile Client client;
    private volatile boolean connected;
    private long clusterId;
    private boolean probing;
    private long disconnectedSinceNanos;
    private int failedVerifications;

    public EtcdSession(AgentArguments arguments, ScheduledExecutorService loop) {
        this.arguments = arguments;
        this.loop = loop;
        this.clientFactory = new ClientFactory(arguments, loop);
    }

    /** The agent thread: every callback of the agent runs there. */
    public Executor loop() {
        return loop;
    }

    public ScheduledExecutorService scheduler() {
        return loop;
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public boolean isConnected() {
        return connected;
    }

    /** Builds the first client and verifies it; on the agent thread. */
    public void start() {
        loop.execute(this::reconnect);
    }

    /**
     * Runs {@code call} on the current client with a time limit. The result completes on the agent
     * thread; a failure that looks like lost connectivity starts the probe.
     */
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
        withTimeout(future, timeout).whenCompleteAsync((value, error) -> {
            if (error != null) {
                failed(current, error);
                result.completeExceptionally(unwrap(error));
            } else {
                result.complete(value);
            }
        }, loop);
        return result;
    }

    /** Reads a key, or every key under a prefix, through the current client. */
    public CompletableFuture<RangeRead> read(String key, boolean prefix) {
        return call(client -> client.getKVClient()
                .get(Bytes.of(key), GetOption.builder().isPrefix(prefix).build())
                .thenApply(response -> {
                    List<Change> entries = new java.util.ArrayList<>(response.getKvs().size());
                    for (io.etcd.jetcd.KeyValue kv : response.getKvs()) {
                        entries.add(Bytes.put(Bytes.text(kv.getKey().getBytes()), kv.getValue().getBytes(),
                                kv.getModRevision()));
                    }
                    return new RangeRead(entries, response.getHeader().getRevision(),
                            response.getHeader().getClusterId());
                }));
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
            return new KeyWatch(this, current, key, prefix, fromRevision, handler);
        } catch (RuntimeException e) {
            failed(current, e);
            return null;
        }
    }

    /** Reports that a call or a watch on {@code failedClient} failed; on any thread. */
    public void failed(Client failedClient, Throwable error) {
        loop.execute(() -> {
            if (failedClient != client || !connected || !Errors.isConnectivity(error)) {
                return;
            }
            connected = false;
            disconnectedSinceNanos = System.nanoTime();
            AgentLog.warn("lost connection to etcd " + endpointsText() + ": " + Errors.describe(error)
                    + "; values stay as they are and reconnection is tried every " + PROBE_MILLIS + " ms");
            scheduleProbe(PROBE_MILLIS);
        });
    }

    /** The current client; may be replaced at any time, never null once started. */
    public Client client() {
        return client;
    }

    /**
     * At JVM exit, on the exit hook's thread: ends the agent thread, then closes the client and
     * waits, bounded, until its Vert.x event loop has ended, so that no agent thread is left in
     * native code ({@code epoll_wait}) for HotSpot to wait on.
     */
    public void close() {
        loop.shutdownNow();
        try {
            loop.awaitTermination(CLOSE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connected = false;
        Client current = client;
        client = null;
        if (current != null) {
            clientFactory.closeAndWait(current, CLOSE_MILLIS);
        }
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
                    reconnect();
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

    /** Replaces the client with a fresh one and verifies it with a read; on the agent thread. */
    private void reconnect() {
        Client old = client;
        Client fresh;
        try {
            fresh = clientFactory.create();
        } catch (RuntimeException e) {
            AgentLog.error("cannot create an etcd client for " + endpointsText() + ": " + AgentLog.describe(e)
                    + "; check the endpoints, cacert, cert and key arguments");
            retryLater();
            return;
        }
        client = fresh;
        if (old != null) {
            clientFactory.close(old);
        }
        // Listing members needs no permission on any key, and its header names the cluster.
        CompletableFuture<MemberListResponse> verification = fresh.getClusterClient().listMember();
        withTimeout(verification, CALL_TIMEOUT).whenCompleteAsync((response, error) -> verified(fresh, response, error),
                loop);
    }

    private void verified(Client fresh, MemberListResponse response, Throwable error) {
        if (fresh != client) {
            return;
        }
        if (error != null) {
            Throwable cause = unwrap(error);
            if (Errors.isAuthentication(cause)) {
                if (failedVerifications == 0) {
                    AgentLog.error("etcd refused user '" + arguments.user() + "': " + Errors.describe(cause)
                            + "; check the user and its password (ETCD_AGENT_PASSWORD or password-file)");
                }
            } else if (failedVerifications == 0 || AgentLog.enabled(AgentLog.Level.DEBUG)) {
                AgentLog.warn("etcd " + endpointsText() + " does not answer: " + Errors.describe(cause)
                        + "; retrying in the background, the application runs on");
            }
            retryLater();
            return;
        }
        connectedWith(fresh, response.getHeader().getClusterId());
    }

    private void connectedWith(Client fresh, long newClusterId) {
        boolean wasDisconnected = disconnectedSinceNanos != 0;
        boolean clusterChanged = clusterId != 0 && newClusterId != 0 && newClusterId != clusterId;
        if (newClusterId != 0) {
            clusterId = newClusterId;
        }
        connected = true;
        failedVerifications = 0;
        if (wasDisconnected) {
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - disconnectedSinceNanos);
            AgentLog.info("reconnected to etcd " + endpointsText() + " after " + millis + " ms"
                    + (clusterChanged ? "; it is a new cluster (id " + Long.toHexString(newClusterId)
                    + "): its keyspace is now the truth" : ""));
        } else {
            AgentLog.info("connected to etcd " + endpointsText() + " (cluster " + Long.toHexString(clusterId) + ")");
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

    private String endpointsText() {
        StringBuilder text = new StringBuilder();
        for (URI endpoint : arguments.endpoints()) {
            text.append(text.length() == 0 ? "" : ";").append(endpoint);
        }
        return text.toString();
    }

    /**
     * Fails {@code future} after {@code timeout}, timed on the agent thread: the JDK's
     * {@code orTimeout} would start a thread of its own in the application's JVM.
     */
    private <T> CompletableFuture<T> withTimeout(CompletableFuture<T> future, Duration timeout) {
        ScheduledFuture<?> timer = loop.schedule(
                () -> future.completeExceptionally(new TimeoutException("no answer from etcd within "
                        + timeout.toMillis() + " ms")), timeout.toMillis(), TimeUnit.MILLISECONDS);
        future.whenComplete((value, error) -> timer.cancel(false));
        return future;
    }

    static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof java.util.concurrent.CompletionException
                || current instanceof java.util.concurrent.ExecutionException) && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /** Builds jetcd clients with our own small, daemon-only Vert.x and executor. */
    static final class ClientFactory {
        private final AgentArguments arguments;
        private final ExecutorService loop;

        ClientFactory(AgentArguments arguments, ExecutorService loop) {
            this.arguments = arguments;
            this.loop = loop;
        }

        Client create() {
            // jetcd closes the Vert.x it is given along with the client, so each client gets its own.
            Vertx vertx = Vertx.vertx(new VertxOptions()
                    .setUseDaemonThread(true)
                    .setEventLoopPoolSize(1)
                    .setWorkerPoolSize(1)
                    .setInternalBlockingPoolSize(1)
                    .setBlockedThreadCheckInterval(TimeUnit.DAYS.toMillis(1))
                    .setFileSystemOptions(new FileSystemOptions()
                            .setFileCachingEnabled(false)
                            .setClassPathResolvingEnabled(false)));
            ClientBuilder builder = Client.builder()
                    .endpoints(arguments.endpoints().toArray(new URI[0]))
                    .vertx(vertx)
                    // jetcd's callbacks run on the agent thread: one thread fewer in the application
                    .executorService(loop)
                    .waitForReady(false)
                    .connectTimeout(Duration.ofSeconds(2))
                    .keepaliveTime(Duration.ofSeconds(10))
                    .keepaliveTimeout(Duration.ofSeconds(3))
                    .keepaliveWithoutCalls(true)
                    .retryMaxDuration(Duration.ofSeconds(2));
            if (arguments.user() != null && arguments.password() != null) {
                builder.user(ByteSequence.from(arguments.user(), StandardCharsets.UTF_8))
                        .password(ByteSequence.from(arguments.password(), StandardCharsets.UTF_8));
            }
            if (arguments.usesTls()) {
                builder.sslContext(TlsContexts.forClient(arguments));
            }
            return builder.build();
        }

        /**
         * Closes the newest client, which closes its Vert.x, and waits until every thread of the
         * agent's Vert.x has ended: Vert.x's close completes before its event loop has left
         * {@code epoll_wait}. The application's own Vert.x, if any, has other classes and is not touched.
         */
        void closeAndWait(Client client, long millis) {
            close(client);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread instanceof VertxThread) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    try {
                        thread.join(Math.max(1, left));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    if (thread.isAlive()) {
                        AgentLog.debug("etcd client thread " + thread.getName() + " still runs after " + millis + " ms");
                    }
                }
            }
        }

        void close(Client client) {
            try {
                client.close();
            } catch (RuntimeException e) {
                AgentLog.debug("closing an etcd client failed", e);
            }
        }
    }
}
