package dev.etcdagent.agent.etcd;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** How one shared stream routes etcd's answers to its watches, with a fake transport and the real loop. */
class WatchStreamTest {

    private final AgentLoop loop = AgentLoop.named("etcd-agent-test");
    private final FakeTransport transport = new FakeTransport();
    private final WatchStream stream = new WatchStream(loop, transport);

    @AfterEach
    void stopLoop() {
        loop.shutdownNow();
    }

    @Test
    void watchesShareOneStreamAndEtcdsIdsFollowTheOrderOfTheCreates() throws Exception {
        Recorder config = new Recorder();
        Recorder service = new Recorder();
        add("/config/a/", config);
        add("/service/b", service);
        transport.answer(created(7));
        transport.answer(created(8));
        transport.answer(events(8, "/service/b/1", 12));
        transport.answer(events(7, "/config/a/x", 13));

        onLoop(() -> null);
        assertThat(transport.opened).isEqualTo(1);
        assertThat(transport.written).extracting(request -> request.getCreateRequest().getKey().toStringUtf8())
                .containsExactly("/config/a/", "/service/b");
        assertThat(config.keys).containsExactly("/config/a/x");
        assertThat(service.keys).containsExactly("/service/b/1");
    }

    @Test
    void aWatchClosedBeforeEtcdAnsweredItsCreateIsCanceledWhenItDoesAndHearsNothing() throws Exception {
        Recorder closed = new Recorder();
        WatchStream.Registration registration = add("/service/b", closed);
        onLoop(() -> {
            registration.cancel();
            return null;
        });
        transport.answer(created(3));
        transport.answer(events(3, "/service/b/1", 5));

        onLoop(() -> null);
        assertThat(transport.written.get(1).getCancelRequest().getWatchId()).isEqualTo(3);
        assertThat(closed.keys).isEmpty();
        assertThat(closed.ends).isEmpty();
    }

    @Test
    void aCompactedRevisionEndsThatWatchAloneAsCompacted() throws Exception {
        Recorder compacted = new Recorder();
        Recorder other = new Recorder();
        add("/config/a/", compacted);
        add("/service/b", other);
        transport.answer(created(1));
        transport.answer(created(2));
        transport.answer(WatchResponse.newBuilder().setWatchId(1).setCanceled(true).setCompactRevision(40).build());
        transport.answer(events(2, "/service/b/1", 41));

        onLoop(() -> null);
        assertThat(compacted.ends).containsExactly("compacted");
        assertThat(other.ends).isEmpty();
        assertThat(other.keys).containsExactly("/service/b/1");
    }

    @Test
    void theStreamEndingEndsEveryWatchOnItAndTheNextWatchOpensANewOne() throws Exception {
        Recorder first = new Recorder();
        Recorder waiting = new Recorder();
        add("/config/a/", first);
        transport.answer(created(1));
        add("/service/b", waiting);
        transport.end(new IllegalStateException("UNAVAILABLE: etcdserver: no leader"));
        onLoop(() -> null);
        assertThat(first.ends).containsExactly("UNAVAILABLE: etcdserver: no leader");
        assertThat(waiting.ends).containsExactly("UNAVAILABLE: etcdserver: no leader");

        Recorder again = new Recorder();
        add("/config/a/", again);
        transport.answer(created(1));
        transport.answer(events(1, "/config/a/x", 9));
        onLoop(() -> null);
        assertThat(transport.opened).isEqualTo(2);
        assertThat(again.keys).containsExactly("/config/a/x");
        assertThat(first.keys).isEmpty();
    }

    private WatchStream.Registration add(String key, Recorder recorder) throws Exception {
        return onLoop(() -> stream.add(WatchCreateRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).build(),
                recorder));
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get();
    }

    private static WatchResponse created(long id) {
        return WatchResponse.newBuilder().setWatchId(id).setCreated(true).build();
    }

    private static WatchResponse events(long id, String key, long revision) {
        return WatchResponse.newBuilder().setWatchId(id).addEvents(Event.newBuilder().setType(Event.EventType.PUT)
                .setKv(KeyValue.newBuilder().setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8("v"))
                        .setModRevision(revision))).build();
    }

    /** etcd's side: what was written, and answers pushed from the test's thread as gRPC's would come. */
    private static final class FakeTransport implements WatchStream.Transport {
        final List<WatchRequest> written = new ArrayList<>();
        int opened;
        private Consumer<WatchResponse> received;
        private Consumer<Throwable> ended;

        @Override
        public void open(Consumer<Consumer<WatchRequest>> onOpen, Consumer<WatchResponse> onReceived,
                         Consumer<Throwable> onEnded) {
            opened++;
            received = onReceived;
            ended = onEnded;
            onOpen.accept(written::add);
        }

        void answer(WatchResponse response) {
            received.accept(response);
        }

        void end(Throwable error) {
            ended.accept(error);
        }
    }

    private static final class Recorder implements WatchStream.Watcher {
        final List<String> keys = new ArrayList<>();
        final List<String> ends = new ArrayList<>();

        @Override
        public void events(io.etcd.jetcd.watch.WatchResponse response) {
            response.getEvents().forEach(event -> keys.add(event.getKeyValue().getKey().toString()));
        }

        @Override
        public void ended(Throwable error, boolean compacted) {
            ends.add(compacted ? "compacted" : error.getMessage());
        }
    }
}
