package dev.etcdagent.agent.etcd;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import io.etcd.jetcd.Client;

/**
 * Calls on a jetcd client, each with a time limit, completing on one {@link AgentLoop}. The agent's
 * {@link EtcdSession} supervises its client; the operator's tool uses {@link DirectCalls}.
 */
public interface EtcdCalls {

    /** The loop every call completes on. */
    AgentLoop loop();

    /** Runs {@code call} on the current client within the default time limit. */
    <T> CompletableFuture<T> call(Function<Client, CompletableFuture<T>> call);
}
