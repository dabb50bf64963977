package dev.etcdagent.agent.values;

import dev.etcdagent.agent.testing.ManualScheduler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When the snapshot file is written, on a loop whose time the test moves. */
class SnapshotScheduleTest {

    private final ManualScheduler apply = new ManualScheduler();
    private int writes;
    private final SnapshotSchedule schedule = new SnapshotSchedule(apply, () -> writes++);

    @Test
    void aChangeIsWrittenTwoHundredMillisecondsLaterOnTheApplyLoop() {
        schedule.changed();
        assertThat(writes).as("nothing on the caller's thread").isZero();

        apply.advanceMillis(199);
        assertThat(writes).isZero();
        apply.advanceMillis(1);
        assertThat(writes).isEqualTo(1);
    }

    @Test
    void aBurstOfChangesIsOneWrite() {
        for (int i = 0; i < 50; i++) {
            schedule.changed();
            apply.advanceMillis(3);
        }
        apply.advanceMillis(200);

        assertThat(writes).isEqualTo(1);
        assertThat(apply.delaysMillis).containsExactly(200L);
    }

    @Test
    void aChangeAfterAWriteIsWrittenAgain() {
        schedule.changed();
        apply.advanceMillis(200);
        schedule.changed();
        apply.advanceMillis(200);

        assertThat(writes).isEqualTo(2);
    }

    @Test
    void atExitAChangeNotOnDiskIsWrittenAtOnceAndNotAgainWhenItsTimeComes() {
        schedule.changed();
        apply.runDue();

        schedule.saveIfDue();
        assertThat(writes).isEqualTo(1);
        apply.advanceMillis(200);
        assertThat(writes).isEqualTo(1);
    }

    @Test
    void atExitNothingIsWrittenWhenEveryChangeIsOnDisk() {
        schedule.saveIfDue();
        schedule.changed();
        apply.advanceMillis(200);
        schedule.saveIfDue();

        assertThat(writes).isEqualTo(1);
    }

    @Test
    void aChangeMadeWhileTheFileIsBeingWrittenIsWrittenNext() {
        SnapshotSchedule[] self = new SnapshotSchedule[1];
        boolean[] changedDuringWrite = {false};
        self[0] = new SnapshotSchedule(apply, () -> {
            writes++;
            if (!changedDuringWrite[0]) {
                changedDuringWrite[0] = true;
                self[0].changed();
            }
        });

        self[0].changed();
        apply.advanceMillis(200);
        assertThat(writes).isEqualTo(1);
        apply.advanceMillis(200);

        assertThat(writes).isEqualTo(2);
    }
}
