package dev.etcdagent.agent.values;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.etcdagent.agent.etcd.Change;
import dev.etcdagent.agent.etcd.KeyWatch;
import dev.etcdagent.agent.etcd.RangeRead;
import dev.etcdagent.agent.scope.Precedence;
import dev.etcdagent.agent.scope.ScopedKey;

/**
 * The local copy of one key or prefix and the rules that keep it equal to etcd's.
 *
 * <p>{@link #revision} is the revision up to which this copy is complete. An event at an older
 * revision, or one already applied (Debian's etcd 3.4 can deliver an event twice), is ignored, so
 * an older value never overwrites a newer one. A read replaces the copy: keys it lacks are gone.
 * A read from another cluster (etcd wiped and replaced), or one confirmed to start a new history
 * (etcd lost its data but kept its cluster id), is taken as the truth whatever its revision.
 *
 * <p>A range of configuration may be {@linkplain #scopeTo scoped}: then its keys' overrides
 * ({@code NAME@label=zone:eu}, see {@link dev.etcdagent.agent.scope.Scope}) are resolved here, and
 * its listeners hear only of base keys, each with the value that applies to this instance.
 * {@link #entries()} and {@link #get} stay etcd's own keys (the snapshot keeps the overrides).
 */
public final class WatchedRange {

    /**
     * Told, with the range's lock held, each time the revision up to which the copy is complete
     * moves: after the listeners of every change up to it. Must not block.
     */
    public interface ProgressListener {
        void advanced(WatchedRange range, long revision);

        /** The copy now starts from {@code revision}, below what it had: a new cluster, or a new history. */
        void restarted(WatchedRange range, long revision);
    }

    private final String key;
    private final boolean prefix;
    private final Map<String, Change> entries = new HashMap<>();
    private final List<ValueListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, List<Reference<ValueListener>>> keyListeners = new HashMap<>();
    private final CountDownLatch firstRead = new CountDownLatch(1);
    private long revision;
    private long clusterId;
    private boolean fromEtcd;
    private ProgressListener progress;
    /** A range listener was told of a change since it was last told the changes settled. */
    private boolean unsettled;
    /** Whether overrides are resolved; then this instance's id (null until known) and labels. */
    private boolean scoped;
    private String instanceId;
    private Map<String, String> labels = Map.of();
    /** Base key to the keys of its overrides now in the copy. */
    private final Map<String, List<String>> overrides = new HashMap<>();
    /**
     * Base keys touched by the read or answer being applied, with the entry that applied before it and
     * the revision of the last change: each is told once, at the end, with the value it ends with.
     */
    private final Map<String, Pending> pending = new java.util.LinkedHashMap<>();

    private static final class Pending {
        final Change before;
        long revision;

        Pending(Change before) {
            this.before = before;
        }
    }

    // Owned by the etcd loop.
    KeyWatch watch;
    boolean permissionExplained;
    /** Counts resyncs: an answer to an older one is dropped. */
    int resyncs;

    WatchedRange(String key, boolean prefix) {
        this.key = key;
        this.prefix = prefix;
    }

    public String key() {
        return key;
    }

    public boolean isPrefix() {
        return prefix;
    }

    public boolean covers(String candidate) {
        return prefix ? candidate.startsWith(key) : candidate.equals(key);
    }

    public synchronized long revision() {
        return revision;
    }

    /** Whether this copy has come from etcd at least once (rather than only from the snapshot). */
    public synchronized boolean isFromEtcd() {
        return fromEtcd;
    }

    /**
     * Resolves overrides from now on, for an instance of this id (null while it has none) and these
     * labels; when either changed, the listeners of every key whose value that moves are told.
     */
    public synchronized void scopeTo(String instanceId, Map<String, String> labels) {
        if (scoped && java.util.Objects.equals(instanceId, this.instanceId) && labels.equals(this.labels)) {
            return;
        }
        if (!scoped) {
            // Before now every key was its own: index the overrides already in the copy.
            for (String key : entries.keySet()) {
                ScopedKey read = ScopedKey.parse(key);
                if (read.isOverride()) {
                    overrides.computeIfAbsent(read.base, k -> new ArrayList<>()).add(key);
                }
            }
        }
        Map<String, Change> before = new HashMap<>();
        for (String base : overrides.keySet()) {
            before.put(base, scoped ? applying(base) : entries.get(base));
        }
        scoped = true;
        this.instanceId = instanceId;
        this.labels = Map.copyOf(labels);
        for (Map.Entry<String, Change> was : before.entrySet()) {
            tell(was.getKey(), was.getValue(), applying(was.getKey()), revision);
        }
        settle();
    }

