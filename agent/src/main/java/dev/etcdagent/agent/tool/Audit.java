package dev.etcdagent.agent.tool;

import java.io.IOException;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.etcd.jetcd.KeyValue;

/**
 * The audit trail: each change the tool makes puts an entry under {@code {audit}{service}{key}/} in
 * the same transaction as the change, so there is never one without the other, and the entry's
 * revision is the change's. An entry says what was done, to which keys and scope, when, by whom and
 * why; never the value (etcd's revisions hold it while they are not compacted).
 */
final class Audit {

    static final String DEFAULT_PREFIX = "/etcd-agent/audit";
    private static final JsonFactory JSON = new JsonFactory();

    /** One entry as read back. */
    static final class Entry {
        final long revision;
        final String operation;
        final List<String> keys;
        final String scope;
        final String time;
        final String who;
        final String reason;

        Entry(long revision, String operation, List<String> keys, String scope, String time, String who,
              String reason) {
            this.revision = revision;
            this.operation = operation;
            this.keys = keys;
            this.scope = scope;
            this.time = time;
            this.who = who;
            this.reason = reason;
        }
    }

    private Audit() {
    }

    /** Where the entries of {@code base}'s changes go: {@code {audit}{service}{base}/}. */
    static String prefix(EtcdAccess etcd, String audit, String base) {
        return etcd.auditPrefix(audit) + base + "/";
    }

    /** A new entry's key: the time, then a random part, so that entries sort by time and never collide. */
    static String newKey(String prefix, Instant now) {
        return prefix + String.format("%013d-%08x", now.toEpochMilli(), ThreadLocalRandom.current().nextInt());
    }

    /** Who makes the change: the etcd user, else the operating system's user and host. */
    static String who(String etcdUser) {
        if (etcdUser != null) {
            return etcdUser;
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException | RuntimeException e) {
            host = "unknown";
        }
        return System.getProperty("user.name", "unknown") + "@" + host;
    }

    static String encode(ChangePlan plan, Instant time, String who, String reason) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("operation", plan.operation);
            json.writeStringField("key", plan.base);
            json.writeArrayFieldStart("keys");
            for (String key : plan.keys()) {
                json.writeString(key);
            }
            json.writeEndArray();
            json.writeStringField("scope", plan.scope);
            if (plan.ttl != null) {
                json.writeNumberField("seconds", plan.ttl.toSeconds());
            }
            json.writeStringField("time", time.toString());
            json.writeStringField("who", who);
            if (reason != null) {
                json.writeStringField("reason", reason);
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return text.toString();
    }

    /** The entries of {@code base}'s changes, by revision; an entry that does not parse is skipped. */
    static Map<Long, Entry> read(EtcdAccess etcd, String audit, String base) {
        Map<Long, Entry> entries = new HashMap<>();
        for (KeyValue kv : etcd.get(prefix(etcd, audit, base), true, 0).getKvs()) {
            Entry entry = parse(kv.getModRevision(), kv.getValue().toString(StandardCharsets.UTF_8));
            if (entry != null) {
                entries.put(entry.revision, entry);
            }
        }
        return entries;
    }

    private static Entry parse(long revision, String text) {
        Map<String, String> fields = new HashMap<>();
        List<String> keys = new ArrayList<>();
        try (JsonParser json = JSON.createParser(text)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.getCurrentName();
                JsonToken token = json.nextToken();
                if (token == JsonToken.START_ARRAY) {
                    while (json.nextToken() == JsonToken.VALUE_STRING) {
                        if (name.equals("keys")) {
                            keys.add(json.getText());
                        }
                    }
                } else if (token.isScalarValue()) {
                    fields.put(name, json.getText());
                } else {
                    json.skipChildren();
                }
            }
        } catch (IOException e) {
            return null;
        }
        return new Entry(revision, fields.get("operation"), keys, fields.get("scope"), fields.get("time"),
                fields.get("who"), fields.get("reason"));
    }
}
