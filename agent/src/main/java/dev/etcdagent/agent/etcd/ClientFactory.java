package dev.etcdagent.agent.etcd;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import dev.etcdagent.agent.config.AgentArguments;
import dev.etcdagent.agent.log.AgentLog;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.impl.VertxThread;

/**
 * The one way jetcd clients are built, for the agent and the operator's tool alike: from the
 * connection arguments (endpoints, user, TLS), with our own small daemon-only Vert.x, and jetcd's
 * callbacks on the given loop.
 */
public final class ClientFactory {

    /**
     * gRPC's default inbound limit is 4 MiB; a value may be up to etcd's 1.5 MiB request limit, and a
     * watch answer may carry several. Range reads are paged, and a page that is still too large is halved.
     */
    private static final int MAX_INBOUND_BYTES = 32 * 1024 * 1024;

    private final AgentArguments arguments;
    private final ExecutorService loop;
    /** Every open client (the current one, and one being verified): all are closed at exit. */
    private final Set<Client> open = ConcurrentHashMap.newKeySet();
    /** Guards {@link #closed} and {@link #anyBuilt} against a client built on another thread during exit. */
    private final Object lock = new Object();
    private boolean closed;
    private boolean anyBuilt;

    public ClientFactory(AgentArguments arguments, ExecutorService loop) {
        this.arguments = arguments;
        this.loop = loop;
    }

    /**
     * A client over {@code endpoints}; it connects on its first call.
     *
     * @throws IllegalArgumentException when the TLS files cannot be used (the message names the fix)
     */
    public Client create(List<URI> endpoints) {
        return create(endpoints, loop);
    }

    /** As {@link #create(List)}, with jetcd's calls and completions on {@code jetcdExecutor} instead of the loop. */
    public Client create(List<URI> endpoints, ExecutorService jetcdExecutor) {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the JVM is exiting");
            }
            anyBuilt = true;
        }
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
                .endpoints(endpoints.toArray(new URI[0]))
                .vertx(vertx)
                // jetcd's calls and callbacks run on the loop (or, for the first call, the connect thread): no pool of its own
                .executorService(jetcdExecutor)
                .waitForReady(false)
                .connectTimeout(Duration.ofSeconds(2))
                .keepaliveTime(Duration.ofSeconds(10))
                .keepaliveTimeout(Duration.ofSeconds(3))
                .keepaliveWithoutCalls(true)
                .retryMaxDuration(Duration.ofSeconds(2))
                .maxInboundMessageSize(MAX_INBOUND_BYTES);
        if (arguments.user() != null && arguments.password() != null) {
            builder.user(ByteSequence.from(arguments.user(), StandardCharsets.UTF_8))
                    .password(ByteSequence.from(arguments.password(), StandardCharsets.UTF_8));
        }
        if (arguments.usesTls()) {
            builder.sslContext(TlsContexts.forClient(arguments));
        }
        Client built;
        try {
            built = builder.build();
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
        synchronized (lock) {
            if (!closed) {
                open.add(built);
                return built;
            }
        }
        close(built);
        throw new IllegalStateException("the JVM is exiting");
    }

    /**
     * Closes every open client, which closes its Vert.x, refuses to build more, and waits until every thread of the
     * agent's Vert.x has ended: Vert.x's close completes before its event loop has left
     * {@code epoll_wait}, and HotSpot waits at exit for threads in native code. The application's
     * own Vert.x, if any, has other classes and is not touched.
     */
    public void closeAllAndWait(long millis) {
        synchronized (lock) {
            closed = true;
            if (!anyBuilt) {
                // No Vert.x was ever started: nothing to close or wait for (nor its classes to load).
                return;
            }
        }
        for (Client client : open) {
            close(client);
        }
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

    /** Whether {@link #closeAllAndWait} was called: the JVM is exiting. */
    public boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    public void close(Client client) {
        open.remove(client);
        try {
            client.close();
        } catch (RuntimeException e) {
            AgentLog.debug("closing an etcd client failed", e);
        }
    }
}