    /** The entry of {@code base} that applies to this instance: its own, or an override's; null when none. */
    private Change applying(String base) {
        List<String> keys = scoped ? overrides.get(base) : null;
        if (keys == null) {
            return entries.get(base);
        }
        List<Change> family = new ArrayList<>(keys.size() + 1);
        Change own = entries.get(base);
        if (own != null) {
            family.add(own);
        }
        for (String key : keys) {
            family.add(entries.get(key));
        }
        return Precedence.winner(family, instanceId, labels);
    }

    /** The current entry of {@code candidate}, or null. */
    public synchronized Change get(String candidate) {
        return entries.get(candidate);
    }

    public synchronized List<Change> entries() {
        return new ArrayList<>(entries.values());
    }

    /**
     * Adds a listener of one key and returns the key's current entry, atomically, so that the
     * listener misses nothing that happens after the entry it was given. The listener is held
     * weakly: a field binding lives as long as its class (which holds it), and a redeployed
     * application's classes must not be kept, nor written to, by the agent.
     */
    public synchronized Change listen(String candidate, ValueListener listener) {
        List<Reference<ValueListener>> forKey = keyListeners.computeIfAbsent(candidate, k -> new ArrayList<>());
        forKey.removeIf(held -> held.get() == null);
        forKey.add(new WeakReference<>(listener));
        Change applying = applying(candidate);
        return applying == null || applying.key.equals(candidate) ? applying
                : new Change(candidate, applying.value, applying.revision, applying.malformed);
    }

    public synchronized void listen(ValueListener listener) {
        listeners.add(listener);
    }

    /** Sets the one progress listener and tells it the revision now. */
    public synchronized void onProgress(ProgressListener listener) {
        progress = listener;
        listener.advanced(this, revision);
    }

