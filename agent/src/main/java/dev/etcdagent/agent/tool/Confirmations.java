package dev.etcdagent.agent.tool;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;

import dev.etcdagent.agent.status.StatusRecord;

/**
 * Which live instances of a service have confirmed one change of one key, from their status
 * records as they come. An instance that follows the key confirms once every range of its that
 * covers the key has applied up to the change's revision; it rejected the change when its record
 * names the key among the rejected. Instances that do not follow the key are not waited for.
 *
 * <p>A record that goes is read by how it went. After a last version saying {@code stopping} the JVM
 * exited normally: reported, not waited for. Without it the lease expired (a JVM frozen, cut off from
 * etcd, paused longer than its ttl, or killed): the instance is not confirmed unless it comes back
 * (a record of the same key, instance id or JVM) and confirms before the wait ends.
 */
final class Confirmations {

    enum Outcome {
        APPLIED,
        REJECTED,
        /** Its record said {@code stopping}, then went: a normal exit. Final. */
        STOPPED,
        /** Its record went without saying {@code stopping}: not confirmed unless it comes back. */
        VANISHED,
        /** A vanished instance has a record again, and has not confirmed yet. */
        RETURNED
    }

    /** How the wait ended. */
    enum Verdict {
        /** Every live follower applied the change. */
        APPLIED_BY_ALL,
        /** At least one follower rejected it. */
        REJECTED,
        /** At least one follower had not confirmed, or vanished and did not come back. */
        NOT_CONFIRMED,
        /** No live instance follows the key. */
        NOT_FOLLOWED
    }

    /** One instance's news. */
    static final class Decision {
        final String instance;
        final Outcome outcome;
        final StatusRecord.Rejection rejection;
        final long millis;

        Decision(String instance, Outcome outcome, StatusRecord.Rejection rejection, long millis) {
            this.instance = instance;
            this.outcome = outcome;
            this.rejection = rejection;
            this.millis = millis;
        }
    }

    private final String service;
    private final String key;
    private final long revision;
    /** Whether the change moves the value of the instance of a record (its scope, its overrides). */
    private final Predicate<StatusRecord> changesValueOf;
    /** By record key: live records whose ranges cover the key, whether the change moves their value or not. */
    private final Map<String, String> following = new LinkedHashMap<>();
    /** By record key: every record of the service now in etcd, but those saying stopping. */
    private final Map<String, StatusRecord> live = new LinkedHashMap<>();
    /** By record key: followers that have not answered yet. */
    private final Map<String, StatusRecord> waiting = new LinkedHashMap<>();
    /** By record key: followers whose record went without a clean exit, as it last stood. */
    private final Map<String, StatusRecord> vanished = new LinkedHashMap<>();
    /** By record key: final answers (applied, rejected, stopped). */
    private final Map<String, Decision> decided = new LinkedHashMap<>();

    Confirmations(String service, String key, long revision, Predicate<StatusRecord> changesValueOf) {
        this.service = service;
        this.key = key;
        this.revision = revision;
        this.changesValueOf = changesValueOf;
    }

    /**
     * A record as it now stands ({@code record == null}: deleted); returns the news it brings, or null.
     * {@code millis}: the time since the change was made, for the report.
     */
    Decision update(String recordKey, StatusRecord record, long millis) {
        if (record == null) {
            live.remove(recordKey);
            following.remove(recordKey);
            StatusRecord last = waiting.remove(recordKey);
            if (last == null) {
                return null;
            }
            vanished.put(recordKey, last);
            return new Decision(last.instance, Outcome.VANISHED, null, millis);
        }
        if (!service.equals(record.service)) {
            return null;
        }
        if (record.stopping) {
            live.remove(recordKey);
        } else {
            live.put(recordKey, record);
        }
        if (decided.containsKey(recordKey)) {
            return null;
        }
        boolean returned = cameBack(recordKey, record);
        if (record.rangesCovering(key).isEmpty()) {
            waiting.remove(recordKey);
            following.remove(recordKey);
            return null;
        }
        if (record.stopping) {
            following.remove(recordKey);
        } else {
            following.put(recordKey, record.instance);
        }
        if (!changesValueOf.test(record)) {
            waiting.remove(recordKey);
            return null;
        }
        if (record.hasApplied(key, revision)) {
            waiting.remove(recordKey);
            StatusRecord.Rejection rejection = record.rejected.get(key);
            return decide(recordKey, new Decision(record.instance,
                    rejection == null ? Outcome.APPLIED : Outcome.REJECTED, rejection, millis));
        }
        if (record.stopping) {
            waiting.remove(recordKey);
            return decide(recordKey, new Decision(record.instance, Outcome.STOPPED, null, millis));
        }
        waiting.put(recordKey, record);
        return returned ? new Decision(record.instance, Outcome.RETURNED, null, millis) : null;
    }

