package dev.etcdagent.agent.etcd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The lease calls' answers as etcd 3.4's gateway writes them: 64-bit numbers as strings, zeros left out. */
class GatewayJsonTest {

    private static GatewayJson parse(String json) throws IOException {
        return GatewayJson.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aGrantHasItsIdAndTheClusterInTheHeader() throws IOException {
        GatewayJson grant = parse("{\"header\":{\"cluster_id\":\"14841639068965178418\",\"member_id\":\"10276657743932975437\","
                + "\"revision\":\"12\",\"raft_term\":\"2\"},\"ID\":\"7587869416391574797\",\"TTL\":\"10\"}");
        assertThat(grant.number("ID")).isEqualTo(7587869416391574797L);
        assertThat(grant.number("TTL")).isEqualTo(10);
        assertThat(grant.unsigned("header.cluster_id")).isEqualTo(Long.parseUnsignedLong("14841639068965178418"));
        assertThat(grant.number("header.revision")).isEqualTo(12);
    }

    @Test
    void aKeepAliveOfALeaseEtcdNoLongerHasHasNoTtl() throws IOException {
        GatewayJson kept = parse("{\"result\":{\"header\":{\"revision\":\"12\"},\"ID\":\"7587869416391574797\",\"TTL\":\"9\"}}");
        assertThat(kept.number("result.TTL")).isEqualTo(9);
        GatewayJson gone = parse("{\"result\":{\"header\":{\"revision\":\"12\"},\"ID\":\"7587869416391574797\"}}");
        assertThat(gone.number("result.TTL")).isZero();
    }

    @Test
    void aRefusalHasItsGrpcCodeAndMessage() {
        GatewayJson refusal = GatewayJson.parseQuietly("{\"error\":\"etcdserver: requested lease not found\","
                + "\"code\":5,\"message\":\"etcdserver: requested lease not found\"}");
        assertThat(refusal.code()).isEqualTo(5);
        assertThat(refusal.text("error")).isEqualTo("etcdserver: requested lease not found");
        assertThat(Errors.isLeaseNotFound(new GatewayHttp.Refusal(refusal.code(), refusal.text("error")))).isTrue();
        assertThat(Errors.isConnectivity(new GatewayHttp.Refusal(14, "etcdserver: no leader"))).isTrue();
        assertThat(Errors.kind(new GatewayHttp.Refusal(7, "etcdserver: permission denied")))
                .isEqualTo(Errors.Kind.PERMISSION_DENIED);
    }

    @Test
    void anAnswerThatIsNotJsonIsAnEmptyRefusalOrAnError() {
        assertThat(GatewayJson.parseQuietly("upstream connect error").code()).isZero();
        assertThat(GatewayJson.parseQuietly("{\"code\":\"x\"}").code()).isZero();
        assertThatThrownBy(() -> parse("[1]")).isInstanceOf(IOException.class);
    }
}
