package dev.etcdagent.agent.etcd;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import dev.etcdagent.agent.config.AgentArguments;
import io.etcd.jetcd.Client;

/**
 * One client without supervision, for a short-lived user that reports a failure rather than rides
 * it out (the operator's tool): no member checks, no rebuilds; each call has its time limit.
 */
public final class DirectCalls implements EtcdCalls, AutoCloseable {

    private static final long CLOSE_MILLIS = 200;

    private final AgentArguments arguments;
    private final Duration timeout;
    private final AgentLoop loop = AgentLoop.named("etcd-agent");
    private final ClientFactory clients;
    private Client client;

    public DirectCalls(AgentArguments arguments, Duration timeout) {
        this.arguments = arguments;
        this.timeout = timeout;
        this.clients = new ClientFactory(arguments, loop);
    }

    public Duration timeout() {
        return timeout;
    }

    @Override
    public AgentLoop loop() {
        return loop;
    }

    /**
     * Runs {@code call}; its result completes on the loop, or fails with a {@code TimeoutException}.
     *
     * @throws IllegalArgumentException when the client cannot be built (TLS files; the message names the fix)
     */
    @Override
    public <T> CompletableFuture<T> call(Function<Client, CompletableFuture<T>> call) {
        CompletableFuture<T> future;
        try {
            future = call.apply(client());
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.timeLimit(future, timeout).whenCompleteAsync((value, error) -> {
            if (error != null) {
                result.completeExceptionally(Errors.unwrap(error));
            } else {
                result.complete(value);
            }
        }, loop);
        return result;
    }

    /** Watches {@code key} (or every key under it) from {@code fromRevision}; see {@link KeyWatch}. */
    public KeyWatch watch(String key, boolean prefix, long fromRevision, WatchHandler handler) {
        return new KeyWatch(loop, client(), key, prefix, fromRevision, handler, (failed, error) -> {
            // the handler is told the watch ended; nothing to supervise
        });
    }

    private synchronized Client client() {
        if (client == null) {
            client = clients.create(arguments.endpoints());
        }
        return client;
    }

    @Override
    public void close() {
        clients.closeAllAndWait(CLOSE_MILLIS);
        loop.shutdownNow();
    }
}
