package dev.etcdagent.agent.tool;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.etcdagent.agent.etcd.Change;
import dev.etcdagent.agent.etcd.RangeRead;
import dev.etcdagent.agent.status.StatusRecord;
import io.etcd.jetcd.Watch;

/**
 * {@code put} and {@code delete}: change one key, then wait until every live instance of the service
 * that follows it has applied the change, from their status records. The records are read, and
 * watched, before the change is made, so no confirmation can be missed.
 */
final class ChangeCommand {

    private final EtcdAccess etcd;
    private final PrintStream out;

    ChangeCommand(EtcdAccess etcd, PrintStream out) {
        this.etcd = etcd;
        this.out = out;
    }

    /** Puts {@code value}, or deletes the key when it is null; returns the exit status. */
    int run(String name, String value, Duration wait) throws InterruptedException {
        String key = etcd.configKey(name);
        String verb = value == null ? "delete" : "put";
        if (wait.isZero()) {
            long revision = change(key, value);
            out.println(revision == 0 ? key + " does not exist: nothing to delete"
                    : verb + " " + key + " (revision " + revision + "); not waiting for the instances");
            return OperatorTool.OK;
        }
        String prefix = etcd.statusPrefix();
        RangeRead records = etcd.readPrefix(prefix);
        BlockingQueue<Object> updates = new LinkedBlockingQueue<>();
        Watch.Watcher watcher = etcd.watchPrefix(prefix, records.revision + 1, updates);
        try {
            long changeNanos;
            long revision = change(key, value);
            changeNanos = System.nanoTime();
            if (revision == 0) {
                out.println(key + " does not exist: nothing to delete");
                return OperatorTool.OK;
            }
            String service = etcd.arguments.service();
            Confirmations confirmations = new Confirmations(service, key, revision);
            List<Confirmations.Decision> early = new ArrayList<>();
            for (Change record : records.entries) {
                Confirmations.Decision decision = confirmations.update(record.key, parse(record), 0);
                if (decision != null) {
                    early.add(decision);
                }
            }
            out.println(verb + " " + key + " (revision " + revision + "); waiting up to " + seconds(wait)
                    + " for the " + plural(confirmations.followers(), "live instance") + " of " + service
                    + " that follow it");
            for (Confirmations.Decision decision : early) {
                print(decision);
            }
            long deadline = changeNanos + wait.toNanos();
            while (!confirmations.allAnswered()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                Object update = updates.poll(left, TimeUnit.NANOSECONDS);
                if (update instanceof ToolFailure) {
                    throw (ToolFailure) update;
                }
                if (update instanceof Change) {
                    Change record = (Change) update;
                    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - changeNanos);
                    Confirmations.Decision decision = confirmations.update(record.key, parse(record), millis);
                    if (decision != null) {
                        print(decision);
                    }
                }
            }
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - changeNanos);
            return summarise(confirmations, wait, elapsed);
        } finally {
            watcher.close();
        }
    }

    private long change(String key, String value) {
        return value == null ? etcd.delete(key) : etcd.put(key, value);
    }

    private void print(Confirmations.Decision decision) {
        switch (decision.outcome) {
            case APPLIED:
                out.println("  " + decision.instance + "  applied (" + decision.millis + " ms)");
                break;
            case REJECTED:
                out.println("  " + decision.instance + "  rejected: " + decision.rejection.reason + " ("
                        + decision.rejection.field + ")");
                break;
            default:
                out.println("  " + decision.instance + "  gone before confirming: it is no longer live");
        }
    }

    private int summarise(Confirmations confirmations, Duration wait, long elapsedMillis) {
        List<StatusRecord> unanswered = confirmations.unanswered();
        for (StatusRecord record : unanswered) {
            out.println("  " + record.instance + "  not confirmed within " + seconds(wait) + " (it has applied up to"
                    + " revision " + record.revision + ")");
        }
        List<Confirmations.Decision> rejected = confirmations.answered(Confirmations.Outcome.REJECTED);
        int applied = confirmations.answered(Confirmations.Outcome.APPLIED).size();
        int followers = confirmations.followers();
        if (followers == 0) {
            out.println("no live instance follows the key: nothing to wait for");
            return OperatorTool.OK;
        }
        if (!rejected.isEmpty()) {
            List<String> names = new ArrayList<>();
            for (Confirmations.Decision decision : rejected) {
                names.add(decision.instance);
            }
            out.println("rejected by " + rejected.size() + " of " + followers + " instances (" + String.join(", ", names)
                    + "); applied by " + applied + (unanswered.isEmpty() ? "" : "; " + unanswered.size()
                    + " not confirmed"));
            return OperatorTool.REJECTED;
        }
        if (!unanswered.isEmpty()) {
            List<String> names = new ArrayList<>();
            for (StatusRecord record : unanswered) {
                names.add(record.instance);
            }
            out.println("not confirmed by " + unanswered.size() + " of " + followers + " instances within "
                    + seconds(wait) + ": " + String.join(", ", names) + "; applied by " + applied);
            return OperatorTool.NOT_CONFIRMED;
        }
        out.println("applied by all " + plural(applied, "instance") + " in " + elapsedMillis + " ms");
        return OperatorTool.OK;
    }

    private static StatusRecord parse(Change record) {
        if (record.isDelete()) {
            return null;
        }
        try {
            return StatusRecord.parse(record.value);
        } catch (IllegalArgumentException e) {
            // Not a record (something else under the prefix): nothing to wait for.
            return null;
        }
    }

    static String plural(int count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    private static String seconds(Duration wait) {
        long millis = wait.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
