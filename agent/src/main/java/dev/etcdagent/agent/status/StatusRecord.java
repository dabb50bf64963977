package dev.etcdagent.agent.status;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One JVM's status record, {@code {status}{service}/{instance}} in etcd: who it is, what it follows,
 * up to which revision it has applied every change, and which latest values it refused. Never a
 * configuration value: values can be secrets. Written by the agent, read by the operator's tool.
 */
public final class StatusRecord {

    /** A key or prefix the JVM follows, and the revision up to which it has applied its every change. */
    public static final class Range {
        public final String key;
        public final boolean prefix;
        public final long revision;

        public Range(String key, boolean prefix, long revision) {
            this.key = key;
            this.prefix = prefix;
            this.revision = revision;
        }

        public boolean covers(String candidate) {
            return prefix ? candidate.startsWith(key) : candidate.equals(key);
        }
    }

    /** A key's latest value, refused: at which revision, by which field, and why (never the value). */
    public static final class Rejection {
        public final long revision;
        public final String field;
        public final String reason;

        public Rejection(long revision, String field, String reason) {
            this.revision = revision;
            this.field = field;
            this.reason = reason;
        }
    }

    public final String service;
    public final String instance;
    /** The registered {@code host:port}, or null when the JVM does not listen. */
    public final String addr;
    public final long pid;
    public final String hostname;
    public final String startedAt;
    public final String agentVersion;
    public final String java;
    public final List<Range> ranges;
    public final long revision;
    public final Map<String, Rejection> rejected;

    public StatusRecord(String service, String instance, String addr, long pid, String hostname, String startedAt,
                        String agentVersion, String java, List<Range> ranges, Map<String, Rejection> rejected) {
        this.service = service;
        this.instance = instance;
        this.addr = addr;
        this.pid = pid;
        this.hostname = hostname;
        this.startedAt = startedAt;
        this.agentVersion = agentVersion;
        this.java = java;
        this.ranges = Collections.unmodifiableList(new ArrayList<>(ranges));
        this.revision = appliedEverywhere(ranges);
        this.rejected = Collections.unmodifiableMap(new LinkedHashMap<>(rejected));
    }

    /** Every change of every range is applied up to the least of their revisions (0 with no range). */
    private static long appliedEverywhere(List<Range> ranges) {
        long least = Long.MAX_VALUE;
        for (Range range : ranges) {
            least = Math.min(least, range.revision);
        }
        return ranges.isEmpty() ? 0 : least;
    }

    /** The ranges of this JVM that cover {@code key}: empty when the JVM does not follow it. */
    public List<Range> rangesCovering(String key) {
        List<Range> covering = new ArrayList<>();
        for (Range range : ranges) {
            if (range.covers(key)) {
                covering.add(range);
            }
        }
        return covering;
    }

    /** Whether every range covering {@code key} has applied its changes up to {@code atRevision}. */
    public boolean hasApplied(String key, long atRevision) {
        List<Range> covering = rangesCovering(key);
        for (Range range : covering) {
            if (range.revision < atRevision) {
                return false;
            }
        }
        return !covering.isEmpty();
    }

    public JsonObject toJson() {
        JsonArray rangeArray = new JsonArray();
        for (Range range : ranges) {
            rangeArray.add(new JsonObject().put("key", range.key).put("prefix", range.prefix)
                    .put("revision", range.revision));
        }
        JsonObject rejectedObject = new JsonObject();
        for (Map.Entry<String, Rejection> entry : rejected.entrySet()) {
            Rejection rejection = entry.getValue();
            rejectedObject.put(entry.getKey(), new JsonObject().put("revision", rejection.revision)
                    .put("field", rejection.field).put("reason", rejection.reason));
        }
        return new JsonObject()
                .put("service", service)
                .put("instance", instance)
                .put("addr", addr)
                .put("pid", pid)
                .put("hostname", hostname)
                .put("startedAt", startedAt)
                .put("agentVersion", agentVersion)
                .put("java", java)
                .put("ranges", rangeArray)
                .put("revision", revision)
                .put("rejected", rejectedObject);
    }

    /** Reads a record as {@link #toJson()} writes it; IllegalArgumentException when it is not one. */
    public static StatusRecord parse(String text) {
        try {
            JsonObject json = new JsonObject(text);
            List<Range> ranges = new ArrayList<>();
            JsonArray rangeArray = json.getJsonArray("ranges", new JsonArray());
            for (int i = 0; i < rangeArray.size(); i++) {
                JsonObject range = rangeArray.getJsonObject(i);
                ranges.add(new Range(range.getString("key"), range.getBoolean("prefix", false),
                        range.getLong("revision", 0L)));
            }
            Map<String, Rejection> rejected = new LinkedHashMap<>();
            JsonObject rejectedObject = json.getJsonObject("rejected", new JsonObject());
            for (String key : rejectedObject.fieldNames()) {
                JsonObject rejection = rejectedObject.getJsonObject(key);
                rejected.put(key, new Rejection(rejection.getLong("revision", 0L), rejection.getString("field"),
                        rejection.getString("reason")));
            }
            return new StatusRecord(json.getString("service"), json.getString("instance"), json.getString("addr"),
                    json.getLong("pid", 0L), json.getString("hostname"), json.getString("startedAt"),
                    json.getString("agentVersion"), json.getString("java"), ranges, rejected);
        } catch (DecodeException | ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException("not a status record: " + e.getMessage(), e);
        }
    }
}
