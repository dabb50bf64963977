package dev.etcdagent.agent.tool;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.etcdagent.agent.etcd.Change;
import dev.etcdagent.agent.scope.Precedence;
import dev.etcdagent.agent.scope.ScopedKey;
import dev.etcdagent.agent.status.StatusRecord;
import io.etcd.jetcd.KeyValue;

/**
 * A configuration key and its overrides as etcd held them at one revision, and which of them
 * applies to an instance, decided as the agent decides it.
 */
final class Family {

    /** One key of the family: its value, revision and lease (0: none). */
    static final class Entry {
        final ScopedKey key;
        final String value;
        final long revision;
        final long lease;

        Entry(ScopedKey key, String value, long revision, long lease) {
            this.key = key;
            this.value = value;
            this.revision = revision;
            this.lease = lease;
        }

        /** For people: {@code base}, or the override's scope. */
        String scope() {
            return key.isOverride() ? key.scope.describe() : "base";
        }
    }

    final String base;
    final long revision;
    /** By key, in key order. */
    final Map<String, Entry> entries;

    private Family(String base, long revision, Map<String, Entry> entries) {
        this.base = base;
        this.revision = revision;
        this.entries = entries;
    }

    /** A family as given: {@code values} key to value, all at {@code revision}; keys ending in @temporary on a lease. */
    static Family of(String base, long revision, Map<String, String> values) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, String> value : values.entrySet()) {
            entries.put(value.getKey(), new Entry(ScopedKey.parse(value.getKey()), value.getValue(), revision,
                    value.getKey().endsWith("@temporary") ? 1 : 0));
        }
        return new Family(base, revision, entries);
    }

    /** The family of {@code base} at {@code revision} (0: now). */
    static Family read(EtcdAccess etcd, String base, long revision) {
        io.etcd.jetcd.kv.GetResponse response = etcd.get(base, true, revision);
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (KeyValue kv : response.getKvs()) {
            String key = kv.getKey().toString(StandardCharsets.UTF_8);
            ScopedKey scoped = ScopedKey.parse(key);
            if (scoped.base.equals(base)) {
                entries.put(key, new Entry(scoped, kv.getValue().toString(StandardCharsets.UTF_8), kv.getModRevision(),
                        kv.getLease()));
            }
        }
        return new Family(base, revision > 0 ? revision : response.getHeader().getRevision(), entries);
    }

    Entry own() {
        return entries.get(base);
    }

    List<Entry> overrides() {
        List<Entry> overrides = new ArrayList<>();
        for (Entry entry : entries.values()) {
            if (entry.key.isOverride()) {
                overrides.add(entry);
            }
        }
        return overrides;
    }

    /** The entry that applies to the instance of {@code record}, or null when none does. */
    Entry applyingTo(StatusRecord record) {
        List<Change> family = new ArrayList<>();
        for (Entry entry : entries.values()) {
            family.add(new Change(entry.key.key, entry.value, entry.revision, false));
        }
        Change winner = Precedence.winner(family, record.instance, record.labels);
        return winner == null ? null : entries.get(winner.key);
    }

    /** The family once {@code writes} are committed at {@code atRevision}. */
    Family after(List<ChangePlan.Write> writes, long atRevision) {
        Map<String, Entry> next = new LinkedHashMap<>(entries);
        for (ChangePlan.Write write : writes) {
            if (write.value == null) {
                next.remove(write.key);
            } else {
                next.put(write.key, new Entry(ScopedKey.parse(write.key), write.value, atRevision, write.ttl == null ? 0 : 1));
            }
        }
        return new Family(base, atRevision, next);
    }
}
