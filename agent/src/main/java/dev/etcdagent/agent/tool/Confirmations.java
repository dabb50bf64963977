package dev.etcdagent.agent.tool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.etcdagent.agent.status.StatusRecord;

/**
 * Which live instances of a service have confirmed one change of one key, from their status
 * records as they come: an instance that follows the key confirms once every range of its that
 * covers the key has applied up to the change's revision; it rejected the change when its record
 * names the key among the rejected. Instances that do not follow the key are not waited for; one
 * whose record goes (the JVM ended) is no longer live and is not waited for either.
 */
final class Confirmations {

    enum Outcome { APPLIED, REJECTED, GONE }

    /** One instance's answer. */
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
    /** By record key: followers that have not answered yet. */
    private final Map<String, StatusRecord> waiting = new LinkedHashMap<>();
    private final Map<String, Decision> decided = new LinkedHashMap<>();

    Confirmations(String service, String key, long revision) {
        this.service = service;
        this.key = key;
        this.revision = revision;
    }

    /**
     * A record as it now stands ({@code record == null}: deleted); returns the decision it brings, or null.
     * {@code millis}: the time since the change was made, for the report.
     */
    Decision update(String recordKey, StatusRecord record, long millis) {
        if (decided.containsKey(recordKey)) {
            return null;
        }
        if (record == null) {
            StatusRecord last = waiting.remove(recordKey);
            return last == null ? null : decide(recordKey, new Decision(last.instance, Outcome.GONE, null, millis));
        }
        if (!service.equals(record.service) || record.rangesCovering(key).isEmpty()) {
            waiting.remove(recordKey);
            return null;
        }
        if (!record.hasApplied(key, revision)) {
            waiting.put(recordKey, record);
            return null;
        }
        waiting.remove(recordKey);
        StatusRecord.Rejection rejection = record.rejected.get(key);
        return decide(recordKey, new Decision(record.instance,
                rejection == null ? Outcome.APPLIED : Outcome.REJECTED, rejection, millis));
    }

    private Decision decide(String recordKey, Decision decision) {
        decided.put(recordKey, decision);
        return decision;
    }

    boolean allAnswered() {
        return waiting.isEmpty();
    }

    /** The followers still to answer, as their records last stood. */
    List<StatusRecord> unanswered() {
        return new ArrayList<>(waiting.values());
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

    /** The followers seen so far, answered or not, that are still live. */
    int followers() {
        return waiting.size() + decided.size() - answered(Outcome.GONE).size();
    }
}
