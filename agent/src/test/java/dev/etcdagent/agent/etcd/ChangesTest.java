package dev.etcdagent.agent.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.watch.WatchEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Bytes become text in one place, for reads, watches and the gateway alike. */
class ChangesTest {

    private static KeyValue kv(String key, byte[] value, long modRevision) {
        io.etcd.jetcd.api.KeyValue raw = io.etcd.jetcd.api.KeyValue.newBuilder()
                .setKey(com.google.protobuf.ByteString.copyFromUtf8(key))
                .setValue(com.google.protobuf.ByteString.copyFrom(value))
                .setModRevision(modRevision)
                .build();
        return new KeyValue(raw, ByteSequence.EMPTY);
    }

    @Test
    void aKeyValueBecomesAPutWithItsModRevision() {
        Change change = Changes.of(kv("/config/a/price", "12.5".getBytes(java.nio.charset.StandardCharsets.UTF_8), 42));
        assertThat(change.key).isEqualTo("/config/a/price");
        assertThat(change.value).isEqualTo("12.5");
        assertThat(change.revision).isEqualTo(42);
        assertThat(change.malformed).isFalse();
        assertThat(change.isDelete()).isFalse();
    }

    @Test
    void bytesThatAreNotUtf8AreFlaggedNotSilentlyReplaced() {
        Change change = Changes.of(kv("/config/a/flag", new byte[] {'o', (byte) 0xff, 'n'}, 7));
        assertThat(change.malformed).isTrue();
        assertThat(change.value).isEqualTo("o\uFFFDn");
    }

    @Test
    void aDeleteEventCarriesNoValueAndTheRevisionThatDeletedIt() {
        WatchEvent delete = new WatchEvent(kv("/config/a/price", new byte[0], 50), kv("/config/a/price", new byte[0], 0),
                WatchEvent.EventType.DELETE);
        Change change = Changes.of(delete);
        assertThat(change.isDelete()).isTrue();
        assertThat(change.revision).isEqualTo(50);
        assertThat(change.malformed).isFalse();
        WatchEvent put = new WatchEvent(kv("/config/a/price", "3".getBytes(java.nio.charset.StandardCharsets.UTF_8), 51),
                null, WatchEvent.EventType.PUT);
        assertThat(Changes.of(put).value).isEqualTo("3");
        assertThat(Changes.of(new WatchEvent(kv("/k", new byte[0], 1), null, WatchEvent.EventType.UNRECOGNIZED)))
                .isNull();
    }
}
