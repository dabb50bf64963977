package dev.etcdagent.agent.etcd;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

import com.google.protobuf.ByteString;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;

/**
 * One watch, on its client's shared {@link WatchStream}, ended for good at its first error: the
 * agent takes every error (compaction included) as the end and decides itself what next.
 */
public final class KeyWatch implements AutoCloseable, WatchStream.Watcher {

    private final AgentLoop loop;
    private final WatchHandler handler;
    private final Client client;
    private final BiConsumer<Client, Throwable> failures;
    private volatile boolean closed;
    /** Set on the etcd loop; null once closed. */
    private WatchStream.Registration registration;

    /**
     * Watches {@code key} (or every key under it) from {@code fromRevision} through {@code client}:
     * {@code handler} is called on {@code loop}; a failure other than compaction is also handed to
     * {@code failures} (the session checks the members). From any thread: the watch starts on the loop.
     */
    public KeyWatch(AgentLoop loop, Client client, String key, boolean prefix, long fromRevision,
                    WatchHandler handler, BiConsumer<Client, Throwable> failures) {
        this.loop = loop;
        this.client = client;
        this.handler = handler;
        this.failures = failures;
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        WatchCreateRequest.Builder create = WatchCreateRequest.newBuilder()
                .setKey(ByteString.copyFrom(keyBytes))
                .setStartRevision(fromRevision);
        if (prefix) {
            create.setRangeEnd(ByteString.copyFrom(Bytes.prefixEnd(keyBytes)));
        }
        WatchStream stream = WatchStream.of(client, loop);
        loop.run(() -> {
            if (!closed) {
                registration = stream.add(create.build(), this);
            }
        });
    }

    @Override
    public void events(WatchResponse response) {
        if (closed) {
            return;
        }
        List<Change> changes = new ArrayList<>(response.getEvents().size());
        for (WatchEvent event : response.getEvents()) {
            Change change = Changes.of(event);
            if (change != null) {
                changes.add(change);
            }
        }
        if (!changes.isEmpty()) {
            handler.changed(changes);
        }
    }

    @Override
    public void ended(Throwable error, boolean compacted) {
        registration = null;
        if (closed) {
            return;
        }
        if (!compacted) {
            failures.accept(client, error);
        }
        closed = true;
        handler.ended(error, compacted);
    }

    @Override
    public void close() {
        closed = true;
        loop.run(() -> {
            WatchStream.Registration current = registration;
            registration = null;
            if (current != null) {
                current.cancel();
            }
        });
    }
}
