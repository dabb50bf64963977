package dev.etcdagent.agent.values;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import dev.etcdagent.agent.etcd.Change;
import dev.etcdagent.agent.log.AgentLog;

/**
 * The last configuration known from etcd, on disk, so that a JVM started while etcd cannot be
 * reached starts with the values it had rather than the declared ones. A file that is unreadable,
 * corrupt, or of another service is ignored.
 *
 * <p>Each write goes to a temporary file that is flushed to the disk before it replaces the old one
 * in one atomic rename (and the directory is flushed after it, where the platform allows): a crash
 * or a power cut leaves the old snapshot or the new one, never an empty or half-written file. A write
 * that fails is one WARN, and the first one that works again one INFO, however many changes between.
 */
final class Snapshot {

    private static final int FORMAT = 1;

    private final Path file;
    private final String service;
    private final String cluster;
    private boolean failing;

    /** @param cluster the endpoints as one text: written down for whoever opens the file, never checked */
    Snapshot(Path file, String service, String cluster) {
        this.file = file;
        this.service = String.valueOf(service);
        this.cluster = cluster;
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
            AgentLog.warn("snapshot " + file + " ignored: it is unreadable or corrupt (" + why(e)
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

    /** Why a file could not be read, without quoting it: the parser's messages show the text they stopped at. */
    private static String why(Exception e) {
        if (e instanceof JsonProcessingException) {
            JsonLocation at = ((JsonProcessingException) e).getLocation();
            return "not JSON" + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr());
        }
        return e instanceof IOException && e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /**
     * Writes what is known: each range read from etcd as it stands, and for a range never read (its
     * grant missing, say) the entries the last snapshot had, so that one unreadable key neither stops
     * every later write nor loses what a start with etcd down would need of it. Nothing is written
     * before any range has been read: the file already holds all there is to know.
     *
     * @param previous the values of the snapshot as this JVM found it
     */
    void saveKnown(List<WatchedRange> ranges, Supplier<Map<String, String>> previous) {
        Map<String, String> values = new HashMap<>();
        long revision = 0;
        boolean anyRead = false;
        for (WatchedRange range : ranges) {
            if (!range.isFromEtcd()) {
                for (Map.Entry<String, String> known : previous.get().entrySet()) {
                    if (range.covers(known.getKey())) {
                        values.put(known.getKey(), known.getValue());
                    }
                }
                continue;
            }
            anyRead = true;
            for (Change entry : range.entries()) {
                if (!entry.malformed) {
                    values.put(entry.key, entry.value);
                }
            }
            revision = Math.max(revision, range.revision());
        }
        if (anyRead) {
            save(values, revision);
        }
    }

    /** Replaces the file with these values; called by one thread at a time. */
    void save(Map<String, String> values, long revision) {
        try {
            byte[] text = json(values, revision);
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            // Readable by this user only, as createTempFile makes it: the values can be secrets.
            Path temp = Files.createTempFile(dir, ".snapshot", ".tmp");
            try {
                try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                    ByteBuffer buffer = ByteBuffer.wrap(text);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    channel.force(true);
                }
                try {
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
            syncDirectory(dir);
        } catch (IOException | RuntimeException e) {
            if (!failing) {
                failing = true;
                AgentLog.warn("cannot write snapshot " + file + " (" + AgentLog.describe(e) + "): a start with etcd"
                        + " unreachable would use older values; make its directory writable, or set snapshot=off."
                        + " Said once until a write works again");
            }
            return;
        }
        if (failing) {
            failing = false;
            AgentLog.info("snapshot " + file + " written again");
        }
    }

    private byte[] json(Map<String, String> values, long revision) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = Json.FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeNumberField("format", FORMAT);
            json.writeStringField("service", service);
            json.writeStringField("endpoints", cluster);
            json.writeNumberField("revision", revision);
            json.writeObjectFieldStart("values");
            for (Map.Entry<String, String> value : new TreeMap<>(values).entrySet()) {
                json.writeStringField(value.getKey(), value.getValue());
            }
            json.writeEndObject();
            json.writeEndObject();
        }
        return out.toByteArray();
    }

    /** Makes the rename itself durable. Not every platform opens a directory (Windows does not): then the rename stands as is. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            AgentLog.debug("cannot flush directory " + dir + " (" + AgentLog.describe(e) + ")");
        }
    }

    /** Loaded at first use, not with this class: premain builds this class, and Jackson costs ~15 ms to load. */
    private static final class Json {
        static final JsonFactory FACTORY = new JsonFactory();
    }
}
