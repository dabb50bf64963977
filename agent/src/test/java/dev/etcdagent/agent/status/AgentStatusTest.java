package dev.etcdagent.agent.status;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.etcdagent.agent.log.AgentLog;
import dev.etcdagent.agent.registration.FakeLeases;
import dev.etcdagent.agent.registration.Presence;
import dev.etcdagent.agent.testing.ManualScheduler;
import dev.etcdagent.agent.values.TestRanges;
import dev.etcdagent.agent.values.WatchedRange;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the status record says and when it is put: the apply loop and its clock moved by the test,
 * the record put through a real presence on an etcd that answers at once.
 */
class AgentStatusTest {

    private static final String SERVICE = "/service/a";
    private static final String PREFIX = "/etcd-agent/status";
    private static final String INSTANCE = "blue-1";
    private static final String RECORD_KEY = PREFIX + SERVICE + "/" + INSTANCE;
    private static final String KEY = "/config/service/a/limit";
    private static final String FIELD = "com.shop.Limits.limit";

    private final ManualScheduler apply = new ManualScheduler();
    private final FakeLeases etcd = new FakeLeases().answeringAtOnce();
    private final Presence presence = new Presence(etcd, 10);
    private final WatchedRange config = TestRanges.of("/config/service/a/", true);
    private final WatchedRange discount = TestRanges.of("/global/discount", false);
    private final AgentStatus status = status(PREFIX, INSTANCE);

    @BeforeAll
    static void quiet() {
        AgentLog.setLevel(AgentLog.Level.OFF);
    }

    private AgentStatus status(String prefix, String instance) {
        return new AgentStatus(SERVICE, prefix, instance, apply, presence, new RecordPacing() {
            @Override
            long now() {
                return apply.nanoTime();
            }
        });
    }

    /** The record as etcd has it now. */
    private StatusRecord written(String key) {
        byte[] value = etcd.values.get(key);
        assertThat(value).as("a record under " + key + " in " + etcd.values.keySet()).isNotNull();
        return StatusRecord.parse(new String(value, StandardCharsets.UTF_8));
    }

    private StatusRecord written() {
        return written(RECORD_KEY);
    }

    private List<String> puts() {
        List<String> puts = new ArrayList<>();
        for (String call : etcd.history) {
            if (call.startsWith("put ")) {
                puts.add(call);
            }
        }
        return puts;
    }

    private static List<String> ranges(StatusRecord record) {
        List<String> ranges = new ArrayList<>();
        for (StatusRecord.Range range : record.ranges) {
            ranges.add(range.key + (range.prefix ? " (prefix)" : "") + " @" + range.revision);
        }
        return ranges;
    }

    @Test
    void aRangesRevisionIsClaimedOnlyOnceTheApplyLoopGetsToItBehindTheFieldWrites() {
        status.advanced(config, 42);
        assertThat(status.snapshot().ranges).isEmpty();

        apply.runDue();

        assertThat(ranges(status.snapshot())).containsExactly("/config/service/a/ (prefix) @42");
        assertThat(ranges(written())).containsExactly("/config/service/a/ (prefix) @42");
    }

    @Test
    void theRecordListsRangesByKeyAndClaimsTheLeastOfTheirRevisions() {
        status.advanced(discount, 12);
        status.advanced(config, 57);
        apply.runDue();

        StatusRecord record = written();
        assertThat(ranges(record)).containsExactly("/config/service/a/ (prefix) @57", "/global/discount @12");
        assertThat(record.revision).isEqualTo(12);
        assertThat(status.revision()).isEqualTo(12);
        assertThat(record.service).isEqualTo(SERVICE);
        assertThat(record.stopping).isFalse();
    }

    @Test
    void progressNeverTakesARangesRevisionBack() {
        status.advanced(config, 57);
        status.advanced(config, 50);
        apply.runDue();

        assertThat(ranges(written())).containsExactly("/config/service/a/ (prefix) @57");
    }

