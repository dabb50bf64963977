package dev.etcdagent.agent.tool;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.etcdagent.agent.etcd.Change;
import dev.etcdagent.agent.etcd.KeyWatch;
import dev.etcdagent.agent.etcd.RangeRead;
import dev.etcdagent.agent.status.StatusRecord;

/**
 * {@code put} and {@code delete}: change one key, then wait until every live instance of the service
 * that follows it has applied the change, from their status records. The records are read, and
 * watched, before the change is made, so no confirmation can be missed. Exit 0 is a promise: every
 * live instance the change applies to has applied it; an instance that vanished without a clean exit
 * is not confirmed.
 */
final class ChangeCommand {

    private final EtcdAccess etcd;
    private final PrintStream out;
    private final StatusRecords reader;

    ChangeCommand(EtcdAccess etcd, PrintStream out, PrintStream err) {
        this.etcd = etcd;
        this.out = out;
        this.reader = new StatusRecords(err);
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
        KeyWatch watcher = etcd.watchPrefix(prefix, records.revision + 1, updates);
        try {
            long revision = change(key, value);
            long changeNanos = System.nanoTime();
            if (revision == 0) {
                out.println(key + " does not exist: nothing to delete");
                return OperatorTool.OK;
            }
            String service = etcd.arguments.service();
            Confirmations confirmations = new Confirmations(service, key, revision);
            List<Confirmations.Decision> early = new ArrayList<>();
            for (Change entry : records.entries) {
                Confirmations.Decision decision = update(confirmations, entry, 0);
                if (decision != null) {
                    early.add(decision);
                }
            }
            if (confirmations.followers() == 0) {
                out.println(verb + " " + key + " (revision " + revision + ")");
                early.forEach(this::print);
                return notFollowed(confirmations, name, key);
            }
            out.println(verb + " " + key + " (revision " + revision + "); waiting up to " + seconds(wait)
                    + " for the " + plural(confirmations.followers(), "live instance") + " of " + service
                    + " that follow it");
            early.forEach(this::print);
            long deadline = changeNanos + wait.toNanos();
            while (!confirmations.settled()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                Object update = updates.poll(left, TimeUnit.NANOSECONDS);
                if (update instanceof ToolFailure) {
                    throw new ToolFailure("the " + verb + " of " + key + " is in etcd (revision " + revision
                            + "), but the instances' confirmations could not be followed: " + ((ToolFailure) update)
                            .getMessage() + "; see java -jar etcd-agent.jar status " + service);
                }
                if (update instanceof Change) {
                    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - changeNanos);
                    Confirmations.Decision decision = update(confirmations, (Change) update, millis);
                    if (decision != null) {
                        print(decision);
                    }
                }
            }
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - changeNanos);
            return summarise(confirmations, name, key, wait, elapsed);
        } finally {
            watcher.close();
        }
    }

    private long change(String key, String value) {
        return value == null ? etcd.delete(key) : etcd.put(key, value);
    }

    /** Hands a record, or its deletion, to {@code confirmations}; an entry that is no record is skipped. */
    private Confirmations.Decision update(Confirmations confirmations, Change entry, long millis) {
        if (entry.isDelete()) {
            return confirmations.update(entry.key, null, millis);
        }
        StatusRecord record = reader.read(entry);
        return record == null ? null : confirmations.update(entry.key, record, millis);
    }

    private void print(Confirmations.Decision decision) {
        String instance = "  " + decision.instance + "  ";
        switch (decision.outcome) {
            case APPLIED:
                out.println(instance + "applied (" + decision.millis + " ms)");
                break;
            case REJECTED:
                out.println(instance + "rejected: " + decision.rejection.reason + " (" + decision.rejection.field + ")");
                break;
            case STOPPED:
                out.println(instance + "stopped cleanly during the wait; not waited for");
                break;
            case VANISHED:
                out.println(instance + "gone without a clean exit (its lease expired: frozen, cut off from etcd,"
                        + " paused or killed); not confirmed unless it comes back");
                break;
            default:
                out.println(instance + "back with a new record; waiting for it");
        }
    }

    private int summarise(Confirmations confirmations, String name, String key, Duration wait, long elapsedMillis) {
        List<String> notConfirmed = new ArrayList<>();
        for (StatusRecord record : confirmations.unanswered()) {
            out.println("  " + record.instance + "  not confirmed within " + seconds(wait) + " (it has applied up to"
                    + " revision " + record.revision + ")");
            notConfirmed.add(record.instance);
        }
        for (StatusRecord record : confirmations.vanished()) {
            out.println("  " + record.instance + "  not confirmed within " + seconds(wait) + " (gone without a clean"
                    + " exit and not back; it had applied up to revision " + record.revision + ")");
            notConfirmed.add(record.instance);
        }
        List<String> rejected = instances(confirmations.answered(Confirmations.Outcome.REJECTED));
        int applied = confirmations.answered(Confirmations.Outcome.APPLIED).size();
        int followers = confirmations.followers();
        switch (confirmations.verdict()) {
            case REJECTED:
                out.println("rejected by " + rejected.size() + " of " + followers + " instances ("
                        + String.join(", ", rejected) + "); applied by " + applied + (notConfirmed.isEmpty() ? ""
                        : "; " + notConfirmed.size() + " not confirmed") + stopped(confirmations));
                return OperatorTool.REJECTED;
            case NOT_CONFIRMED:
                out.println("not confirmed by " + notConfirmed.size() + " of " + followers + " instances within "
                        + seconds(wait) + ": " + String.join(", ", notConfirmed) + "; applied by " + applied
                        + stopped(confirmations));
                return OperatorTool.NOT_CONFIRMED;
            case NOT_FOLLOWED:
                return notFollowed(confirmations, name, key);
            default:
                out.println("applied by all " + plural(applied, "instance") + " in " + elapsedMillis + " ms"
                        + stopped(confirmations));
                return OperatorTool.OK;
        }
    }

    /** Exit 4: the key written is one no live instance follows; name what they do follow, to show the slip. */
    private int notFollowed(Confirmations confirmations, String name, String key) {
        String service = etcd.arguments.service();
        List<String> stopped = instances(confirmations.answered(Confirmations.Outcome.STOPPED));
        if (!stopped.isEmpty() && confirmations.liveInstances() == 0) {
            out.println("no live instance of " + service + " follows " + key + " any more: the "
                    + plural(stopped.size(), "instance") + " that did stopped cleanly during the wait ("
                    + String.join(", ", stopped) + ")");
        } else if (confirmations.liveInstances() == 0) {
            out.println("no live instance of " + service + " follows " + key + ": none has a status record under "
                    + etcd.statusPrefix() + " (check SERVICE, and --status when the agents use another prefix)");
        } else {
            int live = confirmations.liveInstances();
            out.println("no live instance of " + service + " follows " + key + ": its " + plural(live, "live instance")
                    + (live == 1 ? " follows " : " follow ") + String.join(", ", confirmations.followedRanges())
                    + " (check NAME"
                    + (name.startsWith("/") ? "" : ", and --config when their configuration prefix is not "
                    + etcd.arguments.configPrefix()) + ")");
        }
        return OperatorTool.NOT_FOLLOWED;
    }

    private static String stopped(Confirmations confirmations) {
        List<String> stopped = instances(confirmations.answered(Confirmations.Outcome.STOPPED));
        return stopped.isEmpty() ? "" : "; " + stopped.size() + " stopped cleanly during the wait ("
                + String.join(", ", stopped) + ")";
    }

    private static List<String> instances(List<Confirmations.Decision> decisions) {
        List<String> names = new ArrayList<>();
        for (Confirmations.Decision decision : decisions) {
            names.add(decision.instance);
        }
        return names;
    }

    static String plural(int count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    private static String seconds(Duration wait) {
        long millis = wait.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
