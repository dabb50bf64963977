package dev.etcdagent.agent.etcd;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/** The agent's threads: always daemon, so the agent never keeps a JVM alive, and named for jstack. */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    public static ThreadFactory factory(String name) {
        return new ThreadFactory() {
            private final AtomicInteger count = new AtomicInteger();

            @Override
            public Thread newThread(Runnable runnable) {
                int n = count.getAndIncrement();
                Thread thread = new Thread(runnable, n == 0 ? name : name + "-" + n);
                thread.setDaemon(true);
                return thread;
            }
        };
    }

    /**
     * The agent's own loop: one thread that runs every state change in order. Once it is shut down
     * at exit, late callbacks (a closing client ends its watches) are dropped rather than thrown
     * into the code that closes the client.
     */
    public static ScheduledThreadPoolExecutor newLoop(String name) {
        ScheduledThreadPoolExecutor loop = new ScheduledThreadPoolExecutor(1, factory(name),
                new ThreadPoolExecutor.DiscardPolicy());
        loop.setRemoveOnCancelPolicy(true);
        loop.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return loop;
    }
}
