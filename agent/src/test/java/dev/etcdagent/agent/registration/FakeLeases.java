package dev.etcdagent.agent.registration;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import dev.etcdagent.agent.etcd.Leases;
import dev.etcdagent.agent.etcd.WatchHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * etcd as the presence sees it, with the test's thread as the etcd loop: every call waits for the
 * test's answer, or, {@link #answeringAtOnce()}, succeeds at once.
 */
public final class FakeLeases implements Leases {
    /** Calls not answered yet, in order. */
    public final List<String> calls = new ArrayList<>();
    final List<CompletableFuture<Object>> answers = new ArrayList<>();
    /** Every call made, in order, answered or not. */
    public final List<String> history = new ArrayList<>();
    final Map<String, WatchHandler> watches = new HashMap<>();
    final List<Runnable> scheduled = new ArrayList<>();
    final List<Long> delays = new ArrayList<>();
    /** The last value put under each key. */
    public final Map<String, byte[]> values = new HashMap<>();
    boolean inLoop = true;
    /** False for a way to etcd that cannot watch (the JSON gateway). */
    boolean canWatch = true;
    /** What {@link #tookOverInPlace()} answers. */
    boolean inPlace;
    final Map<String, Long> watchedFrom = new HashMap<>();
    private boolean answerAtOnce;
    private long revision = 100;

    /** Grants lease 7, and puts, deletes and revokes succeed, each as it is made. */
    public FakeLeases answeringAtOnce() {
        answerAtOnce = true;
        return this;
    }

    void answer(String call, Object value) {
        take(call).complete(value);
    }

    void fail(String call, Throwable error) {
        take(call).completeExceptionally(error);
    }

    private CompletableFuture<Object> take(String call) {
        int index = calls.indexOf(call);
        assertThat(index).as("pending call " + call + " in " + calls).isNotNegative();
        calls.remove(index);
        return answers.remove(index);
    }

    void runScheduled() {
        List<Runnable> due = new ArrayList<>(scheduled);
        scheduled.clear();
        due.forEach(Runnable::run);
    }

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> call(String call) {
        history.add(call);
        if (answerAtOnce) {
            Object answer = null;
            if (call.startsWith("grant")) {
                answer = 7L;
            } else if (!call.startsWith("revoke")) {
                answer = ++revision;
            }
            return (CompletableFuture<T>) (CompletableFuture<?>) CompletableFuture.completedFuture(answer);
        }
        CompletableFuture<Object> answer = new CompletableFuture<>();
        calls.add(call);
        answers.add(answer);
        return (CompletableFuture<T>) (CompletableFuture<?>) answer;
    }

    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public boolean inLoop() {
        return inLoop;
    }

    @Override
    public void runInLoop(Runnable task) {
        task.run();
    }

    @Override
    public Future<?> schedule(Runnable task, long delayMillis) {
        CompletableFuture<Void> handle = new CompletableFuture<>();
        delays.add(delayMillis);
        scheduled.add(() -> {
            if (!handle.isCancelled()) {
                handle.complete(null);
                task.run();
            }
        });
        return handle;
    }

    @Override
    public CompletableFuture<Long> grant(long ttlSeconds) {
        return call("grant " + ttlSeconds);
    }

    @Override
    public CompletableFuture<Long> keepAlive(long lease) {
        return call("keepalive " + lease);
    }

    @Override
    public CompletableFuture<Long> put(String key, byte[] value, long lease) {
        values.put(key, value);
        return call("put " + key + " " + lease);
    }

    @Override
    public CompletableFuture<Long> delete(String key) {
        return call("delete " + key);
    }

    @Override
    public CompletableFuture<Void> revoke(long lease) {
        return call("revoke " + lease);
    }

    @Override
    public boolean tookOverInPlace() {
        return inPlace;
    }

    @Override
    public AutoCloseable watch(String key, long fromRevision, WatchHandler handler) {
        if (!canWatch) {
            return null;
        }
        watchedFrom.put(key, fromRevision);
        watches.put(key, handler);
        return () -> watches.remove(key, handler);
    }
}
