package dev.etcdagent.agent.etcd;

import java.lang.reflect.Field;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Consumer;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.api.VertxWatchGrpc;
import io.etcd.jetcd.api.WatchCancelRequest;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdExceptionFactory;
import io.etcd.jetcd.support.Util;

/**
 * Every watch of one client on one gRPC stream. etcd multiplexes watchers on a stream by watch id,
 * but jetcd opens a stream per watch: four per JVM (the config prefix, a discovered service, the two
 * own keys), each a goroutine pair and buffers in etcd. Here the watches of a client share one
 * stream, opened at the first watch and again at the first watch after it ended.
 *
 * <p>etcd 3.4 assigns the watch ids and answers creates in the order they were sent, so each
 * {@code created} answer goes to the oldest create still waiting. The stream ending (a lost member, a
 * member without a leader, the client closed) ends every watch on it; each decides itself what next,
 * as with jetcd. All state is on the etcd loop.
 */
final class WatchStream {

    /** One watch on the stream, told on the etcd loop. */
    interface Watcher {
        void events(io.etcd.jetcd.watch.WatchResponse response);

        /** The watch is over: canceled by etcd ({@code compacted} when its revision is gone) or the stream ended. */
        void ended(Throwable error, boolean compacted);
    }

    /** Opens gRPC's bidirectional watch stream; each handler may be called on any thread. */
    interface Transport {
        void open(Consumer<Consumer<WatchRequest>> opened, Consumer<WatchResponse> received, Consumer<Throwable> ended);
    }

    private static final Map<Client, WatchStream> STREAMS = Collections.synchronizedMap(new WeakHashMap<>());

    private final AgentLoop loop;
    private final Transport transport;
    /** Counts the streams opened: answers of an ended stream are dropped. */
    private int generation;
    private boolean open;
    /** Null until the stream is open, and again once it ended. */
    private Consumer<WatchRequest> requests;
    private final List<WatchRequest> unsent = new ArrayList<>();
    private final ArrayDeque<Registration> awaitingCreated = new ArrayDeque<>();
    private final Map<Long, Registration> byId = new HashMap<>();

    WatchStream(AgentLoop loop, Transport transport) {
        this.loop = loop;
        this.transport = transport;
    }

    /** jetcd's stub as a transport; as jetcd's withRequireLeader, a member cut off from its peers ends the stream. */
    private static Transport over(VertxWatchGrpc.WatchVertxStub jetcdStub) {
        VertxWatchGrpc.WatchVertxStub stub = Util.applyRequireLeader(true, jetcdStub);
        return (opened, received, ended) -> stub.watchWithHandler(stream -> opened.accept(stream::write), received::accept,
                end -> ended.accept(new IllegalStateException("etcd ended the watch stream")), ended::accept);
    }

    /** The stream of {@code client}'s watches, answered on {@code loop}. */
    static WatchStream of(Client client, AgentLoop loop) {
        // The synchronized map's computeIfAbsent holds its lock: one stream per client.
        return STREAMS.computeIfAbsent(client, c -> new WatchStream(loop, over(stubOf(c))));
    }

    /**
     * jetcd's own stub for the watch service of {@code client}: built on its channel, with its
     * credentials and settings. jetcd does not expose it; the field is read once per client.
     */
    private static VertxWatchGrpc.WatchVertxStub stubOf(Client client) {
        Object watch = client.getWatchClient();
        try {
            Field stub = watch.getClass().getDeclaredField("stub");
            stub.setAccessible(true);
            return (VertxWatchGrpc.WatchVertxStub) stub.get(watch);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("jetcd's watch client has no stub field (" + watch.getClass().getName()
                    + "); the agent was built against another jetcd", e);
        }
    }

    /** Starts a watch; on the etcd loop. The returned registration cancels it. */
    Registration add(WatchCreateRequest create, Watcher watcher) {
        loop.checkInLoop("the watch stream's state");
        Registration registration = new Registration(watcher);
        awaitingCreated.add(registration);
        send(WatchRequest.newBuilder().setCreateRequest(create).build());
        return registration;
    }

    private void send(WatchRequest request) {
        if (!open) {
            open();
        }
        if (requests == null) {
            unsent.add(request);
        } else {
            requests.accept(request);
        }
    }

    private void open() {
        open = true;
        int opened = ++generation;
        try {
            openAs(opened);
        } catch (RuntimeException e) {
            // A client closed meanwhile: its watches end as when the stream ends.
            loop.execute(() -> ended(opened, e));
        }
    }

    private void openAs(int opened) {
        transport.open(
                stream -> loop.execute(() -> {
                    if (opened == generation && open) {
                        requests = stream;
                        unsent.forEach(stream);
                        unsent.clear();
                    }
                }),
                response -> loop.execute(() -> {
                    if (opened == generation) {
                        received(response);
                    }
                }),
                error -> loop.execute(() -> ended(opened, error)));
    }

    private void received(WatchResponse response) {
        Registration registration;
        if (response.getCreated()) {
            registration = awaitingCreated.poll();
            if (registration == null) {
                return;
            }
            registration.id = response.getWatchId();
            if (registration.canceled) {
                if (!response.getCanceled()) {
                    cancel(registration.id);
                }
                return;
            }
            byId.put(registration.id, registration);
        } else {
            registration = byId.get(response.getWatchId());
            if (registration == null) {
                // A watch canceled meanwhile.
                return;
            }
        }
        if (response.getCanceled()) {
            byId.remove(registration.id);
            registration.canceled = true;
            long compactedAt = response.getCompactRevision();
            String reason = response.getCancelReason();
            registration.watcher.ended(compactedAt != 0 ? EtcdExceptionFactory.newCompactedException(compactedAt)
                    : EtcdExceptionFactory.newEtcdException(reason.contains("no leader") ? ErrorCode.UNAVAILABLE
                            : ErrorCode.FAILED_PRECONDITION, "etcd canceled the watch: " + reason), compactedAt != 0);
        } else if (response.getEventsCount() > 0) {
            registration.watcher.events(new io.etcd.jetcd.watch.WatchResponse(response));
        }
    }

    private void ended(int which, Throwable error) {
        if (which != generation || !open) {
            return;
        }
        open = false;
        requests = null;
        unsent.clear();
        List<Registration> over = new ArrayList<>(awaitingCreated);
        over.addAll(byId.values());
        awaitingCreated.clear();
        byId.clear();
        for (Registration registration : over) {
            if (!registration.canceled) {
                registration.canceled = true;
                registration.watcher.ended(error, false);
            }
        }
    }

    private void cancel(long id) {
        send(WatchRequest.newBuilder().setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(id)).build());
    }

    /** One watch on the stream. */
    final class Registration {
        final Watcher watcher;
        /** etcd's id for it, -1 until its create is answered. */
        long id = -1;
        boolean canceled;

        Registration(Watcher watcher) {
            this.watcher = watcher;
        }

        /** Ends the watch without telling its watcher; on the etcd loop. */
        void cancel() {
            loop.checkInLoop("the watch stream's state");
            if (canceled) {
                return;
            }
            canceled = true;
            if (id >= 0 && byId.remove(id) != null && open) {
                WatchStream.this.cancel(id);
            }
            // Still awaiting its create: canceled when the create is answered.
        }
    }
}
