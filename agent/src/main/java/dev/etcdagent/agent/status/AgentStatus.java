package dev.etcdagent.agent.status;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.etcdagent.agent.values.ValueOutcomes;
import dev.etcdagent.agent.registration.Presence;
import dev.etcdagent.agent.registration.Registration;
import dev.etcdagent.agent.etcd.EtcdSession;
import dev.etcdagent.agent.values.WatchedRange;

/**
 * What this JVM has applied, kept as it happens, and written to its status record when it changes.
 *
 * <p>A range's progress is taken on the apply loop only after the field writes it caused: the
 * range hands each change to the fields (which queue their writes on the apply loop) before
 * telling of its new revision, and this queues the news behind those writes. So a record never
 * claims a revision whose values are not yet in the fields, the property overlay and the map.
 *
 * <p>Records are written at most every {@link RecordPacing#MIN_INTERVAL_MILLIS} ms, only when their text changes,
 * and never from the path that writes fields: a change schedules the write on the apply loop.
 */
public final class AgentStatus implements WatchedRange.ProgressListener, ValueOutcomes, Registration.AddressListener,
        EtcdSession.Listener {

    private final String service;
    private final String prefix;
    private final String instanceArgument;
    private final ScheduledExecutorService loop;
    private final Presence presence;
    /** The instance's labels, for operators to see; set before the first record. */
    private volatile Map<String, String> labels = Map.of();

    // Guarded by this: rejections are told on the thread that writes the field, which may be a class's initialiser.
    private final IdentityHashMap<WatchedRange, Long> applied = new IdentityHashMap<>();
    private final Map<String, Map<String, StatusRecord.Rejection>> rejected = new LinkedHashMap<>();
    private volatile int rejectedCount;
    private String address;
    private final RecordPacing pacing;

    // Guarded by written: the apply loop writes records, the etcd loop replaces one at a connection.
    private final Object written = new Object();
    private String writtenKey;
    private String writtenText;
    // Looked up on the apply loop: it may take a DNS query.
    private volatile String hostname;
    /** Told the instance id each time it changes (scoped overrides follow it); the last one told. */
    private volatile java.util.function.Consumer<String> instanceListener;
    private String toldInstance;

    /**
     * @param prefix   the status prefix, or null when records are off (the figures are still kept, for JMX)
     * @param presence the JVM's lease keeper: the record is bound to the lease of the registration
     */
    public AgentStatus(String service, String prefix, String instanceArgument, ScheduledExecutorService loop,
                       Presence presence) {
        this(service, prefix, instanceArgument, loop, presence, new RecordPacing());
    }

    /** @param pacing the write rate's rule, on a clock tests may stand in */
    AgentStatus(String service, String prefix, String instanceArgument, ScheduledExecutorService loop,
                Presence presence, RecordPacing pacing) {
        this.service = service;
        this.prefix = service == null ? null : prefix;
        this.instanceArgument = instanceArgument;
        this.loop = loop;
        this.presence = presence;
        this.pacing = pacing;
    }

    /** The instance's labels (the {@code labels} argument), shown in every record from now on. */
    public void labels(Map<String, String> instanceLabels) {
        labels = instanceLabels;
    }

    @Override
    public void advanced(WatchedRange range, long revision) {
        // Queued behind the field writes this progress caused: see the class comment.
        loop.execute(() -> rangeApplied(range, revision));
    }

    /**
     * After any (re)connection every range is read again, and until it is, the record claims no
     * revision for it: etcd may have lost its data (its revisions then begin again at 1), and a
     * record still claiming the old revisions would confirm an operator's new change at once. The
     * record is replaced here, before the presence puts its keys back.
     */
    @Override
    public void connected(long clusterId, boolean clusterChanged) {
        synchronized (this) {
            applied.replaceAll((range, revision) -> 0L);
        }
        if (prefix != null && hostname != null) {
            publish();
        }
    }

    @Override
    public void restarted(WatchedRange range, long revision) {
        loop.execute(() -> {
            synchronized (this) {
                applied.put(range, revision);
                // A refusal from the old history still stands (the value was read again, unchanged),
                // and the new history's next applied change clears it.
                for (Map<String, StatusRecord.Rejection> byField : rejected.values()) {
                    byField.replaceAll((field, rejection) -> rejection.revision > revision
                            ? new StatusRecord.Rejection(revision, rejection.field, rejection.reason) : rejection);
                }
            }
            changed();
        });
    }

    private void rangeApplied(WatchedRange range, long revision) {
        synchronized (this) {
            Long before = applied.get(range);
            if (before != null && before >= revision) {
                return;
            }
            applied.put(range, revision);
        }
        changed();
    }

    @Override
    public void applied(String key, long revision, String field) {
        if (rejectedCount == 0) {
            return;
        }
        synchronized (this) {
            Map<String, StatusRecord.Rejection> byField = rejected.get(key);
            if (byField == null) {
                return;
            }
            StatusRecord.Rejection rejection = byField.get(field);
            if (rejection == null || rejection.revision > revision) {
                return;
            }
            byField.remove(field);
            if (byField.isEmpty()) {
                rejected.remove(key);
            }
            rejectedCount = rejected.size();
        }
        changed();
    }

    @Override
    public void rejected(String key, long revision, String field, String reason) {
        synchronized (this) {
            rejected.computeIfAbsent(key, k -> new LinkedHashMap<>())
                    .put(field, new StatusRecord.Rejection(revision, field, reason));
            rejectedCount = rejected.size();
        }
        changed();
    }

    @Override
    public void address(String hostPort) {
        synchronized (this) {
            address = hostPort;
        }
        tellInstance();
        changed();
    }

    /** Tells {@code listener} the instance id now (when known) and each time it changes. */
    public void onInstance(java.util.function.Consumer<String> listener) {
        instanceListener = listener;
        tellInstance();
    }

    /** The id the record carries: known once there is an argument, an address, or the host's name. */
    private void tellInstance() {
        java.util.function.Consumer<String> listener = instanceListener;
        String instance;
        synchronized (this) {
            if (listener == null || instanceArgument == null && address == null && hostname == null) {
                return;
            }
            instance = instance();
            if (instance.equals(toldInstance)) {
                return;
            }
            toldInstance = instance;
        }
        listener.accept(instance);
    }

    /** How many keys have a latest value that some field refused. */
    public int rejectedCount() {
        return rejectedCount;
    }

    /** The revision up to which every change of every followed range is applied. */
    public long revision() {
        return snapshot().revision;
    }

    /** The record as it stands now. */
    public synchronized StatusRecord snapshot() {
        List<StatusRecord.Range> ranges = new ArrayList<>();
        for (Map.Entry<WatchedRange, Long> entry : applied.entrySet()) {
            ranges.add(new StatusRecord.Range(entry.getKey().key(), entry.getKey().isPrefix(), entry.getValue()));
        }
        ranges.sort(Comparator.comparing((StatusRecord.Range range) -> range.key));
        Map<String, StatusRecord.Rejection> latest = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, StatusRecord.Rejection>> entry : rejected.entrySet()) {
            latest.put(entry.getKey(), entry.getValue().values().iterator().next());
        }
        return new StatusRecord(service, instance(), address, ProcessHandle.current().pid(), hostname,
                StartTime.TEXT, AgentVersion.TEXT, System.getProperty("java.version"), ranges, latest)
                .withLabels(labels);
    }

    /**
     * JVM exit: stops the presence (the lease is revoked, every key goes at once), putting this JVM's
     * record once more first, saying {@code "state":"stopping"}, so that the operator's tool tells a
     * normal exit from a JVM whose lease expired. Called from the exit hook's thread.
     */
    public CompletableFuture<Void> stopPresence() {
        if (prefix == null || hostname == null) {
            // No record written (hostname is looked up by the first write): nothing to say, and no JSON encoder to load.
            return presence.stop();
        }
        StatusRecord last = snapshot().stopping();
        return presence.stop(prefix + service + "/" + last.instance,
                last.encode().getBytes(StandardCharsets.UTF_8));
    }

    /** The registration's instance id, or for a JVM that does not listen the JVM's own {@code pid@host} name. */
    private String instance() {
        if (instanceArgument != null) {
            return instanceArgument;
        }
        return address != null ? address : ProcessHandle.current().pid() + "@" + hostname;
    }

    /** Something in the record may have changed: schedule a write, at most one per interval. */
    private void changed() {
        if (prefix == null) {
            return;
        }
        long delayNanos;
        synchronized (this) {
            delayNanos = pacing.delayNanos();
        }
        if (delayNanos < 0) {
            return;
        }
        loop.schedule(this::write, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void write() {
        if (hostname == null) {
            // On the apply loop: it may take a DNS query.
            hostname = localHostname();
            tellInstance();
        }
        synchronized (this) {
            pacing.writing();
        }
        publish();
    }

    /** Puts the record as it stands now, if its text changed; on the apply loop, or the etcd loop at a connection. */
    private void publish() {
        synchronized (written) {
            StatusRecord record = snapshot();
            String key = prefix + service + "/" + record.instance;
            String text = record.encode();
            if (key.equals(writtenKey) && text.equals(writtenText)) {
                return;
            }
            synchronized (this) {
                pacing.written();
            }
            // The new key first: withdrawing the only key would revoke the lease.
            presence.publish(key, text.getBytes(StandardCharsets.UTF_8));
            if (writtenKey != null && !writtenKey.equals(key)) {
                presence.withdraw(writtenKey);
            }
            writtenKey = key;
            writtenText = text;
        }
    }

    private static String localHostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown";
        }
    }

    /** When this JVM started, as the operating system tells it. */
    private static final class StartTime {
        static final String TEXT = ProcessHandle.current().info().startInstant().orElse(Instant.now()).toString();
    }

    /** The agent's version, from its jar's manifest. */
    private static final class AgentVersion {
        static final String TEXT = versionOf(AgentStatus.class);

        private static String versionOf(Class<?> type) {
            String version = type.getPackage().getImplementationVersion();
            return version == null ? "dev" : version;
        }
    }
}
