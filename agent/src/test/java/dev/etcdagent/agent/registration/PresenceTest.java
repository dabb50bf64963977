package dev.etcdagent.agent.registration;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.etcdagent.agent.etcd.Change;
import dev.etcdagent.agent.etcd.WatchHandler;
import dev.etcdagent.agent.log.AgentLog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The presence's rules, with the test thread as the agent thread and calls answered by hand. */
class PresenceTest {

    private static final String KEY = "/service/a/127.0.0.1:8080";
    private static final byte[] VALUE = "{\"Op\":0}".getBytes(StandardCharsets.UTF_8);

    private final FakeLeases etcd = new FakeLeases();
    private final Presence presence = new Presence(etcd, 10);

    @BeforeAll
    static void quiet() {
        AgentLog.setLevel(AgentLog.Level.OFF);
    }

    @Test
    void publishGrantsOnceThenPutsOnTheLease() {
        presence.publish(KEY, VALUE);
        presence.publish("/status/x", VALUE);

        assertThat(etcd.calls).containsExactly("grant 10");
        etcd.answer("grant 10", 7L);
        assertThat(etcd.calls).containsExactly("put " + KEY + " 7", "put /status/x 7");
        assertThat(presence.state()).isEqualTo(Presence.State.REGISTERING);

        etcd.answer("put " + KEY + " 7", 100L);
        etcd.answer("put /status/x 7", 101L);
        assertThat(presence.state()).isEqualTo(Presence.State.REGISTERED);
        assertThat(etcd.watches).containsKeys(KEY, "/status/x");
    }

    @Test
    void stopRevokesAndNothingLateBringsTheKeyBack() {
        registered();
        WatchHandler ownKey = etcd.watches.get(KEY);

        CompletableFuture<Void> stopped = presence.stop();
        assertThat(presence.state()).isEqualTo(Presence.State.STOPPING);
        assertThat(etcd.calls).containsExactly("revoke 7");
        // The revoke deletes the key; the own-key watch must not take that for an operator's delete.
        ownKey.changed(List.of(new Change(KEY, null, 200, false)));
        etcd.runScheduled();
        presence.connected(1, false);
        presence.publish(KEY, VALUE);
        assertThat(etcd.calls).containsExactly("revoke 7");

        etcd.answer("revoke 7", null);
        assertThat(stopped).isDone();
        assertThat(presence.state()).isEqualTo(Presence.State.STOPPED);
        assertThat(etcd.calls).isEmpty();
    }

    @Test
    void stopPutsTheLastValueThenRevokesOnceEtcdAnswered() {
        registered();
        byte[] last = "stopping".getBytes(StandardCharsets.UTF_8);

        CompletableFuture<Void> stopped = presence.stop(KEY, last);
        assertThat(etcd.calls).containsExactly("put " + KEY + " 7");
        assertThat(etcd.values.get(KEY)).isEqualTo(last);

        etcd.answer("put " + KEY + " 7", 101L);
        assertThat(etcd.calls).containsExactly("revoke 7");
        etcd.runScheduled();
        assertThat(etcd.calls).as("the bound does not revoke twice").containsExactly("revoke 7");
        etcd.answer("revoke 7", null);
        assertThat(stopped).isDone();
        assertThat(presence.state()).isEqualTo(Presence.State.STOPPED);
    }

    @Test
    void aLastPutEtcdDoesNotAnswerHoldsTheRevokeUpOnlyForItsBound() {
        registered();

        presence.stop(KEY, "stopping".getBytes(StandardCharsets.UTF_8));
        etcd.runScheduled();

        assertThat(etcd.calls).containsExactly("put " + KEY + " 7", "revoke 7");
        etcd.answer("put " + KEY + " 7", 101L);
        assertThat(etcd.calls).containsExactly("revoke 7");
    }

    @Test
    void aLastValueForAKeyNotPublishedIsNotPut() {
        registered();

        presence.stop("/status/never-published", VALUE);

        assertThat(etcd.calls).containsExactly("revoke 7");
    }

    @Test
    void aGrantAnsweredAfterStopIsRevokedAndNeverUsed() {
        presence.publish(KEY, VALUE);
        presence.stop();

        etcd.answer("grant 10", 9L);

        assertThat(etcd.calls).containsExactly("revoke 9");
        assertThat(presence.state()).isEqualTo(Presence.State.STOPPED);
    }

    @Test
    void aGrantAnsweredAfterTheLastWithdrawIsRevoked() {
        presence.publish(KEY, VALUE);
        presence.withdraw(KEY);
        assertThat(presence.state()).isEqualTo(Presence.State.WITHDRAWN);

        etcd.answer("grant 10", 9L);

        assertThat(etcd.calls).containsExactly("revoke 9");
    }

    @Test
    void aKeyDeletedBySomeoneElseIsPutBack() {
        registered();

        etcd.watches.get(KEY).changed(List.of(new Change(KEY, null, 150, false)));

        assertThat(etcd.calls).containsExactly("put " + KEY + " 7");
    }

    @Test
    void aDeletionOlderThanThePutIsIgnored() {
        registered();

        etcd.watches.get(KEY).changed(List.of(new Change(KEY, null, 90, false)));

        assertThat(etcd.calls).isEmpty();
    }

    @Test
    void aLostLeaseIsGrantedAgainAndEveryKeyPutBack() {
        registered();

        etcd.runScheduled();
        etcd.answer("keepalive 7", 0L);

        assertThat(etcd.calls).containsExactly("grant 10");
        assertThat(presence.state()).isEqualTo(Presence.State.REGISTERING);
        etcd.answer("grant 10", 8L);
        assertThat(etcd.calls).containsExactly("put " + KEY + " 8");
    }