    @Test
    void aRefusedValueStandsUntilTheFieldAppliesTheKeyAtOrAfterItsRevision() {
        status.rejected(KEY, 10, FIELD, "not a number");
        apply.runDue();
        StatusRecord.Rejection rejection = written().rejected.get(KEY);
        assertThat(rejection.revision).isEqualTo(10);
        assertThat(rejection.field).isEqualTo(FIELD);
        assertThat(rejection.reason).isEqualTo("not a number");
        assertThat(status.rejectedCount()).isEqualTo(1);

        status.applied(KEY, 9, FIELD);
        assertThat(status.snapshot().rejected).as("an older value's write").containsKey(KEY);
        status.applied(KEY, 10, FIELD);

        assertThat(status.snapshot().rejected).isEmpty();
        assertThat(status.rejectedCount()).isZero();
        apply.advanceMillis(100);
        assertThat(written().rejected).isEmpty();
    }

    @Test
    void aDeleteThatRestoresTheDeclaredValueClearsTheRefusalAndAdvancesTheRange() {
        status.advanced(config, 10);
        status.rejected(KEY, 10, FIELD, "not a number");
        apply.runDue();

        // As the field and the range tell of a delete at revision 12, in that order.
        status.applied(KEY, 12, FIELD);
        status.advanced(config, 12);
        apply.advanceMillis(100);

        StatusRecord record = written();
        assertThat(record.rejected).isEmpty();
        assertThat(record.revision).isEqualTo(12);
    }

    @Test
    void aKeyRefusedByTwoFieldsStaysRefusedUntilBothApplyIt() {
        status.rejected(KEY, 10, FIELD, "not a number");
        status.rejected(KEY, 10, "com.shop.Other.limit", "out of range");
        assertThat(status.snapshot().rejected.get(KEY).field).as("the first field's refusal").isEqualTo(FIELD);
        assertThat(status.rejectedCount()).as("counted by key").isEqualTo(1);

        status.applied(KEY, 11, FIELD);
        assertThat(status.snapshot().rejected.get(KEY).field).isEqualTo("com.shop.Other.limit");
        status.applied(KEY, 11, "com.shop.Other.limit");

        assertThat(status.snapshot().rejected).isEmpty();
    }

    @Test
    void anotherFieldApplyingTheKeyDoesNotClearARefusal() {
        status.rejected(KEY, 10, FIELD, "not a number");

        status.applied(KEY, 11, "com.shop.Other.limit");
        status.applied("/config/service/a/other", 11, FIELD);

        assertThat(status.snapshot().rejected).containsKey(KEY);
    }

    @Test
    void afterAReconnectionEveryRangeClaimsRevisionZeroUntilItIsReadAgain() {
        status.advanced(config, 57);
        status.advanced(discount, 12);
        apply.runDue();

        status.connected(1, false);
        assertThat(ranges(written())).as("put at once, before the presence puts its keys back")
                .containsExactly("/config/service/a/ (prefix) @0", "/global/discount @0");

        status.advanced(config, 57);
        apply.advanceMillis(100);
        assertThat(ranges(written())).containsExactly("/config/service/a/ (prefix) @57", "/global/discount @0");
        assertThat(written().revision).isZero();
    }

    @Test
    void aReconnectionBeforeTheFirstRecordPutsNothing() {
        status.connected(1, false);

        assertThat(etcd.history).isEmpty();
    }

    @Test
    void aNewHistoryLowersTheRangeAndTheRefusalsAboveIt() {
        status.advanced(config, 300);
        status.rejected(KEY, 290, FIELD, "not a number");
        status.rejected("/config/service/a/old", 2, FIELD, "not a number");
        apply.runDue();

        status.restarted(config, 3);
        apply.advanceMillis(100);

        StatusRecord record = written();
        assertThat(ranges(record)).containsExactly("/config/service/a/ (prefix) @3");
        assertThat(record.rejected.get(KEY).revision).isEqualTo(3);
        assertThat(record.rejected.get("/config/service/a/old").revision).isEqualTo(2);
    }

    @Test
    void recordsArePutAtMostEveryHundredMillisecondsAndABurstIsOnePut() {
        status.advanced(config, 1);
        apply.runDue();
        assertThat(puts()).hasSize(1);

        status.advanced(config, 2);
        apply.advanceMillis(30);
        status.advanced(config, 3);
        status.rejected(KEY, 3, FIELD, "not a number");
        apply.advanceMillis(69);
        assertThat(puts()).hasSize(1);

        apply.advanceMillis(1);
        assertThat(puts()).hasSize(2);
        assertThat(written().revision).isEqualTo(3);
        assertThat(written().rejected).containsKey(KEY);
        assertThat(apply.delaysMillis).containsExactly(0L, 100L);
    }

