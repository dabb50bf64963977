package dev.etcdagent.agent.etcd;

import java.util.concurrent.ThreadFactory;
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
}