    /** Waits until the first read from etcd or the snapshot has been applied, or it failed. */
    public boolean awaitFirstRead(long millis) {
        try {
            return firstRead.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether the first values (from etcd, or the snapshot in its place) are in. */
    public boolean hasFirstValues() {
        return firstRead.getCount() == 0;
    }

    /** Nothing more to wait for: the first read failed and etcd cannot answer now. */
    public void firstReadFailed() {
        firstRead.countDown();
    }

    /** Values from the snapshot file: taken only while etcd has not answered, replaced by etcd's first read. */
    public synchronized void applySnapshot(Map<String, String> values) {
        if (fromEtcd) {
            return;
        }
        for (Map.Entry<String, String> value : values.entrySet()) {
            if (covers(value.getKey())) {
                set(new Change(value.getKey(), value.getValue(), 0, false));
            }
        }
        settle();
    }

    /** Applies a read of the whole range; returns false when it was older than what this copy has. */
    public synchronized boolean applyRead(RangeRead read) {
        return applyRead(read, false);
    }

    /**
     * Applies a read as the start of a new history: etcd lost its data (restarted on an empty data
     * directory, or restored from a backup) and kept its cluster id, so its revisions began again
     * below the one this copy has. The keyspace as now read is the truth, whatever the revisions.
     * The caller has made sure of it: a second read, made after this copy reached its revision,
     * is still below it.
     */
    public synchronized void applyNewHistory(RangeRead read) {
        applyRead(read, true);
    }

    private boolean applyRead(RangeRead read, boolean newHistory) {
        boolean newCluster = fromEtcd && read.clusterId != 0 && clusterId != 0 && read.clusterId != clusterId;
        boolean restart = newCluster || (newHistory && fromEtcd);
        if (fromEtcd && !restart && read.revision < revision) {
            return false;
        }
        Map<String, Change> seen = new HashMap<>();
        for (Change entry : read.entries) {
            seen.put(entry.key, entry);
            Change current = entries.get(entry.key);
            if (current == null || restart || !fromEtcd || entry.revision > current.revision) {
                set(entry);
            }
        }
        for (Change gone : new ArrayList<>(entries.values())) {
            if (!seen.containsKey(gone.key)) {
                remove(new Change(gone.key, null, read.revision, false));
            }
        }
        boolean lowered = read.revision < revision;
        revision = read.revision;
        if (read.clusterId != 0) {
            clusterId = read.clusterId;
        }
        fromEtcd = true;
        firstRead.countDown();
        settle();
        if (lowered && progress != null) {
            progress.restarted(this, revision);
        } else {
            advanced();
        }
        return true;
    }

    /** Applies watch events, skipping any this copy already reflects. */
    public synchronized void applyEvents(List<Change> changes) {
        long before = revision;
        for (Change change : changes) {
            if (change.revision < revision) {
                continue;
            }
            Change current = entries.get(change.key);
            if (current != null && current.revision >= change.revision) {
                continue;
            }
            if (change.revision == revision && current == null && change.isDelete()) {
                continue;
            }
            if (change.isDelete()) {
                if (current != null) {
                    remove(change);
                }
            } else {
                set(change);
            }
            revision = Math.max(revision, change.revision);
        }
        settle();
        if (revision != before) {
            advanced();
        }
    }

    private void settle() {
        tellPending();
        if (!unsettled) {
            return;
        }
        unsettled = false;
        for (ValueListener listener : listeners) {
            listener.settled();
        }
    }

    private void advanced() {
        if (progress != null) {
            progress.advanced(this, revision);
        }
    }

    private void set(Change entry) {
        Change old = entries.get(entry.key);
        if (old != null && old.value.equals(entry.value) && old.malformed == entry.malformed) {
            entries.put(entry.key, entry);
            return;
        }
        ScopedKey scoped = scopedKey(entry.key);
        if (scoped == null) {
            entries.put(entry.key, entry);
            notifyListeners(entry, old);
            return;
        }
        touch(scoped.base, entry.revision);
        entries.put(entry.key, entry);
        if (scoped.isOverride() && old == null) {
            overrides.computeIfAbsent(scoped.base, k -> new ArrayList<>()).add(entry.key);
        }
    }

    private void remove(Change deletion) {
        ScopedKey scoped = scopedKey(deletion.key);
        if (scoped == null) {
            Change old = entries.remove(deletion.key);
            if (old != null) {
                notifyListeners(deletion, old);
            }
            return;
        }
        if (!entries.containsKey(deletion.key)) {
            return;
        }
        touch(scoped.base, deletion.revision);
        entries.remove(deletion.key);
        if (scoped.isOverride()) {
            List<String> keys = overrides.get(scoped.base);
            keys.remove(deletion.key);
            if (keys.isEmpty()) {
                overrides.remove(scoped.base);
            }
        }
    }

    /** Notes the value of {@code base} before the first change of this batch touches it. */
    private void touch(String base, long atRevision) {
        Pending touched = pending.get(base);
        if (touched == null) {
            touched = new Pending(applying(base));
            pending.put(base, touched);
        }
        touched.revision = Math.max(touched.revision, atRevision);
    }

    /** Tells each base key the batch touched, once, with the value that now applies. */
    private void tellPending() {
        if (pending.isEmpty()) {
            return;
        }
        for (Map.Entry<String, Pending> touched : pending.entrySet()) {
            tell(touched.getKey(), touched.getValue().before, applying(touched.getKey()), touched.getValue().revision);
        }
        pending.clear();
    }

    /** The key as base and scope when overrides are resolved here; null when they are not. */
    private ScopedKey scopedKey(String key) {
        return scoped ? ScopedKey.parse(key) : null;
    }

    /** Tells the listeners of {@code base} when the value that applies to this instance moved. */
    private void tell(String base, Change before, Change after, long atRevision) {
        if (after == null ? before == null
                : before != null && before.value.equals(after.value) && before.malformed == after.malformed) {
            return;
        }
        Change change = after == null ? new Change(base, null, atRevision, false)
                : new Change(base, after.value, atRevision, after.malformed);
        notifyListeners(change, before);
    }

    private void notifyListeners(Change change, Change old) {
        String oldValue = old == null ? null : old.value;
        // Fields first: the property bridge and the snapshot log and schedule, fields only enqueue.
        List<Reference<ValueListener>> forKey = keyListeners.get(change.key);
        if (forKey != null) {
            for (Iterator<Reference<ValueListener>> held = forKey.iterator(); held.hasNext(); ) {
                ValueListener listener = held.next().get();
                if (listener == null) {
                    held.remove();
                } else {
                    listener.changed(change, oldValue);
                }
            }
        }
        for (ValueListener listener : listeners) {
            listener.changed(change, oldValue);
        }
        if (!listeners.isEmpty()) {
            unsettled = true;
        }
    }
}
