package dev.etcdagent.agent.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A loop whose time moves only when the test moves it: tasks run on the test's thread, each at its
 * time, in the order they fall due (then in the order they were queued). A task that throws fails
 * the test rather than vanishing into its future.
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    private final List<Task<?>> queue = new ArrayList<>();
    /** Not 0: code under test may take 0 for "never". */
    private long nanos = TimeUnit.SECONDS.toNanos(1);
    private long queued;
    /** Every delay asked of {@code schedule}, in ms, in order. */
    public final List<Long> delaysMillis = new ArrayList<>();

    /** This loop's clock. */
    public long nanoTime() {
        return nanos;
    }

    /** Runs every task due now, and those they queue for now. */
    public void runDue() {
        advanceMillis(0);
    }

    /** Moves time on by {@code millis}, running each task that falls due on the way, at its time. */
    public void advanceMillis(long millis) {
        long end = nanos + TimeUnit.MILLISECONDS.toNanos(millis);
        for (Task<?> next = earliest(); next != null && next.at <= end; next = earliest()) {
            queue.remove(next);
            nanos = Math.max(nanos, next.at);
            next.run();
            if (!next.isCancelled()) {
                try {
                    next.get();
                } catch (ExecutionException e) {
                    throw new AssertionError("a task on the loop failed", e.getCause());
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
        }
        nanos = end;
    }

    /** How many tasks wait, due or not. */
    public int waiting() {
        queue.removeIf(Task::isCancelled);
        return queue.size();
    }

    private Task<?> earliest() {
        Task<?> earliest = null;
        for (Task<?> task : queue) {
            if (earliest == null || task.at < earliest.at || task.at == earliest.at && task.order < earliest.order) {
                earliest = task;
            }
        }
        return earliest;
    }

    @Override
    public void execute(Runnable command) {
        enqueue(Executors.callable(command, null), 0);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        delaysMillis.add(unit.toMillis(delay));
        return enqueue(Executors.callable(command, null), unit.toNanos(delay));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        delaysMillis.add(unit.toMillis(delay));
        return enqueue(callable, unit.toNanos(delay));
    }

    private <V> Task<V> enqueue(Callable<V> callable, long delayNanos) {
        Task<V> task = new Task<>(callable, nanos + Math.max(0, delayNanos), queued++);
        queue.add(task);
        return task;
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void shutdown() {
        queue.clear();
    }

    @Override
    public List<Runnable> shutdownNow() {
        queue.clear();
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
        return true;
    }

    private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
        final long at;
        final long order;

        Task(Callable<V> callable, long at, long order) {
            super(callable);
            this.at = at;
            this.order = order;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(at - nanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }
    }
}
