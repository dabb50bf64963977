package dev.etcdagent.agent.values;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.etcdagent.agent.etcd.Change;
import dev.etcdagent.agent.etcd.RangeRead;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The revision rules that keep the local copy equal to etcd's, whatever order events come in. */
class WatchedRangeTest {

    private static final long CLUSTER = 7;
    private WatchedRange range;
    private final List<String> seen = new ArrayList<>();

    @BeforeEach
    void listen() {
        range = new WatchedRange("/config/a/", true);
        range.listen((change, old) -> seen.add(change.key + "=" + change.value + "@" + change.revision));
    }

    private static Change put(String key, String value, long revision) {
        return new Change(key, value, revision, false);
    }

    private static Change delete(String key, long revision) {
        return new Change(key, null, revision, false);
    }

    private static RangeRead read(long revision, long cluster, Change... entries) {
        return new RangeRead(List.of(entries), revision, cluster);
    }

    @Test
    void eventsAtOrBelowTheAppliedRevisionAreIgnored() {
        range.applyRead(read(10, CLUSTER, put("/config/a/x", "1", 5)));
        range.applyEvents(List.of(put("/config/a/x", "old", 4), put("/config/a/x", "2", 11)));
        range.applyEvents(List.of(put("/config/a/x", "2", 11)));
        range.applyEvents(List.of(put("/config/a/x", "stale", 9)));

        assertThat(range.get("/config/a/x").value).isEqualTo("2");
        assertThat(seen).containsExactly("/config/a/x=1@5", "/config/a/x=2@11");
    }

    @Test
    void aRepeatedPutAfterADeleteDoesNotResurrectTheKey() {
        range.applyRead(read(10, CLUSTER));
        range.applyEvents(List.of(put("/config/a/x", "1", 11), delete("/config/a/x", 12)));
        range.applyEvents(List.of(put("/config/a/x", "1", 11)));

        assertThat(range.get("/config/a/x")).isNull();
        assertThat(seen).containsExactly("/config/a/x=1@11", "/config/a/x=null@12");
    }

    @Test
    void severalKeysChangedInOneTransactionShareARevision() {
        range.applyRead(read(10, CLUSTER));
        range.applyEvents(List.of(put("/config/a/x", "1", 11), put("/config/a/y", "2", 11)));

        assertThat(range.get("/config/a/y").value).isEqualTo("2");
        assertThat(range.revision()).isEqualTo(11);
    }

    @Test
    void aReadReplacesTheCopyAndKeysItLacksAreDeleted() {
        range.applyRead(read(10, CLUSTER, put("/config/a/x", "1", 5), put("/config/a/y", "2", 6)));
        seen.clear();
        range.applyRead(read(20, CLUSTER, put("/config/a/x", "3", 15)));

        assertThat(range.entries()).extracting(entry -> entry.key).containsExactly("/config/a/x");
        assertThat(seen).containsExactlyInAnyOrder("/config/a/x=3@15", "/config/a/y=null@20");
    }

    @Test
    void anOlderReadFromTheSameClusterIsIgnored() {
        range.applyRead(read(20, CLUSTER, put("/config/a/x", "new", 18)));

        assertThat(range.applyRead(read(15, CLUSTER, put("/config/a/x", "old", 12)))).isFalse();
        assertThat(range.get("/config/a/x").value).isEqualTo("new");
    }

    @Test
    void aReadFromANewClusterIsTheTruthWhateverItsRevision() {
        range.applyRead(read(500, CLUSTER, put("/config/a/x", "before-wipe", 400)));
        seen.clear();

        assertThat(range.applyRead(read(3, 99, put("/config/a/y", "fresh", 2)))).isTrue();
        assertThat(range.get("/config/a/x")).isNull();
        assertThat(range.get("/config/a/y").value).isEqualTo("fresh");
        assertThat(range.revision()).isEqualTo(3);
    }

    @Test
    void snapshotValuesStandOnlyUntilEtcdsFirstRead() {
        range.applySnapshot(Map.of("/config/a/x", "cached", "/other/key", "ignored"));
        assertThat(range.get("/config/a/x").value).isEqualTo("cached");
        assertThat(range.get("/other/key")).isNull();

        range.applyRead(read(2, CLUSTER));
        assertThat(range.get("/config/a/x")).isNull();
        range.applySnapshot(Map.of("/config/a/x", "cached"));
        assertThat(range.get("/config/a/x")).isNull();
    }

    @Test
    void aNewHistoryWithTheSameClusterIdIsTheTruthAndLowersTheRevision() {
        List<Long> restartedAt = new ArrayList<>();
        range.onProgress(new WatchedRange.ProgressListener() {
            @Override
            public void advanced(WatchedRange range, long revision) {
            }

            @Override
            public void restarted(WatchedRange range, long revision) {
                restartedAt.add(revision);
            }
        });
        range.applyRead(read(311, CLUSTER, put("/config/a/x", "before", 300), put("/config/a/y", "gone", 301)));
        seen.clear();

        range.applyNewHistory(read(3, CLUSTER, put("/config/a/x", "after", 3)));

        assertThat(range.get("/config/a/x").value).isEqualTo("after");
        assertThat(range.get("/config/a/y")).isNull();
        assertThat(range.revision()).isEqualTo(3);
        assertThat(restartedAt).containsExactly(3L);
        // The new history's events follow from there.
        range.applyEvents(List.of(put("/config/a/x", "later", 4)));
        assertThat(range.get("/config/a/x").value).isEqualTo("later");
        assertThat(seen).containsExactlyInAnyOrder("/config/a/x=after@3", "/config/a/y=null@3", "/config/a/x=later@4");
    }

    @Test
    void aScopedRangeTellsEachBaseKeyWithTheValueThatAppliesToThisInstance() {
        range.scopeTo(null, Map.of("zone", "eu"));
        List<String> field = new ArrayList<>();
        Change first = range.listen("/config/a/x", (change, old) -> field.add(change.value + "@" + change.revision));
        assertThat(first).isNull();
        range.applyRead(read(10, CLUSTER, put("/config/a/x", "base", 5), put("/config/a/x@label=zone:eu", "eu", 6),
                put("/config/a/x@label=zone:us", "us", 7)));
        range.applyEvents(List.of(put("/config/a/x", "base2", 11)));
        range.applyEvents(List.of(put("/config/a/x@instance=me", "mine", 12)));
        range.scopeTo("me", Map.of("zone", "eu"));
        range.applyEvents(List.of(delete("/config/a/x@instance=me", 13)));
        range.applyEvents(List.of(delete("/config/a/x@label=zone:eu", 14)));
        range.scopeTo("me", Map.of("zone", "us"));

        assertThat(field).containsExactly("eu@7", "mine@12", "eu@13", "base2@14", "us@14");
        assertThat(seen).allMatch(told -> told.startsWith("/config/a/x="));
        assertThat(range.get("/config/a/x@label=zone:us").value).as("etcd's own keys stay").isEqualTo("us");
        assertThat(range.listen("/config/a/x", (change, old) -> { }).value).isEqualTo("us");
    }
}
