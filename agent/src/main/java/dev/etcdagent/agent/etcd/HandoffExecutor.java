package dev.etcdagent.agent.etcd;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The executor jetcd runs its calls and completions on (jetcd's retries run the call itself there):
 * another thread while the first client connects, the etcd loop from then on. The first call loads
 * and links most of gRPC, protobuf and jetcd; on the etcd loop that would hold up the JSON gateway's
 * keep-alives behind it, for many seconds on a starved host (50 JVMs starting on 2 cores: 17 s, and
 * every lease expired). jetcd never shuts down an executor it was given, so neither does this one.
 */
final class HandoffExecutor extends AbstractExecutorService {

    private volatile Executor target;

    HandoffExecutor(Executor first) {
        this.target = first;
    }

    /** From now on every task runs on {@code next}; tasks already handed to the first executor run there. */
    void handTo(Executor next) {
        target = next;
    }

    @Override
    public void execute(Runnable task) {
        target.execute(task);
    }

    @Override
    public void shutdown() {
        // Owned by the session, not by jetcd.
    }

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return false;
    }
}
