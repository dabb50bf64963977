package dev.etcdagent.agent.etcd;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.watch.WatchEvent;

/** etcd's keys and values as {@link Change}s: the one place where bytes become text, and the UTF-8 check is made. */
final class Changes {

    private Changes() {
    }

    /** A live key, as a read or a put event carries it. */
    static Change of(KeyValue kv) {
        return put(Bytes.text(kv.getKey().getBytes()), kv.getValue().getBytes(), kv.getModRevision());
    }

    /** A watch event, or null for an event type that changes no value. */
    static Change of(WatchEvent event) {
        KeyValue kv = event.getKeyValue();
        switch (event.getEventType()) {
            case PUT:
                return of(kv);
            case DELETE:
                return new Change(Bytes.text(kv.getKey().getBytes()), null, kv.getModRevision(), false);
            default:
                return null;
        }
    }

    /** A key's value from its raw bytes; text with replacement characters, flagged, when not UTF-8. */
    static Change put(String key, byte[] value, long revision) {
        return new Change(key, Bytes.text(value), revision, !Bytes.isUtf8(value));
    }
}