    @Test
    void aChangeLongAfterTheLastPutIsPutAtOnce() {
        status.advanced(config, 1);
        apply.runDue();
        apply.advanceMillis(500);

        status.advanced(config, 2);
        apply.runDue();

        assertThat(puts()).hasSize(2);
        assertThat(apply.delaysMillis).containsExactly(0L, 0L);
    }

    @Test
    void aRecordWhoseTextDidNotChangeIsNotPutAgain() {
        status.advanced(config, 5);
        apply.runDue();

        status.rejected(KEY, 5, FIELD, "not a number");
        status.applied(KEY, 6, FIELD);
        apply.advanceMillis(100);

        assertThat(puts()).hasSize(1);
    }

    @Test
    void theAddressNamesTheRecordAndAMovePutsTheNewKeyBeforeWithdrawingTheOld() {
        AgentStatus unnamed = status(PREFIX, null);
        unnamed.address("10.0.0.5:8080");
        apply.runDue();
        assertThat(written(PREFIX + SERVICE + "/10.0.0.5:8080").addr).isEqualTo("10.0.0.5:8080");

        unnamed.address("10.0.0.5:9090");
        apply.advanceMillis(100);

        assertThat(etcd.history).containsSubsequence("put " + PREFIX + SERVICE + "/10.0.0.5:9090 7",
                "delete " + PREFIX + SERVICE + "/10.0.0.5:8080");
        assertThat(etcd.history).doesNotContain("revoke 7");
        assertThat(written(PREFIX + SERVICE + "/10.0.0.5:9090").instance).isEqualTo("10.0.0.5:9090");
    }

    @Test
    void anInstanceArgumentNamesTheRecordWhateverTheAddress() {
        status.address("10.0.0.5:8080");
        apply.runDue();

        StatusRecord record = written();
        assertThat(record.instance).isEqualTo(INSTANCE);
        assertThat(record.addr).isEqualTo("10.0.0.5:8080");
    }

    @Test
    void aJvmThatDoesNotListenIsNamedByItsPidAndHost() {
        status(PREFIX, null).advanced(config, 1);
        apply.runDue();

        assertThat(etcd.values).hasSize(1);
        String key = etcd.values.keySet().iterator().next();
        StatusRecord record = written(key);
        assertThat(record.hostname).isNotBlank();
        assertThat(record.instance).isEqualTo(ProcessHandle.current().pid() + "@" + record.hostname);
        assertThat(key).isEqualTo(PREFIX + SERVICE + "/" + record.instance);
        assertThat(record.addr).isNull();
        assertThat(record.pid).isEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void withRecordsOffNothingIsPutButTheFiguresAreKept() {
        AgentStatus off = status(null, INSTANCE);
        off.advanced(config, 7);
        off.rejected(KEY, 7, FIELD, "not a number");
        off.address("10.0.0.5:8080");
        apply.advanceMillis(1_000);

        assertThat(etcd.history).isEmpty();
        assertThat(apply.delaysMillis).isEmpty();
        assertThat(off.revision()).isEqualTo(7);
        assertThat(off.rejectedCount()).isEqualTo(1);
    }

    @Test
    void aJvmWithoutAServicePutsNoRecord() {
        AgentStatus noService = new AgentStatus(null, PREFIX, null, apply, presence);
        noService.advanced(config, 7);
        apply.advanceMillis(1_000);

        assertThat(etcd.history).isEmpty();
        assertThat(noService.revision()).isEqualTo(7);
    }

    @Test
    void atExitTheLastRecordSaysStoppingAndThenTheLeaseIsRevoked() {
        status.advanced(config, 5);
        apply.runDue();

        CompletableFuture<Void> stopped = status.stopPresence();

        assertThat(stopped).isDone();
        assertThat(written().stopping).isTrue();
        assertThat(written().revision).isEqualTo(5);
        assertThat(etcd.history.subList(etcd.history.size() - 2, etcd.history.size()))
                .containsExactly("put " + RECORD_KEY + " 7", "revoke 7");
    }

    @Test
    void atExitBeforeAnyRecordNothingIsPut() {
        CompletableFuture<Void> stopped = status.stopPresence();

        assertThat(stopped).isDone();
        assertThat(etcd.history).isEmpty();
    }
}