    /** Whether {@code record} is a vanished instance back: the same record key, instance id or JVM. */
    private boolean cameBack(String recordKey, StatusRecord record) {
        boolean found = false;
        for (Iterator<Map.Entry<String, StatusRecord>> it = vanished.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, StatusRecord> gone = it.next();
            if (gone.getKey().equals(recordKey) || gone.getValue().instance.equals(record.instance)
                    || gone.getValue().sameJvm(record)) {
                it.remove();
                found = true;
            }
        }
        return found;
    }

    private Decision decide(String recordKey, Decision decision) {
        decided.put(recordKey, decision);
        return decision;
    }

    /** Nothing left to wait for: every follower answered, stopped, or was never there. */
    boolean settled() {
        return waiting.isEmpty() && vanished.isEmpty();
    }

    /** The followers still to answer whose records are live, as they last stood. */
    List<StatusRecord> unanswered() {
        return new ArrayList<>(waiting.values());
    }

    /** The followers whose records went without a clean exit and did not come back, as they last stood. */
    List<StatusRecord> vanished() {
        return new ArrayList<>(vanished.values());
    }

    List<Decision> answered(Outcome outcome) {
        List<Decision> matching = new ArrayList<>();
        for (Decision decision : decided.values()) {
            if (decision.outcome == outcome) {
                matching.add(decision);
            }
        }
        return matching;
    }

    /** The followers seen so far that did not stop cleanly: answered, waited for, or vanished. */
    int followers() {
        return waiting.size() + vanished.size() + decided.size() - answered(Outcome.STOPPED).size();
    }

    /** The followers seen so far that did not stop cleanly, by instance id, sorted. */
    List<String> followerInstances() {
        TreeSet<String> instances = new TreeSet<>();
        for (StatusRecord record : waiting.values()) {
            instances.add(record.instance);
        }
        for (StatusRecord record : vanished.values()) {
            instances.add(record.instance);
        }
        for (Decision decision : decided.values()) {
            if (decision.outcome != Outcome.STOPPED) {
                instances.add(decision.instance);
            }
        }
        return new ArrayList<>(instances);
    }

    /** The live instances that follow the key, whether the change moves their value or not. */
    List<String> following() {
        return new ArrayList<>(following.values());
    }

    /** The live instances of the service, followers or not. */
    int liveInstances() {
        return live.size();
    }

    /** Every key and prefix the service's live instances follow, sorted. */
    List<String> followedRanges() {
        TreeSet<String> keys = new TreeSet<>();
        for (StatusRecord record : live.values()) {
            for (StatusRecord.Range range : record.ranges) {
                keys.add(range.key);
            }
        }
        return new ArrayList<>(keys);
    }

    Verdict verdict() {
        if (!answered(Outcome.REJECTED).isEmpty()) {
            return Verdict.REJECTED;
        }
        if (!settled()) {
            return Verdict.NOT_CONFIRMED;
        }
        return answered(Outcome.APPLIED).isEmpty() ? Verdict.NOT_FOLLOWED : Verdict.APPLIED_BY_ALL;
    }
}
