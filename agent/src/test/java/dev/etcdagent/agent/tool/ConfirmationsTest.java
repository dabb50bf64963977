package dev.etcdagent.agent.tool;

import java.util.List;
import java.util.Map;

import dev.etcdagent.agent.status.StatusRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConfirmationsTest {

    private static final String KEY = "/config/service/a/price";

    private static StatusRecord record(String instance, long configRevision, String rejectedKey) {
        return new StatusRecord("/service/a", instance, instance, 1, "h", "t", "v", "17",
                List.of(new StatusRecord.Range("/config/service/a/", true, configRevision)),
                rejectedKey == null ? Map.of() : Map.of(rejectedKey,
                        new StatusRecord.Rejection(configRevision, "C.price", "not a decimal number")));
    }

    @Test
    void anInstanceConfirmsOnceItsCoveringRangeReachesTheRevision() {
        Confirmations confirmations = new Confirmations("/service/a", KEY, 10);
        assertThat(confirmations.update("k1", record("i1", 9, null), 0)).isNull();
        assertThat(confirmations.allAnswered()).isFalse();
        Confirmations.Decision decision = confirmations.update("k1", record("i1", 10, null), 5);
        assertThat(decision.outcome).isEqualTo(Confirmations.Outcome.APPLIED);
        assertThat(decision.millis).isEqualTo(5);
        assertThat(confirmations.allAnswered()).isTrue();
        assertThat(confirmations.update("k1", record("i1", 11, null), 6)).as("answered once").isNull();
    }

    @Test
    void aRejectionNamedInTheRecordIsARejection() {
        Confirmations confirmations = new Confirmations("/service/a", KEY, 10);
        Confirmations.Decision decision = confirmations.update("k1", record("i1", 10, KEY), 3);
        assertThat(decision.outcome).isEqualTo(Confirmations.Outcome.REJECTED);
        assertThat(decision.rejection.reason).isEqualTo("not a decimal number");
        assertThat(confirmations.answered(Confirmations.Outcome.REJECTED)).hasSize(1);
    }

    @Test
    void instancesThatDoNotFollowTheKeyOrOfAnotherServiceAreNotWaitedFor() {
        Confirmations confirmations = new Confirmations("/service/a", "/global/discount", 10);
        assertThat(confirmations.update("k1", record("i1", 5, null), 0)).isNull();
        StatusRecord other = new StatusRecord("/service/ab", "i2", "i2", 1, "h", "t", "v", "17",
                List.of(new StatusRecord.Range("/global/discount", false, 5)), Map.of());
        assertThat(confirmations.update("k2", other, 0)).isNull();
        assertThat(confirmations.allAnswered()).isTrue();
        assertThat(confirmations.followers()).isZero();
    }

    @Test
    void anInstanceWhoseRecordGoesIsNoLongerWaitedFor() {
        Confirmations confirmations = new Confirmations("/service/a", KEY, 10);
        confirmations.update("k1", record("i1", 9, null), 0);
        confirmations.update("k2", record("i2", 9, null), 0);
        assertThat(confirmations.update("k1", null, 7).outcome).isEqualTo(Confirmations.Outcome.GONE);
        assertThat(confirmations.unanswered()).extracting(record -> record.instance).containsExactly("i2");
        assertThat(confirmations.followers()).isEqualTo(1);
    }
}
