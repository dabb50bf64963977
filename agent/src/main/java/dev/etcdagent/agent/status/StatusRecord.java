package dev.etcdagent.agent.status;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One JVM's status record, {@code {status}{service}/{instance}} in etcd: who it is, what it follows,
 * up to which revision it has applied every change, and which latest values it refused. Never a
 * configuration value: values can be secrets. Written by the agent, read by the operator's tool.
 * Its last version, put at a normal exit right before the lease is revoked, says {@code "state":"stopping"}:
 * a record that goes without it went with a lease that expired (a JVM frozen, cut off or killed).
 */
public final class StatusRecord {

    private static final Map<Class<?>, String> TYPE_NAMES = Map.of(String.class, "a string", Number.class, "a number",
            Boolean.class, "true or false", JsonObject.class, "an object", JsonArray.class, "an array");

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
    /** The instance's labels (the {@code labels} argument), name to value; empty when it has none. */
    public final Map<String, String> labels;
    public final List<Range> ranges;
    public final long revision;
    public final Map<String, Rejection> rejected;
    /** The JVM is exiting normally: its lease is being revoked. */
    public final boolean stopping;

    public StatusRecord(String service, String instance, String addr, long pid, String hostname, String startedAt,
                        String agentVersion, String java, List<Range> ranges, Map<String, Rejection> rejected) {
        this(service, instance, addr, pid, hostname, startedAt, agentVersion, java, Map.of(), ranges, rejected, false);
    }

    private StatusRecord(String service, String instance, String addr, long pid, String hostname, String startedAt,
                         String agentVersion, String java, Map<String, String> labels, List<Range> ranges,
                         Map<String, Rejection> rejected, boolean stopping) {
        this.service = service;
        this.instance = instance;
        this.addr = addr;
        this.pid = pid;
        this.hostname = hostname;
        this.startedAt = startedAt;
        this.agentVersion = agentVersion;
        this.java = java;
        this.labels = Collections.unmodifiableMap(new TreeMap<>(labels));
        this.ranges = Collections.unmodifiableList(new ArrayList<>(ranges));
        this.revision = appliedEverywhere(ranges);
        this.rejected = Collections.unmodifiableMap(new LinkedHashMap<>(rejected));
        this.stopping = stopping;
    }

    /** This record as the JVM's last words at a normal exit. */
    public StatusRecord stopping() {
        return new StatusRecord(service, instance, addr, pid, hostname, startedAt, agentVersion, java, labels, ranges,
                rejected, true);
    }

    /** This record with the instance's labels. */
    public StatusRecord withLabels(Map<String, String> instanceLabels) {
        return new StatusRecord(service, instance, addr, pid, hostname, startedAt, agentVersion, java, instanceLabels,
                ranges, rejected, stopping);
    }

