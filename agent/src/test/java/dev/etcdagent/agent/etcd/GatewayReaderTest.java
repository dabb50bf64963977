package dev.etcdagent.agent.etcd;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** etcd's JSON gateway answer, as etcd 3.4 and 3.5 write it (numbers as strings, bytes in base64). */
class GatewayReaderTest {

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static GatewayReader.Page parse(String json) throws IOException {
        return GatewayReader.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aPageHasItsEntriesLastKeyRevisionAndUnsignedClusterId() throws IOException {
        GatewayReader.Page page = parse("{\"header\":{\"cluster_id\":\"14841639068965178418\",\"member_id\":\"1\","
                + "\"revision\":\"91\",\"raft_term\":\"2\"},\"kvs\":[{\"key\":\"" + b64("/config/a/x") + "\","
                + "\"create_revision\":\"5\",\"mod_revision\":\"90\",\"version\":\"3\",\"value\":\"" + b64("on")
                + "\"},{\"key\":\"" + b64("/config/a/y") + "\",\"mod_revision\":\"91\"}],\"more\":true,\"count\":\"3\"}");
        assertThat(page.revision).isEqualTo(91);
        assertThat(page.clusterId).isEqualTo(Long.parseUnsignedLong("14841639068965178418"));
        assertThat(page.more).isTrue();
        assertThat(new String(page.lastKey, StandardCharsets.UTF_8)).isEqualTo("/config/a/y");
        assertThat(page.entries).extracting(change -> change.key + "=" + change.value + "@" + change.revision)
                .containsExactly("/config/a/x=on@90", "/config/a/y=@91");
    }

    @Test
    void anEmptyRangeHasNoKvsField() throws IOException {
        GatewayReader.Page page = parse("{\"header\":{\"cluster_id\":\"1\",\"revision\":\"7\"}}");
        assertThat(page.entries).isEmpty();
        assertThat(page.more).isFalse();
        assertThat(page.revision).isEqualTo(7);
    }

    @Test
    void anAnswerWithoutRevisionOrAKeylessEntryIsRefused() {
        assertThatThrownBy(() -> parse("{\"error\":\"x\",\"code\":3}")).isInstanceOf(IOException.class)
                .hasMessageContaining("no revision");
        assertThatThrownBy(() -> parse("{\"header\":{\"revision\":\"7\"},\"kvs\":[{\"value\":\"" + b64("v") + "\"}]}"))
                .hasMessageContaining("without a key");
        assertThatThrownBy(() -> parse("[]")).hasMessageContaining("not a JSON object");
    }

    @Test
    void aValueThatIsNotUtf8IsFlagged() throws IOException {
        String bad = Base64.getEncoder().encodeToString(new byte[] {(byte) 0xc3, (byte) 0x28});
        GatewayReader.Page page = parse("{\"header\":{\"revision\":\"2\"},\"kvs\":[{\"key\":\"" + b64("/k")
                + "\",\"value\":\"" + bad + "\",\"mod_revision\":\"2\"}]}");
        assertThat(page.entries.get(0).malformed).isTrue();
    }
}
