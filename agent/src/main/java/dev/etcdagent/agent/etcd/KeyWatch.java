package dev.etcdagent.agent.etcd;

import java.util.ArrayList;
import java.util.List;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;

/**
 * One jetcd watch, ended for good at its first error: jetcd would quietly resume some watches
 * and end others (compaction), so the agent takes every error as the end and decides itself.
 */
public final class KeyWatch implements AutoCloseable {

    private final EtcdSession session;
    private final WatchHandler handler;
    private final Client client;
    private volatile boolean closed;
    private Watch.Watcher watcher;

    KeyWatch(EtcdSession session, Client client, String key, boolean prefix, long fromRevision,
             WatchHandler handler) {
        this.session = session;
        this.client = client;
        this.handler = handler;
        WatchOption option = WatchOption.builder()
                .isPrefix(prefix)
                .withRevision(fromRevision)
                // a member cut off from its cluster ends the watch instead of going silent
                .withRequireLeader(true)
                .build();
        watcher = client.getWatchClient().watch(Bytes.of(key), option,
                Watch.listener(this::onNext, this::onError, this::onCompleted));
    }

    private void onNext(WatchResponse response) {
        List<Change> changes = new ArrayList<>(response.getEvents().size());
        for (WatchEvent event : response.getEvents()) {
            KeyValue kv = event.getKeyValue();
            String key = Bytes.text(kv.getKey().getBytes());
            if (event.getEventType() == WatchEvent.EventType.DELETE) {
                changes.add(new Change(key, null, kv.getModRevision(), false));
            } else if (event.getEventType() == WatchEvent.EventType.PUT) {
                changes.add(Bytes.put(key, kv.getValue().getBytes(), kv.getModRevision()));
            }
        }
        if (changes.isEmpty()) {
            return;
        }
        session.loop().execute(() -> {
            if (!closed) {
                handler.changed(changes);
            }
        });
    }

    private void onError(Throwable error) {
        boolean compacted = EtcdSession.unwrap(error) instanceof CompactedException;
        if (!compacted) {
            session.failed(client, error);
        }
        end(error, compacted);
    }

    private void onCompleted() {
        end(new IllegalStateException("watch completed by etcd"), false);
    }

    private void end(Throwable error, boolean compacted) {
        session.loop().execute(() -> {
            if (closed) {
                return;
            }
            close();
            handler.ended(error, compacted);
        });
    }

    @Override
    public void close() {
        closed = true;
        Watch.Watcher current = watcher;
        watcher = null;
        if (current != null) {
            try {
                current.close();
            } catch (RuntimeException ignored) {
                // the client may already be closed
            }
        }
    }
}
