package dev.etcdagent.agent.etcd;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One daemon thread that runs a share of the agent's work in order, and state confined to it.
 *
 * <p>The agent has two: the <em>etcd loop</em> ({@code etcd-agent}) runs the session, lease
 * keep-alives, reads, watches and jetcd's own callbacks, and never anything that can take long;
 * the <em>apply loop</em> ({@code etcd-agent-apply}) converts values and writes fields (which may
 * run application code: a converter, a class's initialiser), rewrites service address sets, status
 * records and the snapshot file. So no application code and no file write can delay a keep-alive.
 *
 * <p>Once shut down at exit, late tasks (a closing client ends its watches) are dropped rather
 * than thrown into the code that closes the client.
 */
public final class AgentLoop extends ScheduledThreadPoolExecutor {

    private final String name;
    private volatile Thread thread;

    private AgentLoop(String name, ThreadFactory factory) {
        super(1, factory, new ThreadPoolExecutor.DiscardPolicy());
        this.name = name;
        setRemoveOnCancelPolicy(true);
        setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** A loop whose thread is named {@code name}; the thread starts with the first task. */
    public static AgentLoop named(String name) {
        Thread[] created = new Thread[1];
        ThreadFactory daemons = DaemonThreads.factory(name);
        AgentLoop[] loop = new AgentLoop[1];
        // Not a lambda: this runs in premain, where the first lambda costs ~20 ms.
        loop[0] = new AgentLoop(name, new ThreadFactory() {
            @Override
            public Thread newThread(Runnable runnable) {
                created[0] = daemons.newThread(runnable);
                loop[0].thread = created[0];
                return created[0];
            }
        });
        return loop[0];
    }

    /** Whether the caller runs on this loop's thread. */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Fails unless the caller runs on this loop's thread: for state confined to it. */
    public void checkInLoop(String what) {
        if (!inLoop()) {
            throw new IllegalStateException(what + " belongs to thread " + name + ", not "
                    + Thread.currentThread().getName());
        }
    }

    /** Runs {@code task} here: at once when called on this loop, else queued in call order. */
    public void run(Runnable task) {
        if (inLoop()) {
            task.run();
        } else {
            execute(task);
        }
    }

    public String name() {
        return name;
    }

    /**
     * Fails {@code future} with a {@link TimeoutException} after {@code timeout}, timed here: the
     * JDK's {@code orTimeout} would start a thread of its own in the application's JVM.
     */
    public <T> CompletableFuture<T> timeLimit(CompletableFuture<T> future, Duration timeout) {
        ScheduledFuture<?> timer = schedule(
                () -> future.completeExceptionally(new TimeoutException("no answer from etcd within "
                        + timeout.toMillis() + " ms")), timeout.toMillis(), TimeUnit.MILLISECONDS);
        future.whenComplete((value, error) -> timer.cancel(false));
        return future;
    }
}
