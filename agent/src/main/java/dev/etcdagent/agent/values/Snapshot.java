package dev.etcdagent.agent.values;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import dev.etcdagent.agent.log.AgentLog;

/**
 * The last configuration known from etcd, on disk, so that a JVM started while etcd cannot be
 * reached starts with the values it had rather than the declared ones. Replaced atomically on
 * every applied change; a file that is unreadable, corrupt, or of another service is ignored.
 */
final class Snapshot {

    private static final int FORMAT = 1;

    private final Path file;
    private final String service;

    Snapshot(Path file, String service) {
        this.file = file;
        this.service = String.valueOf(service);
    }

    Path file() {
        return file;
    }

    /** The snapshot's values, or an empty map (with one WARN saying why) when it cannot be used. */
    Map<String, String> load() {
        Map<String, String> values = new TreeMap<>();
        if (!Files.exists(file)) {
            return values;
        }
        String owner = null;
        int format = 0;
        try (InputStream in = Files.newInputStream(file); JsonParser parser = Json.FACTORY.createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.getCurrentName();
                JsonToken token = parser.nextToken();
                if ("format".equals(name)) {
                    format = parser.getIntValue();
                } else if ("service".equals(name)) {
                    owner = parser.getText();
                } else if ("values".equals(name) && token == JsonToken.START_OBJECT) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String key = parser.getCurrentName();
                        if (parser.nextToken() != JsonToken.VALUE_STRING) {
                            throw new IOException("value of " + key + " is not a string");
                        }
                        values.put(key, parser.getText());
                    }
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new IOException("truncated");
            }
        } catch (IOException | RuntimeException e) {
            AgentLog.warn("snapshot " + file + " ignored: it is unreadable or corrupt (" + e.getMessage()
                    + "); it will be rewritten from etcd");
            values.clear();
            return values;
        }
        if (format != FORMAT || !service.equals(owner)) {
            AgentLog.warn("snapshot " + file + " ignored: it belongs to service " + owner + ", not " + service
                    + "; give each service its own file with snapshot=<file>");
            values.clear();
        }
        return values;
    }

    void save(Map<String, String> values, long revision) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, ".snapshot", ".tmp");
            try {
                try (OutputStream out = Files.newOutputStream(temp);
                     JsonGenerator json = Json.FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
                    json.useDefaultPrettyPrinter();
                    json.writeStartObject();
                    json.writeNumberField("format", FORMAT);
                    json.writeStringField("service", service);
                    json.writeNumberField("revision", revision);
                    json.writeObjectFieldStart("values");
                    for (Map.Entry<String, String> value : new TreeMap<>(values).entrySet()) {
                        json.writeStringField(value.getKey(), value.getValue());
                    }
                    json.writeEndObject();
                    json.writeEndObject();
                }
                try {
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException | RuntimeException e) {
            AgentLog.warn("cannot write snapshot " + file + " (" + e.getMessage()
                    + "): make its directory writable, or set snapshot=off");
        }
    }

    /** Loaded at first use, not with this class: premain builds this class, and Jackson costs ~15 ms to load. */
    private static final class Json {
        static final JsonFactory FACTORY = new JsonFactory();
    }
}