    @Test
    void keepAliveIsSentWhileAPutIsPending() {
        registered();
        etcd.watches.get(KEY).changed(List.of(new Change(KEY, null, 150, false)));
        assertThat(etcd.calls).containsExactly("put " + KEY + " 7");

        etcd.runScheduled();

        assertThat(etcd.calls).containsExactly("put " + KEY + " 7", "keepalive 7");
    }

    @Test
    void aPutRefusedForTheLeaseGrantsANewOne() {
        registered();
        presence.connected(1, false);
        assertThat(etcd.calls).containsExactly("put " + KEY + " 7");

        etcd.fail("put " + KEY + " 7", new RuntimeException("etcdserver: requested lease not found"));

        assertThat(etcd.calls).containsExactly("grant 10");
    }

    @Test
    void aNewClusterGetsANewLease() {
        registered();

        presence.connected(2, true);

        assertThat(etcd.calls).containsExactly("grant 10");
    }

    @Test
    void withdrawingOneOfTwoKeysDeletesItAndKeepsTheLease() {
        presence.publish(KEY, VALUE);
        presence.publish("/status/x", VALUE);
        etcd.answer("grant 10", 7L);
        etcd.answer("put " + KEY + " 7", 100L);
        etcd.answer("put /status/x 7", 101L);

        presence.withdraw(KEY);

        assertThat(etcd.calls).containsExactly("delete " + KEY);
        assertThat(presence.state()).isEqualTo(Presence.State.REGISTERED);
    }

    @Test
    void aPutLandingAfterItsKeyWasWithdrawnDeletesIt() {
        presence.publish(KEY, VALUE);
        presence.publish("/status/x", VALUE);
        etcd.answer("grant 10", 7L);
        presence.withdraw(KEY);

        etcd.answer("put " + KEY + " 7", 100L);

        assertThat(etcd.calls).contains("delete " + KEY);
    }

    @Test
    void failuresWhileConnectedAreRetried() {
        presence.publish(KEY, VALUE);
        etcd.fail("grant 10", new RuntimeException("etcdserver: permission denied"));
        assertThat(etcd.calls).isEmpty();

        etcd.runScheduled();

        assertThat(etcd.calls).containsExactly("grant 10");
    }

    @Test
    void stateBelongsToTheAgentThread() {
        etcd.inLoop = false;

        assertThatThrownBy(() -> presence.connected(1, false)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("agent thread");
    }

    private void registered() {
        presence.publish(KEY, VALUE);
        etcd.answer("grant 10", 7L);
        etcd.answer("put " + KEY + " 7", 100L);
        assertThat(presence.state()).isEqualTo(Presence.State.REGISTERED);
    }

    @Test
    void anUnansweredKeepAliveIsSentAgainAtOnceAndTheLeaseKept() {
        registered();
        etcd.runScheduled();

        etcd.fail("keepalive 7", new java.util.concurrent.TimeoutException("no answer from etcd within 666 ms"));
        assertThat(etcd.calls).containsExactly("keepalive 7");
        etcd.fail("keepalive 7", new java.util.concurrent.TimeoutException("no answer from etcd within 666 ms"));
        etcd.answer("keepalive 7", 2L);

        assertThat(etcd.calls).isEmpty();
        assertThat(presence.state()).isEqualTo(Presence.State.REGISTERED);
    }

    @Test
    void keepAliveRetriesAreBoundedWithinOnePeriod() {
        registered();
        etcd.runScheduled();
        for (int i = 0; i < 3; i++) {
            etcd.fail("keepalive 7", new java.util.concurrent.TimeoutException("no answer"));
        }

        assertThat(etcd.calls).isEmpty();
        etcd.runScheduled();
        assertThat(etcd.calls).containsExactly("keepalive 7");
    }

    @Test
    void aLastingRefusalBacksOffAndIsExplainedOnce() {
        presence.publish(KEY, VALUE);
        etcd.answer("grant 10", 7L);
        etcd.fail("put " + KEY + " 7", new IllegalStateException("etcdserver: permission denied"));
        etcd.runScheduled();
        etcd.fail("put " + KEY + " 7", new IllegalStateException("etcdserver: permission denied"));

        assertThat(etcd.delays).containsSubsequence(1_000L, 2_000L);
    }

    @Test
    void aSessionThatTakesOverInPlaceOnlyStartsTheWatchesFromEachPut() {
        // Registered through a way to etcd that cannot watch (the JSON gateway).
        etcd.canWatch = false;
        registered();
        assertThat(etcd.watches).isEmpty();

        etcd.canWatch = true;
        etcd.inPlace = true;
        presence.connected(1, false);

        assertThat(etcd.calls).as("nothing put again: etcd sees no change").isEmpty();
        assertThat(etcd.watchedFrom).containsEntry(KEY, 101L);
        assertThat(presence.state()).isEqualTo(Presence.State.REGISTERED);
        // The keep-alives carry on on the same lease.
        etcd.runScheduled();
        assertThat(etcd.calls).containsExactly("keepalive 7");
    }

    @Test
    void aDeleteMadeBeforeTheTakeOverIsSeenByTheWatchAndTheKeyPutBack() {
        etcd.canWatch = false;
        registered();
        etcd.canWatch = true;
        etcd.inPlace = true;
        presence.connected(1, false);

        etcd.watches.get(KEY).changed(List.of(new Change(KEY, null, 150, false)));
        assertThat(etcd.calls).containsExactly("put " + KEY + " 7");
    }

    @Test
    void aTakeOverAfterTroubleIsAReconnectionThatPutsEveryKeyAgain() {
        etcd.canWatch = false;
        registered();
        etcd.canWatch = true;
        etcd.inPlace = false;
        presence.connected(1, false);

        assertThat(etcd.calls).containsExactly("put " + KEY + " 7");
    }
}
