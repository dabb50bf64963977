package dev.etcdagent.agent.values;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How long class initialisation may still wait for etcd: every wait counts, whichever thread waits. */
class StartupBudgetTest {

    private long nanos = TimeUnit.SECONDS.toNanos(5);
    private final StartupBudget budget = new StartupBudget(LiveValues.FIRST_READ_MILLIS) {
        @Override
        long now() {
            return nanos;
        }
    };

    private void elapse(long millis) {
        nanos += TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** One wait of {@code millis}, as a class's initialisation makes it. */
    private void waitFor(long millis) {
        long start = budget.now();
        elapse(millis);
        budget.spendSince(start);
    }

    @Test
    void theFirstWaitMayTakeTheWholeTwoSeconds() {
        assertThat(budget.waitMillis()).isEqualTo(2_000);
    }

    @Test
    void eachWaitTakesTheTimeItTookFromWhatIsLeft() {
        waitFor(300);
        assertThat(budget.waitMillis()).isEqualTo(1_700);

        waitFor(1_200);
        assertThat(budget.waitMillis()).isEqualTo(500);
    }

    @Test
    void aWaitThatTookNoTimeCostsNothing() {
        waitFor(0);

        assertThat(budget.waitMillis()).isEqualTo(2_000);
    }

    @Test
    void timeBetweenWaitsIsNotSpent() {
        waitFor(500);
        elapse(10_000);
        waitFor(500);

        assertThat(budget.waitMillis()).isEqualTo(1_000);
    }

    @Test
    void overlappingWaitsOfTwoThreadsEachCountInFull() {
        long first = budget.now();
        elapse(400);
        long second = budget.now();
        elapse(600);
        budget.spendSince(first);
        budget.spendSince(second);

        assertThat(budget.waitMillis()).as("1 s of wall time, 1.6 s of waiting").isEqualTo(400);
    }

    @Test
    void aSpentBudgetAllowsNoMoreWaitEvenWhenOverspent() {
        waitFor(2_000);
        assertThat(budget.waitMillis()).isZero();

        waitFor(700);
        assertThat(budget.waitMillis()).isZero();
    }

    @Test
    void lessThanAMillisecondLeftIsSpent() {
        long start = budget.now();
        nanos += TimeUnit.MILLISECONDS.toNanos(2_000) - 999_999;
        budget.spendSince(start);

        assertThat(budget.waitMillis()).isZero();
    }

    @Test
    void partOfAMillisecondSpentRoundsWhatIsLeftDown() {
        long start = budget.now();
        nanos += 1;
        budget.spendSince(start);

        assertThat(budget.waitMillis()).isEqualTo(1_999);
    }
}
