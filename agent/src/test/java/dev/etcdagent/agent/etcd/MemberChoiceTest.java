package dev.etcdagent.agent.etcd;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.etcdagent.agent.etcd.MemberChoice.Decision;
import dev.etcdagent.agent.etcd.MemberChoice.Health;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which members the client uses: a dead one is left to gRPC, a leaderless one is avoided, and only once sure. */
class MemberChoiceTest {

    private static final URI A = URI.create("http://127.0.0.1:1");
    private static final URI B = URI.create("http://127.0.0.1:2");
    private static final URI C = URI.create("http://127.0.0.1:3");
    private static final List<URI> ALL = List.of(A, B, C);
    private static final long AVOID = 60_000_000_000L;

    private final MemberChoice choice = new MemberChoice(ALL, AVOID);

    private static Map<URI, Health> check(Health a, Health b, Health c) {
        Map<URI, Health> health = new LinkedHashMap<>();
        health.put(A, a);
        health.put(B, b);
        health.put(C, c);
        return health;
    }

    @Test
    void aDeadMemberNeedsNoNewClient() {
        assertThat(choice.afterCheck(check(Health.DOWN, Health.HEALTHY, Health.HEALTHY), ALL, 0))
                .isEqualTo(Decision.CARRY_ON);
        assertThat(choice.usable(0)).containsExactly(A, B, C);
    }

    @Test
    void aLeaderlessMemberIsAvoidedOnceSeenSoTwiceInARow() {
        assertThat(choice.afterCheck(check(Health.LEADERLESS, Health.HEALTHY, Health.HEALTHY), ALL, 0))
                .isEqualTo(Decision.CHECK_AGAIN);
        assertThat(choice.afterCheck(check(Health.LEADERLESS, Health.HEALTHY, Health.HEALTHY), ALL, 1))
                .isEqualTo(Decision.REBUILD);
        assertThat(choice.usable(2)).containsExactly(B, C);
        // The new client no longer uses it: nothing more to do while it stays cut off.
        assertThat(choice.afterCheck(check(Health.LEADERLESS, Health.HEALTHY, Health.HEALTHY), List.of(B, C), 3))
                .isEqualTo(Decision.CARRY_ON);
    }

    @Test
    void aSilentMemberIsAvoidedLikeALeaderlessOne() {
        choice.afterCheck(check(Health.HEALTHY, Health.SILENT, Health.HEALTHY), ALL, 0);
        assertThat(choice.afterCheck(check(Health.HEALTHY, Health.SILENT, Health.HEALTHY), ALL, 1))
                .isEqualTo(Decision.REBUILD);
        assertThat(choice.usable(2)).containsExactly(A, C);
    }

    @Test
    void aMemberLeaderlessForAMomentIsNotAvoided() {
        choice.afterCheck(check(Health.LEADERLESS, Health.HEALTHY, Health.HEALTHY), ALL, 0);
        assertThat(choice.afterCheck(check(Health.HEALTHY, Health.HEALTHY, Health.HEALTHY), ALL, 1))
                .isEqualTo(Decision.CARRY_ON);
        assertThat(choice.afterCheck(check(Health.LEADERLESS, Health.HEALTHY, Health.HEALTHY), ALL, 2))
                .isEqualTo(Decision.CHECK_AGAIN);
    }

    @Test
    void anAvoidedMemberIsUsableAgainWhenHealthyOrAfterTheAvoidTime() {
        choice.afterCheck(check(Health.LEADERLESS, Health.HEALTHY, Health.HEALTHY), ALL, 0);
        choice.afterCheck(check(Health.LEADERLESS, Health.HEALTHY, Health.HEALTHY), ALL, 0);
        assertThat(choice.usable(AVOID - 1)).containsExactly(B, C);
        assertThat(choice.usable(AVOID)).containsExactly(A, B, C);

        choice.afterCheck(check(Health.HEALTHY, Health.HEALTHY, Health.HEALTHY), List.of(B, C), 5);
        assertThat(choice.usable(6)).containsExactly(A, B, C);
    }

    @Test
    void noMemberAnsweringThreeChecksInARowIsALostConnection() {
        assertThat(choice.afterCheck(check(Health.SILENT, Health.SILENT, Health.DOWN), ALL, 0))
                .isEqualTo(Decision.CHECK_AGAIN);
        assertThat(choice.afterCheck(check(Health.SILENT, Health.DOWN, Health.DOWN), ALL, 1))
                .isEqualTo(Decision.CHECK_AGAIN);
        assertThat(choice.afterCheck(check(Health.SILENT, Health.SILENT, Health.DOWN), ALL, 2))
                .isEqualTo(Decision.LOST);
    }

    @Test
    void aClusterWithoutALeaderIsWaitedForNeverRebuiltFor() {
        assertThat(choice.afterCheck(check(Health.LEADERLESS, Health.LEADERLESS, Health.DOWN), ALL, 0))
                .isEqualTo(Decision.CHECK_AGAIN);
        assertThat(choice.afterCheck(check(Health.LEADERLESS, Health.SILENT, Health.DOWN), ALL, 1))
                .isEqualTo(Decision.CHECK_AGAIN);
        assertThat(choice.afterCheck(check(Health.LEADERLESS, Health.LEADERLESS, Health.LEADERLESS), ALL, 2))
                .isEqualTo(Decision.NO_LEADER);
        assertThat(choice.afterCheck(check(Health.LEADERLESS, Health.LEADERLESS, Health.LEADERLESS), ALL, 3))
                .isEqualTo(Decision.CHECK_AGAIN);
        // The election ends: nothing to rebuild.
        assertThat(choice.afterCheck(check(Health.HEALTHY, Health.HEALTHY, Health.HEALTHY), ALL, 4))
                .isEqualTo(Decision.CARRY_ON);
        assertThat(choice.usable(5)).containsExactly(A, B, C);
    }

    @Test
    void everyMemberRefusingConnectionsIsALostConnectionAtOnce() {
        assertThat(choice.afterCheck(check(Health.DOWN, Health.DOWN, Health.DOWN), ALL, 0)).isEqualTo(Decision.LOST);
    }

    @Test
    void whenEveryMemberIsAvoidedAllAreUsable() {
        MemberChoice single = new MemberChoice(List.of(A), AVOID);
        assertThat(single.usable(0)).containsExactly(A);
    }
}