    /** Whether {@code other} is a record of the same JVM (the same process on the same host, started at the same time). */
    public boolean sameJvm(StatusRecord other) {
        return pid != 0 && pid == other.pid && hostname != null && hostname.equals(other.hostname)
                && startedAt != null && startedAt.equals(other.startedAt);
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

    /**
     * The record's JSON text. Written with Jackson's streaming generator, not Vert.x's JsonObject: the
     * first record is written while the application starts, and Vert.x's JSON codec costs ~120 ms to
     * load, time the apply loop then owes the registration of a socket bound meanwhile.
     */
    public String encode() {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = Json.FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("service", service);
            json.writeStringField("instance", instance);
            json.writeStringField("addr", addr);
            json.writeNumberField("pid", pid);
            json.writeStringField("hostname", hostname);
            json.writeStringField("startedAt", startedAt);
            json.writeStringField("agentVersion", agentVersion);
            json.writeStringField("java", java);
            if (!labels.isEmpty()) {
                json.writeObjectFieldStart("labels");
                for (Map.Entry<String, String> label : labels.entrySet()) {
                    json.writeStringField(label.getKey(), label.getValue());
                }
                json.writeEndObject();
            }
            json.writeArrayFieldStart("ranges");
            for (Range range : ranges) {
                json.writeStartObject();
                json.writeStringField("key", range.key);
                json.writeBooleanField("prefix", range.prefix);
                json.writeNumberField("revision", range.revision);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeNumberField("revision", revision);
            json.writeObjectFieldStart("rejected");
            for (Map.Entry<String, Rejection> entry : rejected.entrySet()) {
                Rejection rejection = entry.getValue();
                json.writeObjectFieldStart(entry.getKey());
                json.writeNumberField("revision", rejection.revision);
                json.writeStringField("field", rejection.field);
                json.writeStringField("reason", rejection.reason);
                json.writeEndObject();
            }
            json.writeEndObject();
            if (stopping) {
                json.writeStringField("state", "stopping");
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("a status record cannot be written as JSON", e);
        }
        return out.toString();
    }

    /** Loaded at first use, not with this class. */
    private static final class Json {
        static final JsonFactory FACTORY = new JsonFactory();
    }

    /**
     * Reads a record as {@link #encode()} writes it. IllegalArgumentException when it is not one, with a
     * message that names what is wrong (a field, never the text: whatever sits under the prefix could be
     * a secret put there by mistake).
     */
    public static StatusRecord parse(String text) {
        JsonObject json;
        try {
            json = new JsonObject(text);
        } catch (DecodeException | ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException("not a JSON object");
        }
        List<Range> ranges = new ArrayList<>();
        JsonArray rangeArray = field(json, "ranges", JsonArray.class, "", false);
        for (int i = 0; rangeArray != null && i < rangeArray.size(); i++) {
            String where = "ranges[" + i + "]: ";
            if (!(rangeArray.getValue(i) instanceof JsonObject)) {
                throw new IllegalArgumentException(where + "is not an object");
            }
            JsonObject range = rangeArray.getJsonObject(i);
            Boolean prefix = field(range, "prefix", Boolean.class, where, false);
            Number revision = field(range, "revision", Number.class, where, false);
            ranges.add(new Range(field(range, "key", String.class, where, true), prefix != null && prefix,
                    revision == null ? 0 : revision.longValue()));
        }
        Map<String, Rejection> rejected = new LinkedHashMap<>();
        JsonObject rejectedObject = field(json, "rejected", JsonObject.class, "", false);
        for (String key : rejectedObject == null ? List.<String>of() : rejectedObject.fieldNames()) {
            // Named by position, not by key: whatever was put under the prefix is not repeated.
            String where = "rejected[" + rejected.size() + "]: ";
            if (!(rejectedObject.getValue(key) instanceof JsonObject)) {
                throw new IllegalArgumentException(where + "is not an object");
            }
            JsonObject rejection = rejectedObject.getJsonObject(key);
            Number revision = field(rejection, "revision", Number.class, where, false);
            rejected.put(key, new Rejection(revision == null ? 0 : revision.longValue(),
                    field(rejection, "field", String.class, where, false),
                    field(rejection, "reason", String.class, where, false)));
        }
        Map<String, String> labels = new TreeMap<>();
        JsonObject labelsObject = field(json, "labels", JsonObject.class, "", false);
        for (String name : labelsObject == null ? List.<String>of() : labelsObject.fieldNames()) {
            labels.put(name, field(labelsObject, name, String.class, "labels: ", true));
        }
        Number pid = field(json, "pid", Number.class, "", false);
        return new StatusRecord(field(json, "service", String.class, "", true),
                field(json, "instance", String.class, "", true), field(json, "addr", String.class, "", false),
                pid == null ? 0 : pid.longValue(), field(json, "hostname", String.class, "", false),
                field(json, "startedAt", String.class, "", false), field(json, "agentVersion", String.class, "", false),
                field(json, "java", String.class, "", false), labels, ranges, rejected,
                "stopping".equals(field(json, "state", String.class, "", false)));
    }

    private static <T> T field(JsonObject json, String name, Class<T> type, String where, boolean required) {
        Object value = json.getValue(name);
        if (value == null) {
            if (required) {
                throw new IllegalArgumentException(where + "no \"" + name + "\"");
            }
            return null;
        }
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException(where + "\"" + name + "\" is not " + TYPE_NAMES.get(type));
        }
        return type.cast(value);
    }
}
