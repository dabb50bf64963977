package dev.etcdagent.agent.status;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** At most one record write scheduled at a time, and writes at least 100 ms apart. */
class RecordPacingTest {

    private long nanos = TimeUnit.SECONDS.toNanos(3);
    private final RecordPacing pacing = new RecordPacing() {
        @Override
        long now() {
            return nanos;
        }
    };

    private void elapse(long millis) {
        nanos += TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private long delayMillis() {
        long delay = pacing.delayNanos();
        return delay < 0 ? delay : TimeUnit.NANOSECONDS.toMillis(delay);
    }

    @Test
    void theFirstRecordIsWrittenAtOnce() {
        assertThat(delayMillis()).isZero();
    }

    @Test
    void whileAWriteIsScheduledChangesAskForNoOther() {
        delayMillis();

        assertThat(delayMillis()).isEqualTo(-1);
        assertThat(delayMillis()).isEqualTo(-1);
    }

    @Test
    void aWriteSoonAfterTheLastWaitsForTheRestOfTheInterval() {
        pacing.delayNanos();
        pacing.writing();
        pacing.written();

        elapse(30);
        assertThat(delayMillis()).isEqualTo(70);
    }

    @Test
    void aWriteAnIntervalOrMoreAfterTheLastIsAtOnce() {
        pacing.delayNanos();
        pacing.writing();
        pacing.written();

        elapse(100);
        assertThat(delayMillis()).isZero();
        pacing.writing();
        elapse(5_000);
        assertThat(delayMillis()).isZero();
    }

    @Test
    void onceTheScheduledWriteRunsTheNextChangeAsksForAnother() {
        pacing.delayNanos();
        pacing.writing();

        assertThat(delayMillis()).as("nothing was written: still at once").isZero();
    }

    @Test
    void aRecordPutAtAConnectionSpacesTheNextWriteToo() {
        pacing.written();
        elapse(40);

        assertThat(delayMillis()).isEqualTo(60);
    }
}
