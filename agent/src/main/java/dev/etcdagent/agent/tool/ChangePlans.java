package dev.etcdagent.agent.tool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.etcdagent.agent.scope.Scope;
import dev.etcdagent.agent.scope.ScopedKey;

/**
 * What each changing command writes, decided from the key's family as read: put and delete (of the
 * base value, or of an override), promote, abort and rollback.
 */
final class ChangePlans {

    private ChangePlans() {
    }

    /**
     * A put of the base value, or of an override for each scope; with {@code ttl} the value is
     * temporary (the whole key gets a temporary override of scope {@code all}). A canary replaces the
     * family's earlier canary of the same kind, so raising it widens the set without a gap.
     */
    static ChangePlan put(Family family, String value, List<Scope> scopes, Duration ttl) {
        List<Scope> targets = new ArrayList<>(scopes);
        if (targets.isEmpty() && ttl != null) {
            targets.add(Scope.all());
        }
        if (targets.isEmpty()) {
            return new ChangePlan("put", family.base, "base").put(family.base, value, null);
        }
        ChangePlan plan = new ChangePlan("put", family.base, describe(targets, ttl));
        plan.ttl = ttl;
        for (Scope scope : targets) {
            Scope written = ttl == null ? scope : scope.temporary();
            if (scope.kind == Scope.Kind.CANARY) {
                for (Family.Entry entry : family.overrides()) {
                    if (entry.key.scope.kind == Scope.Kind.CANARY && entry.key.scope.temporary == written.temporary
                            && !entry.key.scope.equals(written)) {
                        plan.delete(entry.key.key);
                    }
                }
            }
            plan.put(ScopedKey.of(family.base, written).key, value, ttl);
        }
        return plan;
    }

    /** A delete of the base value, or of the lasting overrides of the scopes; null when there is none. */
    static ChangePlan delete(Family family, List<Scope> scopes) {
        if (scopes.isEmpty()) {
            return family.own() == null ? null : new ChangePlan("delete", family.base, "base").delete(family.base);
        }
        ChangePlan plan = new ChangePlan("delete", family.base, describe(scopes, null));
        for (Scope scope : scopes) {
            String key = ScopedKey.of(family.base, scope).key;
            if (family.entries.containsKey(key)) {
                plan.delete(key);
            }
        }
        return plan.isEmpty() ? null : plan;
    }

    /**
     * The overrides of the scopes (lasting or temporary; all of them without a scope) become the base
     * value and go. They must hold one value; none is a failure.
     */
    static ChangePlan promote(Family family, List<Scope> scopes) {
        List<Family.Entry> chosen = chosen(family, scopes);
        if (chosen.isEmpty()) {
            throw new ToolFailure("promote: " + family.base + " has no override" + (scopes.isEmpty() ? ""
                    : " for " + describe(scopes, null)) + " to promote (see get SERVICE NAME)");
        }
        String value = chosen.get(0).value;
        List<String> scopesChosen = new ArrayList<>();
        for (Family.Entry entry : chosen) {
            scopesChosen.add(entry.scope());
            if (!entry.value.equals(value)) {
                throw new ToolFailure("promote: the overrides of " + family.base + " hold different values ("
                        + String.join("; ", scopesChosen) + ", …): name the one to promote with --instances,"
                        + " --where or --canary");
            }
        }
        ChangePlan plan = new ChangePlan("promote", family.base, String.join("; ", scopesChosen));
        plan.put(family.base, value, null);
        for (Family.Entry entry : chosen) {
            plan.delete(entry.key.key);
        }
        return plan;
    }

    /** The overrides of the scopes (all of them without a scope) go; null when there is none. */
    static ChangePlan abort(Family family, List<Scope> scopes) {
        List<Family.Entry> chosen = chosen(family, scopes);
        if (chosen.isEmpty()) {
            return null;
        }
        List<String> scopesChosen = new ArrayList<>();
        for (Family.Entry entry : chosen) {
            scopesChosen.add(entry.scope());
        }
        ChangePlan plan = new ChangePlan("abort", family.base, String.join("; ", scopesChosen));
        for (Family.Entry entry : chosen) {
            plan.delete(entry.key.key);
        }
        return plan;
    }

    /**
     * Back to {@code then} (the family at an earlier revision): every key that differs is put back or
     * deleted. A temporary value of then is not brought back (its time has run): {@code skipped} gets it.
     */
    static ChangePlan rollback(Family now, Family then, List<String> skipped) {
        ChangePlan plan = new ChangePlan("rollback", now.base, "to revision " + then.revision);
        Map<String, Boolean> keys = new TreeMap<>();
        now.entries.keySet().forEach(key -> keys.put(key, true));
        then.entries.keySet().forEach(key -> keys.put(key, true));
        for (String key : keys.keySet()) {
            Family.Entry was = then.entries.get(key);
            Family.Entry is = now.entries.get(key);
            if (was != null && was.lease != 0) {
                skipped.add(was.scope());
                continue;
            }
            if (was == null) {
                if (is != null) {
                    plan.delete(key);
                }
            } else if (is == null || !is.value.equals(was.value)) {
                plan.put(key, was.value, null);
            }
        }
        return plan;
    }

    private static List<Family.Entry> chosen(Family family, List<Scope> scopes) {
        List<Family.Entry> chosen = new ArrayList<>();
        for (Family.Entry entry : family.overrides()) {
            if (scopes.isEmpty() || scopes.contains(entry.key.scope.lasting())) {
                chosen.add(entry);
            }
        }
        return chosen;
    }

    private static String describe(List<Scope> scopes, Duration ttl) {
        List<String> parts = new ArrayList<>();
        for (Scope scope : scopes) {
            parts.add(scope.describe());
        }
        String text = scopes.size() > 1 && scopes.get(0).kind == Scope.Kind.INSTANCE
                ? "instances " + String.join(", ", parts).replace("instance ", "") : String.join(", ", parts);
        return ttl == null ? text : text + ", temporary for " + Help.duration(ttl);
    }
}
