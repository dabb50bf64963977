package dev.etcdagent.agent.status;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StatusRecordTest {

    private static StatusRecord record(List<StatusRecord.Range> ranges, Map<String, StatusRecord.Rejection> rejected) {
        return new StatusRecord("/service/a", "10.0.0.5:8080", "10.0.0.5:8080", 42, "box", "2026-11-25T09:00:00Z",
                "1.0", "17.0.15", ranges, rejected);
    }

    @Test
    void theRecordRevisionIsTheLeastOfItsRangesBecauseEveryChangeUpToItIsApplied() {
        StatusRecord record = record(List.of(new StatusRecord.Range("/config/service/a/", true, 57),
                new StatusRecord.Range("/global/discount", false, 12)), Map.of());
        assertThat(record.revision).isEqualTo(12);
        assertThat(record(List.of(), Map.of()).revision).isZero();
    }

    @Test
    void aKeyIsAppliedWhenEveryRangeCoveringItHasReachedTheRevision() {
        StatusRecord record = record(List.of(new StatusRecord.Range("/config/service/a/", true, 57),
                new StatusRecord.Range("/global/discount", false, 12)), Map.of());
        assertThat(record.hasApplied("/config/service/a/price", 57)).isTrue();
        assertThat(record.hasApplied("/config/service/a/price", 58)).isFalse();
        assertThat(record.hasApplied("/global/discount", 12)).isTrue();
        assertThat(record.hasApplied("/global/discount", 13)).isFalse();
        assertThat(record.hasApplied("/global/discount2", 1)).as("not followed").isFalse();
        assertThat(record.rangesCovering("/config/service/b/price")).isEmpty();
    }

    @Test
    void labelsAreWrittenOnlyWhenThereAreAnyAndReadBack() {
        StatusRecord plain = record(List.of(), Map.of());
        assertThat(plain.encode()).doesNotContain("labels");
        assertThat(StatusRecord.parse(plain.encode()).labels).isEmpty();

        StatusRecord labelled = plain.withLabels(Map.of("zone", "eu", "tier", "gold"));
        assertThat(labelled.encode()).contains("\"labels\":{\"tier\":\"gold\",\"zone\":\"eu\"}");
        assertThat(StatusRecord.parse(labelled.encode()).labels).containsExactly(Map.entry("tier", "gold"),
                Map.entry("zone", "eu"));
        assertThat(labelled.stopping().labels).isEqualTo(labelled.labels);
        assertThatThrownBy(() -> StatusRecord.parse("{\"service\":\"/s\",\"instance\":\"i\",\"labels\":{\"zone\":1}}"))
                .hasMessage("labels: \"zone\" is not a string");
    }

    @Test
    void jsonRoundTripsAndHoldsTheContractsFields() {
        StatusRecord record = record(List.of(new StatusRecord.Range("/config/service/a/", true, 57)),
                Map.of("/config/service/a/price", new StatusRecord.Rejection(55, "com.shop.Promo.price",
                        "not a decimal number")));
        String json = record.encode();
        assertThat(json).startsWith("{\"service\":\"/service/a\",\"instance\":\"10.0.0.5:8080\",\"addr\":\"10.0.0.5:8080\","
                + "\"pid\":42,\"hostname\":\"box\",\"startedAt\":\"2026-11-25T09:00:00Z\",\"agentVersion\":\"1.0\","
                + "\"java\":\"17.0.15\",\"ranges\":[{\"key\":\"/config/service/a/\",\"prefix\":true,\"revision\":57}],"
                + "\"revision\":57,\"rejected\":{\"/config/service/a/price\":{\"revision\":55,"
                + "\"field\":\"com.shop.Promo.price\",\"reason\":\"not a decimal number\"}}}");
        StatusRecord read = StatusRecord.parse(json);
        assertThat(read.encode()).isEqualTo(json);
        assertThat(read.rejected.get("/config/service/a/price").field).isEqualTo("com.shop.Promo.price");
    }

    @Test
    void aJvmThatDoesNotListenHasANullAddress() {
        StatusRecord record = new StatusRecord("/service/a", "42@box", null, 42, "box", "t", "1.0", "17", List.of(),
                Map.of());
        assertThat(record.encode()).contains("\"addr\":null");
        assertThat(StatusRecord.parse(record.encode()).addr).isNull();
    }

    @Test
    void theLastRecordAtExitSaysStoppingAndReadsBack() {
        StatusRecord record = record(List.of(new StatusRecord.Range("/config/service/a/", true, 57)), Map.of());
        assertThat(record.encode()).as("a live record has no state").doesNotContain("\"state\"");
        String last = record.stopping().encode();
        assertThat(last).endsWith(",\"state\":\"stopping\"}");
        assertThat(StatusRecord.parse(last).stopping).isTrue();
        assertThat(StatusRecord.parse(record.encode()).stopping).isFalse();
        assertThat(record.stopping().sameJvm(record)).isTrue();
    }

    @Test
    void somethingElseIsNotARecordAndTheReasonNeverQuotesTheText() {
        assertThatThrownBy(() -> StatusRecord.parse("s3cret:8080")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a JSON object");
        assertThatThrownBy(() -> StatusRecord.parse("[\"s3cret\"]")).hasMessage("not a JSON object");
        String valid = "\"service\":\"/service/a\",\"instance\":\"i\"";
        assertThatThrownBy(() -> StatusRecord.parse("{" + valid + ",\"ranges\":5}"))
                .hasMessage("\"ranges\" is not an array");
        assertThatThrownBy(() -> StatusRecord.parse("{" + valid + ",\"ranges\":[{\"prefix\":true,\"revision\":3}]}"))
                .hasMessage("ranges[0]: no \"key\"");
        assertThatThrownBy(() -> StatusRecord.parse("{" + valid + ",\"ranges\":[\"s3cret\"]}"))
                .hasMessage("ranges[0]: is not an object");
        assertThatThrownBy(() -> StatusRecord.parse("{" + valid + ",\"ranges\":[{\"key\":\"/k\",\"revision\":\"s3cret\"}]}"))
                .hasMessage("ranges[0]: \"revision\" is not a number");
        assertThatThrownBy(() -> StatusRecord.parse("{" + valid + ",\"pid\":\"s3cret\"}"))
                .hasMessage("\"pid\" is not a number");
        assertThatThrownBy(() -> StatusRecord.parse("{" + valid + ",\"rejected\":{\"s3cret\":1}}"))
                .hasMessage("rejected[0]: is not an object");
        assertThatThrownBy(() -> StatusRecord.parse("{\"instance\":\"i\"}")).hasMessage("no \"service\"");
        assertThat(StatusRecord.parse("{" + valid + "}").ranges).as("the least a record holds").isEmpty();
    }
}
