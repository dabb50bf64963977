package dev.etcdagent.agent.values;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.etcdagent.agent.config.AgentArguments;
import dev.etcdagent.agent.etcd.AgentLoop;
import dev.etcdagent.agent.etcd.Change;
import dev.etcdagent.agent.etcd.EtcdSession;
import dev.etcdagent.agent.etcd.GatewayReader;
import dev.etcdagent.agent.etcd.RangeRead;
import dev.etcdagent.agent.etcd.WatchHandler;
import dev.etcdagent.agent.log.AgentLog;

/**
 * The JVM's live copy of its keys in etcd: the configuration prefix, every absolute key a field
 * names, and every service a field discovers, each a {@link WatchedRange}.
 *
 * <p>Each range is read once and then watched from the read's revision + 1. Whenever a watch ends
 * (compaction, lost connection, a new cluster) the range is read again and watched anew, so the
 * copy always converges to etcd's state. Reads, watches and events run on the etcd loop; only
 * the very first read of a range may run on the thread that needs it (a class being initialised).
 *
 * <p>Class initialisation waits for etcd's first answers at most {@value #FIRST_READ_MILLIS} ms in
 * all per JVM, however many ranges the classes name and however slowly etcd answers: all time spent
 * waiting is taken from one budget, and once it is spent new ranges start at once from the snapshot
 * (or the declared values) and catch up when etcd answers.
 */
public final class LiveValues implements EtcdSession.Listener {

    /** How long class initialisation may wait for etcd's first answer, in all. */
    public static final int FIRST_READ_MILLIS = 2_000;
    /** While the session is being built, every range is read through the gateway this often. */
    private static final long GATEWAY_POLL_MILLIS = 200;
    private static final int GATEWAY_POLL_TIMEOUT_MILLIS = 1_000;
    private static final long NEW_HISTORY_WARNING_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final AgentArguments arguments;
    private final EtcdSession session;
    private final Snapshot snapshot;
    private final SnapshotSchedule snapshotWrites;
    private final WatchedRange config;
    private final List<WatchedRange> ranges = new CopyOnWriteArrayList<>();
    private final List<WatchedRange> configRanges = new CopyOnWriteArrayList<>();
    /** A first read went through the JSON gateway. */
    private volatile boolean gatewayAnswered;
    /** Plain http and no user; false once an endpoint turned out to serve no gateway (etcd's gRPC proxy). */
    private volatile boolean gatewayAllowed;
    private Map<String, String> snapshotValues;
    private volatile boolean unreachable;
    private final StartupBudget firstReadBudget = new StartupBudget(FIRST_READ_MILLIS);
    private long lastNewHistoryWarningNanos;
    private WatchedRange.ProgressListener progress;
    // An inner class, not a lambda: this is built in premain, where a first lambda costs ~20 ms.
    private final ValueListener snapshotOnChange = new ValueListener() {
        @Override
        public void changed(Change change, String oldValue) {
            scheduleSnapshot();
        }
    };

    /**
     * @param apply the apply loop: snapshot files are written there, never on the etcd loop
     */
    public LiveValues(AgentArguments arguments, EtcdSession session, AgentLoop apply) {
        this.arguments = arguments;
        this.session = session;
        this.snapshot = arguments.snapshotFile() == null ? null
                : new Snapshot(arguments.snapshotFile(), arguments.service(), arguments.cluster());
        // Not a lambda: built in premain.
        this.snapshotWrites = snapshot == null ? null : new SnapshotSchedule(apply, new Runnable() {
            @Override
            public void run() {
                saveSnapshot();
            }
        });
        // The JSON gateway carries no TLS set-up or auth token of ours: those go through gRPC only.
        this.gatewayAllowed = !arguments.usesTls() && arguments.user() == null;
        if (arguments.configPrefix() != null) {
            config = new WatchedRange(arguments.configPrefix() + "/", true);
            // Overrides resolved from the first read: labels, and an instance argument, are known now.
            config.scopeTo(arguments.instance(), arguments.labels());
            ranges.add(config);
            configRanges.add(config);
            config.listen(snapshotOnChange);
        } else {
            config = null;
        }
    }

