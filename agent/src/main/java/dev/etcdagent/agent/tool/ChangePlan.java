package dev.etcdagent.agent.tool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One change the tool makes to a configuration key and its overrides: the keys it puts and
 * deletes, committed in one etcd transaction with its audit entry, and only while the keys it
 * read are as it read them.
 */
final class ChangePlan {

    /** Puts {@code value} at {@code key}, or deletes it when the value is null; {@code ttl}: a temporary value. */
    static final class Write {
        final String key;
        final String value;
        final Duration ttl;

        Write(String key, String value, Duration ttl) {
            this.key = key;
            this.value = value;
            this.ttl = ttl;
        }
    }

    /** put, delete, promote, abort or rollback: the word the tool and the audit entry use. */
    final String operation;
    final String base;
    /** For people and the audit entry: {@code base}, {@code canary 10%}, {@code label zone=eu, temporary}… */
    final String scope;
    final List<Write> writes = new ArrayList<>();
    /** A temporary value's time, for the audit entry; null otherwise. */
    Duration ttl;

    ChangePlan(String operation, String base, String scope) {
        this.operation = operation;
        this.base = base;
        this.scope = scope;
    }

    ChangePlan put(String key, String value, Duration ttl) {
        writes.add(new Write(key, value, ttl));
        return this;
    }

    ChangePlan delete(String key) {
        writes.add(new Write(key, null, null));
        return this;
    }

    boolean isEmpty() {
        return writes.isEmpty();
    }

    List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (Write write : writes) {
            keys.add(write.key);
        }
        return keys;
    }
}
