package dev.etcdagent.agent.values;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

import dev.etcdagent.agent.etcd.Change;
import dev.etcdagent.agent.etcd.RangeRead;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a resync does with each answer to its reads, with a real range and reads made by hand. */
class ResyncRuleTest {

    private static final long CLUSTER = 7;
    private static final String KEY = "/config/a/x";

    private final WatchedRange range = new WatchedRange("/config/a/", true);
    private final List<String> seen = new ArrayList<>();
    private int generation;

    @BeforeEach
    void readAtRevision300() {
        range.applyRead(read(300, CLUSTER, KEY, "before", 290));
        range.listen((change, old) -> seen.add(change.key + "=" + change.value + "@" + change.revision));
        generation = ++range.resyncs;
    }

    private static RangeRead read(long revision, long cluster, String key, String value, long modified) {
        return new RangeRead(List.of(new Change(key, value, modified, false)), revision, cluster);
    }

    private ResyncRule.Next first(RangeRead read) {
        return ResyncRule.answered(range, generation, read, null, false);
    }

    private ResyncRule.Next confirming(RangeRead read) {
        return ResyncRule.answered(range, generation, read, null, true);
    }

    @Test
    void aReadAtOrPastTheRangesRevisionIsAppliedAndWatchedFrom() {
        assertThat(first(read(310, CLUSTER, KEY, "after", 305))).isEqualTo(ResyncRule.Next.WATCH);

        assertThat(range.revision()).isEqualTo(310);
        assertThat(seen).containsExactly(KEY + "=after@305");
    }

    @Test
    void aReadAtTheSameRevisionIsAppliedWithoutNews() {
        assertThat(first(read(300, CLUSTER, KEY, "before", 290))).isEqualTo(ResyncRule.Next.WATCH);

        assertThat(seen).isEmpty();
    }

    @Test
    void aReadBelowTheRangesRevisionLeavesTheRangeAndAsksForASecondRead() {
        assertThat(first(read(3, CLUSTER, KEY, "wiped", 2))).isEqualTo(ResyncRule.Next.CONFIRM);

        assertThat(range.revision()).isEqualTo(300);
        assertThat(range.get(KEY).value).isEqualTo("before");
        assertThat(seen).isEmpty();
    }

    @Test
    void aSecondReadStillBelowIsAppliedAsANewHistory() {
        first(read(3, CLUSTER, KEY, "wiped", 2));

        assertThat(confirming(read(4, CLUSTER, KEY, "wiped", 2))).isEqualTo(ResyncRule.Next.NEW_HISTORY);

        assertThat(range.revision()).isEqualTo(4);
        assertThat(range.get(KEY).value).isEqualTo("wiped");
        assertThat(seen).containsExactly(KEY + "=wiped@2");
    }

    @Test
    void aSecondReadPastTheRangesRevisionMeansTheFirstCrossedAChangeAndIsAppliedAsUsual() {
        first(read(299, CLUSTER, KEY, "crossed", 295));

        assertThat(confirming(read(320, CLUSTER, KEY, "newest", 315))).isEqualTo(ResyncRule.Next.WATCH);

        assertThat(range.revision()).isEqualTo(320);
        assertThat(seen).containsExactly(KEY + "=newest@315");
    }

    @Test
    void aReadFromAnotherClusterIsTheTruthAtOnceWithoutASecondRead() {
        assertThat(first(read(3, 99, KEY, "new-cluster", 2))).isEqualTo(ResyncRule.Next.WATCH);

        assertThat(range.revision()).isEqualTo(3);
        assertThat(seen).containsExactly(KEY + "=new-cluster@2");
    }

    @Test
    void aRangeOnlyTheSnapshotFilledTakesEtcdsFirstReadWhateverItsRevision() {
        WatchedRange fromSnapshot = new WatchedRange("/config/b/", true);
        fromSnapshot.applySnapshot(java.util.Map.of("/config/b/x", "cached"));
        int resync = ++fromSnapshot.resyncs;

        assertThat(ResyncRule.answered(fromSnapshot, resync, read(1, CLUSTER, "/config/b/x", "etcd", 1), null, false))
                .isEqualTo(ResyncRule.Next.WATCH);
        assertThat(fromSnapshot.get("/config/b/x").value).isEqualTo("etcd");
    }

    @Test
    void anAnswerToASupersededResyncIsDroppedAndTheRangeUntouched() {
        range.resyncs++;

        assertThat(first(read(310, CLUSTER, KEY, "late", 305))).isEqualTo(ResyncRule.Next.DROP);
        assertThat(confirming(read(3, CLUSTER, KEY, "late", 2))).isEqualTo(ResyncRule.Next.DROP);
        assertThat(ResyncRule.answered(range, generation, null, new TimeoutException(), false))
                .as("even a failure").isEqualTo(ResyncRule.Next.DROP);

        assertThat(range.revision()).isEqualTo(300);
        assertThat(seen).isEmpty();
    }

    @Test
    void aFailedReadIsRetriedAndTheRangeUntouched() {
        assertThat(ResyncRule.answered(range, generation, null, new TimeoutException(), false))
                .isEqualTo(ResyncRule.Next.RETRY);
        assertThat(ResyncRule.answered(range, generation, null, new TimeoutException(), true))
                .isEqualTo(ResyncRule.Next.RETRY);

        assertThat(range.revision()).isEqualTo(300);
    }

    @Test
    void aRefusedPermissionIsTriedAgainAfterTenSecondsAnythingElseAfterOne() {
        assertThat(ResyncRule.Failure.of(new RuntimeException("etcdserver: permission denied")))
                .isEqualTo(ResyncRule.Failure.PERMISSION_DENIED)
                .extracting(failure -> failure.retryMillis).isEqualTo(10_000L);
        assertThat(ResyncRule.Failure.of(new TimeoutException("no answer")))
                .isEqualTo(ResyncRule.Failure.CONNECTIVITY)
                .extracting(failure -> failure.retryMillis).isEqualTo(1_000L);
        assertThat(ResyncRule.Failure.of(new IllegalStateException("etcdserver: mvcc: required revision is a future revision")))
                .isEqualTo(ResyncRule.Failure.OTHER)
                .extracting(failure -> failure.retryMillis).isEqualTo(1_000L);
    }

    @Test
    void lostConnectivityCountsBeforeARefusal() {
        assertThat(ResyncRule.Failure.of(new RuntimeException("etcdserver: no leader; permission denied")))
                .isEqualTo(ResyncRule.Failure.CONNECTIVITY);
    }
}
