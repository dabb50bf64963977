package dev.etcdagent.agent.scope;

import java.util.Map;

import dev.etcdagent.agent.etcd.Change;

/**
 * Which of a base key's entries applies to one instance: the base value, or the override of highest
 * precedence that applies to it (see {@link Scope}). The agent and the operator's tool decide alike.
 */
public final class Precedence {

    private Precedence() {
    }

    /**
     * The entry that applies among {@code family} (the base key's entry, if any, and its overrides; no
     * deletions), or null when none does. {@code instanceId} is null while the instance has none yet.
     */
    public static Change winner(Iterable<Change> family, String instanceId, Map<String, String> labels) {
        Change best = null;
        int bestRank = -1;
        for (Change entry : family) {
            Scope scope = ScopedKey.parse(entry.key).scope;
            int rank;
            if (scope == null) {
                rank = 0;
            } else if (scope.appliesTo(instanceId, labels)) {
                rank = scope.rank() + 1;
            } else {
                continue;
            }
            if (rank > bestRank || rank == bestRank && entry.revision > best.revision) {
                best = entry;
                bestRank = rank;
            }
        }
        return best;
    }
}
