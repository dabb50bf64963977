package dev.etcdagent.it.bench;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The parser of etcd's /metrics, on lines as etcd 3.4 writes them. */
class PrometheusTextTest {

    private static final String TEXT = String.join("\n",
            "# HELP etcd_debugging_mvcc_watcher_total Total number of watchers.",
            "# TYPE etcd_debugging_mvcc_watcher_total gauge",
            "etcd_debugging_mvcc_watcher_total 12",
            "grpc_server_started_total{grpc_method=\"Watch\",grpc_service=\"etcdserverpb.Watch\",grpc_type=\"bidi_stream\"} 7",
            "grpc_server_started_total{grpc_method=\"Range\",grpc_service=\"etcdserverpb.KV\",grpc_type=\"unary\"} 40",
            "grpc_server_started_total{grpc_method=\"Put\",grpc_service=\"etcdserverpb.KV\",grpc_type=\"unary\"} 2",
            "grpc_server_handled_total{grpc_code=\"OK\",grpc_method=\"Range\",grpc_service=\"etcdserverpb.KV\",grpc_type=\"unary\"} 39",
            "grpc_server_handled_total{grpc_code=\"NotFound\",grpc_method=\"Range\",grpc_service=\"etcdserverpb.KV\",grpc_type=\"unary\"} 1",
            "etcd_debugging_lease_ttl_total_bucket{le=\"+Inf\"} 3",
            "process_resident_memory_bytes 2.9863936e+07",
            "odd_label{path=\"a \\\"b\\\"\\\\c, d}\"} 1 1700000000000",
            "");

    @Test
    void sumsOverTheLabelSetsThatMatch() {
        PrometheusText metrics = PrometheusText.parse(TEXT);
        assertThat(metrics.sum("etcd_debugging_mvcc_watcher_total")).isEqualTo(12);
        assertThat(metrics.sum("grpc_server_started_total")).isEqualTo(49);
        assertThat(metrics.sum("grpc_server_started_total", Map.of("grpc_type", "unary"))).isEqualTo(42);
        assertThat(metrics.sum("grpc_server_handled_total", Map.of("grpc_method", "Range"))).isEqualTo(40);
        assertThat(metrics.sum("grpc_server_started_total", Map.of("grpc_method", "Txn"))).isZero();
        assertThat(metrics.sum("process_resident_memory_bytes")).isEqualTo(29_863_936);
        assertThat(metrics.sum("etcd_debugging_lease_ttl_total_bucket", Map.of("le", "+Inf"))).isEqualTo(3);
    }

    @Test
    void readsEscapedLabelValuesAndSkipsTimestamps() {
        PrometheusText metrics = PrometheusText.parse(TEXT);
        assertThat(metrics.sum("odd_label", Map.of("path", "a \"b\"\\c, d}"))).isEqualTo(1);
        assertThat(metrics.labelValues("grpc_server_started_total", "grpc_method")).containsExactly("Put", "Range", "Watch");
    }

    @Test
    void aMetricThatIsNotThereIsNoZero() {
        PrometheusText metrics = PrometheusText.parse(TEXT);
        assertThatThrownBy(() -> metrics.sum("etcd_server_lease_total")).hasMessageContaining("etcd_server_lease_total");
    }
}
