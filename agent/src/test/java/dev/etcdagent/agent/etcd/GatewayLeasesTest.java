package dev.etcdagent.agent.etcd;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When the JSON gateway keeps a lease alive after a call no endpoint answered. */
class GatewayLeasesTest {

    private static final long TTL = TimeUnit.SECONDS.toNanos(10);
    private static final long LAST_ANSWER = TimeUnit.SECONDS.toNanos(100);

    @Test
    void oneUnansweredCallWithinTheTtlKeepsTheGatewayServingUntilTheSessionTakesOver() {
        assertThat(GatewayLeases.stillServes(true, true, LAST_ANSWER, LAST_ANSWER + TimeUnit.SECONDS.toNanos(4), TTL))
                .isTrue();
    }

    @Test
    void noAnswerForAWholeTtlEndsItTheLeaseIsGoneAnyway() {
        assertThat(GatewayLeases.stillServes(true, true, LAST_ANSWER, LAST_ANSWER + TTL, TTL)).isFalse();
    }

    @Test
    void aGatewayThatNeverAnsweredOrIsNotServedEndsAtOnce() {
        assertThat(GatewayLeases.stillServes(true, false, 0, LAST_ANSWER, TTL)).isFalse();
        assertThat(GatewayLeases.stillServes(false, true, LAST_ANSWER, LAST_ANSWER + 1, TTL)).isFalse();
    }
}