    /** Tells {@code listener} of every range, now and as ranges are added, and of each one's progress. */
    public void onProgress(WatchedRange.ProgressListener listener) {
        synchronized (this) {
            progress = listener;
        }
        for (WatchedRange range : ranges) {
            range.onProgress(listener);
        }
    }

    /** Whether a first read went through the JSON gateway: etcd answers it. */
    public boolean gatewayAnswered() {
        return gatewayAnswered;
    }

    /** Whether first reads go through the JSON gateway, needing no gRPC session. */
    public boolean readsWithoutSession() {
        return gatewayAllowed;
    }

    /** The configuration prefix's range, or null when there is no service and no config argument. */
    public WatchedRange config() {
        return config;
    }

    /**
     * The first read of the configuration prefix, on the etcd loop before gRPC is up: through
     * the JSON gateway when possible, else the snapshot stands in until the session connects.
     */
    public void readConfigAtStart() {
        if (config == null) {
            return;
        }
        firstRead(config, true, FIRST_READ_MILLIS);
    }

    /**
     * Waits (on a class's initialisation) until {@code range} has its first values from etcd or the
     * snapshot, within what is left of the start-up budget; after that the snapshot stands in.
     */
    public void awaitFirstRead(WatchedRange range) {
        long budgetMillis = firstReadBudget.waitMillis();
        long start = firstReadBudget.now();
        boolean read = range.awaitFirstRead(budgetMillis);
        firstReadBudget.spendSince(start);
        if (!read) {
            fallBack(range, configRanges.contains(range));
        }
    }

    /** The range holding an absolute configuration key, created and read on first use. */
    public WatchedRange configKey(String key) {
        if (config != null && config.covers(key)) {
            return config;
        }
        return rangeFor(key, false, true);
    }

    /** The range of a discovered service: the key itself and every key under {@code service/}. */
    public WatchedRange service(String service) {
        return rangeFor(service, true, false);
    }

    private WatchedRange rangeFor(String key, boolean prefix, boolean configuration) {
        WatchedRange range;
        WatchedRange.ProgressListener listener;
        synchronized (this) {
            for (WatchedRange existing : ranges) {
                if (existing.key().equals(key) && existing.isPrefix() == prefix) {
                    return existing;
                }
            }
            range = new WatchedRange(key, prefix);
            ranges.add(range);
            if (configuration) {
                configRanges.add(range);
                range.listen(snapshotOnChange);
            }
            listener = progress;
        }
        if (listener != null) {
            range.onProgress(listener);
        }
        long budgetMillis = firstReadBudget.waitMillis();
        if (budgetMillis == 0) {
            fallBack(range, configuration);
        } else {
            long start = firstReadBudget.now();
            firstRead(range, configuration, budgetMillis);
            firstReadBudget.spendSince(start);
        }
        session.loop().execute(() -> {
            if (session.isConnected() && range.watch == null) {
                resync(range);
            }
        });
        return range;
    }

