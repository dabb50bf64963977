package dev.etcdagent.agent.etcd;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

import io.etcd.jetcd.Client;
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

    private final AgentLoop loop;
    private final WatchHandler handler;
    private final Client client;
    private final BiConsumer<Client, Throwable> failures;
    private volatile boolean closed;
    private Watch.Watcher watcher;

    /**
     * Watches {@code key} (or every key under it) from {@code fromRevision} through {@code client}:
     * {@code handler} is called on {@code loop}; a failure other than compaction is also handed to
     * {@code failures} (the session checks the members).
     */
    public KeyWatch(AgentLoop loop, Client client, String key, boolean prefix, long fromRevision,
                    WatchHandler handler, BiConsumer<Client, Throwable> failures) {
        this.loop = loop;
        this.client = client;
        this.handler = handler;
        this.failures = failures;
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
            Change change = Changes.of(event);
            if (change != null) {
                changes.add(change);
            }
        }
        if (changes.isEmpty()) {
            return;
        }
        loop.execute(() -> {
            if (!closed) {
                handler.changed(changes);
            }
        });
    }

    private void onError(Throwable error) {
        boolean compacted = Errors.unwrap(error) instanceof CompactedException;
        if (!compacted) {
            failures.accept(client, error);
        }
        end(error, compacted);
    }

    private void onCompleted() {
        end(new IllegalStateException("watch completed by etcd"), false);
    }

    private void end(Throwable error, boolean compacted) {
        loop.execute(() -> {
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
