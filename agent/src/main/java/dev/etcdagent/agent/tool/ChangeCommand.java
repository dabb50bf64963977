package dev.etcdagent.agent.tool;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.etcdagent.agent.etcd.Change;
import dev.etcdagent.agent.etcd.KeyWatch;
import dev.etcdagent.agent.etcd.RangeRead;
import dev.etcdagent.agent.status.StatusRecord;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.PutOption;

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
    private final String audit;
    private final String reason;

    ChangeCommand(EtcdAccess etcd, PrintStream out, PrintStream err, String audit, String reason) {
        this.etcd = etcd;
        this.out = out;
        this.reader = new StatusRecords(err);
        this.audit = audit;
        this.reason = reason;
    }

    /**
     * Commits {@code plan}, made from {@code before}, with its audit entry, then waits for the live
     * instances whose value it changes (or whose value now comes from a key it wrote); returns the exit status.
     */
    int run(ChangePlan plan, Family before, Duration wait) throws InterruptedException {
        String key = plan.base;
        String what = plan.operation + " " + key + (plan.scope.equals("base") ? ""
                : plan.operation.equals("rollback") ? " " + plan.scope : " for " + plan.scope);
        if (wait.isZero()) {
            long revision = commit(plan, before);
            out.println(what + " (revision " + revision + "); not waiting for the instances");
            return OperatorTool.OK;
        }
        String prefix = etcd.statusPrefix();
        RangeRead records = etcd.readPrefix(prefix);
        BlockingQueue<Object> updates = new LinkedBlockingQueue<>();
        KeyWatch watcher = etcd.watchPrefix(prefix, records.revision + 1, updates);
        try {
            long revision = commit(plan, before);
            long changeNanos = System.nanoTime();
            Family after = before.after(plan.writes, revision);
            List<String> written = plan.keys();
            String service = etcd.arguments.service();
            Confirmations confirmations = new Confirmations(service, key, revision, record -> {
                Family.Entry was = before.applyingTo(record);
                Family.Entry is = after.applyingTo(record);
                return is != null && written.contains(is.key.key)
                        || (was == null ? is != null : is == null || !was.key.key.equals(is.key.key));
            });
            List<Confirmations.Decision> early = new ArrayList<>();
            for (Change entry : records.entries) {
                Confirmations.Decision decision = update(confirmations, entry, 0);
                if (decision != null) {
                    early.add(decision);
                }
            }
            if (confirmations.followers() == 0) {
                out.println(what + " (revision " + revision + ")");
                early.forEach(this::print);
                return notFollowed(confirmations, plan);
            }
            out.println(what + " (revision " + revision + "); waiting up to " + seconds(wait)
                    + " for the " + plural(confirmations.followers(), "live instance") + " of " + service
                    + (plan.scope.equals("base") ? " that follow it"
                    : " whose value it changes: " + String.join(", ", confirmations.followerInstances())));
            early.forEach(this::print);
            long deadline = changeNanos + wait.toNanos();
            while (!confirmations.settled()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                Object update = updates.poll(left, TimeUnit.NANOSECONDS);
                if (update instanceof ToolFailure) {
                    throw new ToolFailure("the " + plan.operation + " of " + key + " is in etcd (revision " + revision
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
            return summarise(confirmations, plan, wait, elapsed);
        } finally {
            watcher.close();
        }
    }

    /**
     * The plan's writes and its audit entry in one transaction, only if no key the plan deletes or
     * replaces changed since {@code before} was read; returns the transaction's revision.
     */
    private long commit(ChangePlan plan, Family before) {
        List<Cmp> guards = new ArrayList<>();
        List<Op> ops = new ArrayList<>();
        long lease = 0;
        for (ChangePlan.Write write : plan.writes) {
            Family.Entry had = before.entries.get(write.key);
            guards.add(new Cmp(EtcdAccess.bytes(write.key), Cmp.Op.EQUAL,
                    CmpTarget.modRevision(had == null ? 0 : had.revision)));
            if (write.value == null) {
                ops.add(Op.delete(EtcdAccess.bytes(write.key), DeleteOption.DEFAULT));
            } else {
                PutOption.Builder put = PutOption.builder();
                if (write.ttl != null) {
                    if (lease == 0) {
                        lease = etcd.grant(write.ttl);
                    }
                    put.withLeaseId(lease);
                }
                ops.add(Op.put(EtcdAccess.bytes(write.key), EtcdAccess.bytes(write.value), put.build()));
            }
        }
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        String entry = Audit.newKey(Audit.prefix(etcd, audit, plan.base), now);
        ops.add(Op.put(EtcdAccess.bytes(entry), EtcdAccess.bytes(Audit.encode(plan, now,
                Audit.who(etcd.arguments.user()), reason)), PutOption.DEFAULT));
        TxnResponse response;
        try {
            response = etcd.commit(guards, ops, plan.operation, plan.base);
        } catch (ToolFailure failure) {
            etcd.revokeQuietly(lease);
            throw failure;
        }
        if (!response.isSucceeded()) {
            etcd.revokeQuietly(lease);
            throw new ToolFailure(plan.base + " or one of its overrides changed while the " + plan.operation
                    + " was being prepared; nothing was written: run the command again (see history "
                    + etcd.arguments.service() + " " + plan.base + ")");
        }
        return response.getHeader().getRevision();
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

    private int summarise(Confirmations confirmations, ChangePlan plan, Duration wait, long elapsedMillis) {
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
                return notFollowed(confirmations, plan);
            default:
                out.println("applied by all " + plural(applied, "instance") + " in " + elapsedMillis + " ms"
                        + stopped(confirmations));
                return OperatorTool.OK;
        }
    }

    /** Exit 4: the key written is one no live instance follows; name what they do follow, to show the slip. */
    private int notFollowed(Confirmations confirmations, ChangePlan plan) {
        String key = plan.base;
        String service = etcd.arguments.service();
        if (!confirmations.following().isEmpty() || !plan.operation.equals("put") && !plan.operation.equals("delete")) {
            // The instances follow the key; the change moves none of their values (a scope none is in, an
            // override no live instance had).
            out.println("no live instance of " + service + " has its value changed by this: "
                    + (plan.scope.equals("base") ? "each has an override of " + key
                    : "none is in " + plan.scope) + " (see get " + service + " " + key + ")");
            return plan.operation.equals("put") ? OperatorTool.NOT_FOLLOWED : OperatorTool.OK;
        }
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
                    + (!key.startsWith(etcd.arguments.configPrefix() + "/") ? "" : ", and --config when their configuration prefix is not "
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
