package dev.etcdagent.agent.etcd;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The agent's threads: always daemon, so the agent never keeps a JVM alive, and named for jstack. */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    public static ThreadFactory factory(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            int n = count.getAndIncrement();
            Thread thread = new Thread(runnable, n == 0 ? name : name + "-" + n);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The agent's own loop: one thread that runs every state change in order. */
    public static ScheduledThreadPoolExecutor newLoop(String name) {
        ScheduledThreadPoolExecutor loop = new ScheduledThreadPoolExecutor(1, factory(name));
        loop.setRemoveOnCancelPolicy(true);
        loop.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return loop;
    }

    /** One thread that ends when idle, for jetcd's callbacks. */
    public static ExecutorService newSingleThreadExecutor(String name) {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), factory(name));
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}
