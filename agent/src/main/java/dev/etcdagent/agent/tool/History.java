package dev.etcdagent.agent.tool;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import dev.etcdagent.agent.scope.ScopedKey;
import io.etcd.jetcd.KeyValue;

/**
 * The earlier values of a key and its overrides, newest first, from etcd's revisions while they are
 * not compacted, joined with the audit entries (who, when, why) of the changes the tool made.
 *
 * <p>Each key is followed back version by version (a read at the revision before each value). A
 * delete is found between two lives of a key, and, for a key that no longer exists, from the audit
 * entry of its deletion; a key created and deleted with plain etcdctl, and gone now, leaves no trace.
 */
final class History {

    /** One change of one key. {@code value == null}: a delete; {@code revision == 0}: a delete whose revision is unknown. */
    static final class Event {
        final String key;
        final String value;
        final long revision;
        /** For a delete of unknown revision: it happened after this revision. */
        final long after;
        final Audit.Entry audit;

        Event(String key, String value, long revision, long after, Audit.Entry audit) {
            this.key = key;
            this.value = value;
            this.revision = revision;
            this.after = after;
            this.audit = audit;
        }

        String scope() {
            ScopedKey scoped = ScopedKey.parse(key);
            return scoped.isOverride() ? scoped.scope.describe() : "base";
        }

        /** Newest first; a delete of unknown revision comes after (above) the value it ended. */
        long sortKey() {
            return revision != 0 ? revision * 2 : after * 2 + 1;
        }

        /** A temporary value whose lease ended: etcd deleted it. */
        boolean ended() {
            return value == null && revision == 0 && key.endsWith("@temporary");
        }
    }

    final List<Event> events = new ArrayList<>();
    /** The oldest revision a read found compacted, or 0. */
    long compactedAt;

    private final EtcdAccess etcd;
    private final Map<Long, Audit.Entry> audit;
    private final int limit;

    private History(EtcdAccess etcd, Map<Long, Audit.Entry> audit, int limit) {
        this.etcd = etcd;
        this.audit = audit;
        this.limit = limit;
    }

    /** The last {@code limit} changes (or a few more) of {@code now}'s key and its overrides. */
    static History of(EtcdAccess etcd, Family now, Map<Long, Audit.Entry> audit, int limit) {
        History history = new History(etcd, audit, limit);
        TreeSet<String> keys = new TreeSet<>(now.entries.keySet());
        for (Audit.Entry entry : audit.values()) {
            for (String key : entry.keys) {
                if (ScopedKey.parse(key).base.equals(now.base)) {
                    keys.add(key);
                }
            }
        }
        for (String key : keys) {
            Family.Entry current = now.entries.get(key);
            history.walk(key, current == null ? null : etcd.getAt(key, now.revision));
        }
        history.events.sort(Comparator.comparingLong(Event::sortKey).reversed());
        if (history.events.size() > limit) {
            history.events.subList(limit, history.events.size()).clear();
        }
        return history;
    }

    private void walk(String key, KeyValue now) {
        int found = 0;
        KeyValue kv = now;
        try {
            if (kv == null) {
                // Gone now: from the newest audited change of the key, a delete, or a put that ended later
                // (a temporary value's lease, or a delete made with etcdctl).
                Long newest = null;
                for (Audit.Entry entry : audit.values()) {
                    if (entry.keys.contains(key) && (newest == null || entry.revision > newest)) {
                        newest = entry.revision;
                    }
                }
                if (newest == null) {
                    return;
                }
                kv = etcd.getAt(key, newest);
                if (kv == null) {
                    add(key, null, newest, 0);
                    kv = etcd.getAt(key, newest - 1);
                } else {
                    add(key, null, 0, kv.getModRevision());
                }
            }
            while (kv != null && found++ < limit) {
                add(key, kv.getValue().toString(StandardCharsets.UTF_8), kv.getModRevision(), 0);
                if (kv.getVersion() > 1) {
                    kv = etcd.getAt(key, kv.getModRevision() - 1);
                    continue;
                }
                // This life of the key began here: was there one before it?
                long created = kv.getCreateRevision();
                Long deleted = auditedDelete(key, created);
                KeyValue earlier = created > 1 ? etcd.getAt(key, (deleted != null ? deleted : created) - 1) : null;
                if (earlier == null) {
                    break;
                }
                add(key, null, deleted != null ? deleted : 0, earlier.getModRevision());
                kv = earlier;
            }
        } catch (EtcdAccess.Compacted compacted) {
            compactedAt = Math.max(compactedAt, compacted.revision);
        }
    }

    /** The revision of the latest audited delete of {@code key} below {@code before}, or null. */
    private Long auditedDelete(String key, long before) {
        Long latest = null;
        for (Audit.Entry entry : audit.values()) {
            if (entry.revision < before && entry.keys.contains(key) && (latest == null || entry.revision > latest)) {
                KeyValue at = etcd.getAt(key, entry.revision);
                if (at == null) {
                    latest = entry.revision;
                }
            }
        }
        return latest;
    }

    private void add(String key, String value, long revision, long after) {
        events.add(new Event(key, value, revision, after, revision == 0 ? null : audit.get(revision)));
    }
}