    /**
     * Reads a new range on the calling thread, within {@code timeoutMillis}; when etcd cannot answer,
     * the snapshot stands in. Returns whether etcd answered.
     */
    private boolean firstRead(WatchedRange range, boolean configuration, long timeoutMillis) {
        RangeRead read = null;
        try {
            if (session.isConnected()) {
                // Never waited for on the etcd loop itself: the answer completes there. The resync reads it.
                if (!session.loop().inLoop()) {
                    read = session.read(range.key(), range.isPrefix()).get(timeoutMillis, TimeUnit.MILLISECONDS);
                }
            } else if (gatewayAllowed) {
                read = GatewayReader.read(arguments.endpoints(), range.key(), range.isPrefix(), (int) timeoutMillis);
                gatewayAnswered = true;
                session.knownCluster(read.clusterId);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (GatewayReader.cutShortByExit(e)) {
                // A JVM that exits before etcd answered: nothing to warn about, nothing to fall back to.
                return false;
            }
            AgentLog.debug("first read of " + range.key() + " failed", e);
            if (GatewayReader.servesNoGateway(e)) {
                // As with TLS or auth: the range waits for the session, which starts at once.
                gatewayAllowed = false;
            }
        }
        if (read != null) {
            range.applyRead(read);
            return true;
        }
        if (session.isConnected() || gatewayAllowed || unreachable) {
            fallBack(range, configuration);
        }
        // Otherwise (TLS or auth, before the session's first answer) connected() or unreachable() settles it.
        return false;
    }

    private void fallBack(WatchedRange range, boolean configuration) {
        if (range.hasFirstValues()) {
            return;
        }
        if (configuration && snapshot != null) {
            Map<String, String> values = snapshotValues();
            range.applySnapshot(values);
            if (range == config) {
                AgentLog.warn("etcd " + arguments.endpoints() + " cannot be read at start: using "
                        + (values.isEmpty() ? "the declared values" : values.size() + " values from snapshot "
                        + snapshot.file()) + " until it answers");
            }
        }
        range.firstReadFailed();
    }

    @Override
    public void unreachable() {
        if (unreachable) {
            return;
        }
        unreachable = true;
        for (WatchedRange range : ranges) {
            fallBack(range, configRanges.contains(range));
        }
    }

    private synchronized Map<String, String> snapshotValues() {
        if (snapshotValues == null) {
            snapshotValues = snapshot.load();
        }
        return snapshotValues;
    }

    /**
     * Until the gRPC session connects, follows every range by reading it through the JSON gateway
     * every {@link #GATEWAY_POLL_MILLIS}: the JVM is registered (through the gateway) before its
     * session is built, and must follow a change from then on, not only once the watches start. On
     * the etcd loop; stops by itself once the session is connected.
     */
    public void followThroughGateway() {
        // The first read was just made: the first poll waits one period, so that a JVM that ends
        // within it (a short command) never waits at exit for an HTTP call in progress.
        session.loop().schedule(this::pollThroughGateway, GATEWAY_POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void pollThroughGateway() {
        if (!gatewayAllowed || !gatewayAnswered || session.isConnected() || session.loop().isShutdown()) {
            return;
        }
        for (WatchedRange range : ranges) {
            if (!range.isFromEtcd()) {
                continue;
            }
            try {
                RangeRead read = GatewayReader.read(arguments.endpoints(), range.key(), range.isPrefix(),
                        GATEWAY_POLL_TIMEOUT_MILLIS);
                // Only a change in the range moves it: the cluster's revision also moves with every
                // status record this JVM puts, and advancing on those would put the record again.
                if (!session.isConnected() && changes(range, read)) {
                    range.applyRead(read);
                }
            } catch (Exception e) {
                AgentLog.debug("reading " + range.key() + " through the gateway failed", e);
            }
        }
        session.loop().schedule(this::pollThroughGateway, GATEWAY_POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Whether {@code read} holds a key, value or deletion that {@code range} does not have yet. */
    private static boolean changes(WatchedRange range, RangeRead read) {
        List<Change> current = range.entries();
        if (current.size() != read.entries.size()) {
            return true;
        }
        for (Change entry : read.entries) {
            Change known = range.get(entry.key);
            if (known == null || known.revision != entry.revision) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void connected(long clusterId, boolean clusterChanged) {
        for (WatchedRange range : ranges) {
            resync(range);
        }
    }

    /**
     * Reads a range again and watches it from there; on the etcd loop. A later resync of the same
     * range supersedes one whose read is still in flight, so a range never has two watches.
     */
    private void resync(WatchedRange range) {
        session.loop().checkInLoop("a range's watch");
        if (range.watch != null) {
            range.watch.close();
            range.watch = null;
        }
        int generation = ++range.resyncs;
        session.read(range.key(), range.isPrefix()).whenComplete((read, error) -> {
            switch (ResyncRule.answered(range, generation, read, error, false)) {
                case RETRY:
                    retry(range, error);
                    break;
                case WATCH:
                    readApplied(range, read);
                    break;
                case CONFIRM:
                    confirmNewHistory(range, generation);
                    break;
                default:
                    // DROP: a later resync superseded this read.
                    break;
            }
        });
    }

    /** A read came back below the revision this copy has: a second one, made now, tells why (see {@link ResyncRule}). */
    private void confirmNewHistory(WatchedRange range, int generation) {
        session.read(range.key(), range.isPrefix()).whenComplete((read, error) -> {
            long had = range.revision();
            switch (ResyncRule.answered(range, generation, read, error, true)) {
                case RETRY:
                    retry(range, error);
                    break;
                case NEW_HISTORY:
                    warnNewHistory(had, read.revision);
                    readApplied(range, read);
                    break;
                case WATCH:
                    readApplied(range, read);
                    break;
                default:
                    break;
            }
        });
    }

    private void warnNewHistory(long had, long now) {
        long nanos = System.nanoTime();
        if (lastNewHistoryWarningNanos != 0 && nanos - lastNewHistoryWarningNanos < NEW_HISTORY_WARNING_NANOS) {
            return;
        }
        lastNewHistoryWarningNanos = nanos;
        AgentLog.warn("etcd " + arguments.endpoints() + " went back from revision " + had + " to " + now
                + " with the same cluster id: it lost its data (an empty data directory, or a restore from a"
                + " backup); its keyspace as read now is the truth, and values follow it from there");
    }

    private void readApplied(WatchedRange range, RangeRead read) {
        if (configRanges.contains(range)) {
            scheduleSnapshot();
        }
        startWatch(range, read.revision + 1);
    }

    private void startWatch(WatchedRange range, long fromRevision) {
        range.watch = session.watch(range.key(), range.isPrefix(), fromRevision, new WatchHandler() {
            @Override
            public void changed(List<Change> changes) {
                range.applyEvents(changes);
            }

            @Override
            public void ended(Throwable error, boolean compacted) {
                range.watch = null;
                if (compacted) {
                    AgentLog.info("watch of " + range.key() + " fell behind etcd's compaction; reading it again");
                    resync(range);
                } else {
                    retry(range, error);
                }
            }
        });
    }

    /**
     * A read or watch failed: a lost connection is resynced on reconnect; a refused permission is
     * explained once and tried again every 10 s (an operator may grant it); anything else after 1 s.
     */
    private void retry(WatchedRange range, Throwable error) {
        if (!session.isConnected()) {
            return;
        }
        ResyncRule.Failure failure = ResyncRule.Failure.of(error);
        String reason = AgentLog.describe(error);
        switch (failure) {
            case CONNECTIVITY:
                // The session checks the members and logs what it finds; one range's line would add nothing.
                AgentLog.debug("reading or watching " + range.key() + " failed: " + reason + "; trying again in "
                        + failure.retryMillis + " ms");
                break;
            case PERMISSION_DENIED:
                if (!range.permissionExplained) {
                    range.permissionExplained = true;
                    AgentLog.error("etcd refuses to let user '" + arguments.user() + "' read " + range.key()
                            + ": grant it, e.g. etcdctl role grant-permission <role> " + (range.isPrefix() ? "--prefix=true " : "")
                            + "read " + range.key() + "; values under it stay as they are until then");
                }
                break;
            default:
                AgentLog.warn("reading or watching " + range.key() + " failed: " + reason + "; trying again in "
                        + failure.retryMillis + " ms");
        }
        session.loop().schedule(() -> {
            if (session.isConnected() && range.watch == null) {
                resync(range);
            }
        }, failure.retryMillis, TimeUnit.MILLISECONDS);
    }

    private void scheduleSnapshot() {
        if (snapshotWrites != null) {
            snapshotWrites.changed();
        }
    }

    /** At JVM exit: a change not yet on disk is written now, on the caller's thread. */
    public void flushSnapshot() {
        if (snapshotWrites != null) {
            snapshotWrites.saveIfDue();
        }
    }

    private void saveSnapshot() {
        snapshot.saveKnown(configRanges, this::snapshotValues);
    }
}
