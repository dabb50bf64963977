package dev.etcdagent.agent.etcd;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which etcd members the client talks to, decided from checks of every member's status.
 *
 * <p>jetcd's channel balances calls round-robin over the members that accept connections, and
 * skips a dead member by itself: a member that is down needs nothing from the agent. A member
 * cut off from its peers is worse: it still accepts connections, and every call that needs the
 * cluster gets "no leader" or no answer from it. Such a member is avoided for a while: the client
 * is rebuilt over the others, once. It must look so on two checks in a row (an election makes
 * members leaderless for a moment). When no member is healthy but some answer without a leader,
 * the cluster itself has none (an election, a lost quorum): a new client would not help, so the
 * session checks again until a leader is back. When every member refuses connections, or is
 * silent three checks in a row, the connection is lost. Pure logic; the session does the I/O.
 */
final class MemberChoice {

    /** What one member's status said. */
    enum Health {
        /** Answered, and knows a leader. */
        HEALTHY,
        /** Answered, but has no leader: cut off from the others, or in an election. */
        LEADERLESS,
        /** Accepts connections but did not answer in time (frozen, overloaded). */
        SILENT,
        /** Refuses connections. */
        DOWN
    }

    /** What the session does after a check. */
    enum Decision {
        /** The client can carry on through the members it has. */
        CARRY_ON,
        /** Not sure yet: check again in a moment. */
        CHECK_AGAIN,
        /** A member the client uses is confirmed bad and another is healthy: rebuild over {@link #usable}. */
        REBUILD,
        /** The cluster has had no leader for three checks in a row: say so once, and check again. */
        NO_LEADER,
        /** No member answers: the connection is lost. */
        LOST
    }

    static final int CHECKS_BEFORE_LOSS = 3;

    private final List<URI> endpoints;
    private final long avoidNanos;
    private final Map<URI, Long> avoidedUntil = new HashMap<>();
    private Set<URI> suspects = new HashSet<>();
    private int checksWithoutHealthy;

    MemberChoice(List<URI> endpoints, long avoidNanos) {
        this.endpoints = List.copyOf(endpoints);
        this.avoidNanos = avoidNanos;
    }

    List<URI> endpoints() {
        return endpoints;
    }

    /** The members a new client should use: all but the avoided ones, or all when every one is avoided. */
    List<URI> usable(long nowNanos) {
        List<URI> usable = new ArrayList<>();
        for (URI endpoint : endpoints) {
            Long until = avoidedUntil.get(endpoint);
            if (until == null || until - nowNanos <= 0) {
                usable.add(endpoint);
            }
        }
        return usable.isEmpty() ? endpoints : usable;
    }

    /** Decides from one check of every member; {@code inClient} are the members the current client uses. */
    Decision afterCheck(Map<URI, Health> health, Collection<URI> inClient, long nowNanos) {
        if (!health.containsValue(Health.HEALTHY)) {
            suspects = new HashSet<>();
            checksWithoutHealthy++;
            if (health.containsValue(Health.LEADERLESS)) {
                return checksWithoutHealthy == CHECKS_BEFORE_LOSS ? Decision.NO_LEADER : Decision.CHECK_AGAIN;
            }
            boolean allDown = health.values().stream().allMatch(h -> h == Health.DOWN);
            if (allDown || checksWithoutHealthy >= CHECKS_BEFORE_LOSS) {
                checksWithoutHealthy = 0;
                return Decision.LOST;
            }
            return Decision.CHECK_AGAIN;
        }
        checksWithoutHealthy = 0;
        Set<URI> bad = new HashSet<>();
        for (Map.Entry<URI, Health> member : health.entrySet()) {
            if (member.getValue() == Health.HEALTHY) {
                avoidedUntil.remove(member.getKey());
            } else if (inClient.contains(member.getKey())
                    && (member.getValue() == Health.LEADERLESS || member.getValue() == Health.SILENT)) {
                bad.add(member.getKey());
            }
        }
        Set<URI> confirmed = new HashSet<>(bad);
        confirmed.retainAll(suspects);
        suspects = bad;
        if (bad.isEmpty()) {
            return Decision.CARRY_ON;
        }
        if (confirmed.isEmpty()) {
            return Decision.CHECK_AGAIN;
        }
        for (URI member : confirmed) {
            avoidedUntil.put(member, nowNanos + avoidNanos);
        }
        suspects.removeAll(confirmed);
        return Decision.REBUILD;
    }
}
