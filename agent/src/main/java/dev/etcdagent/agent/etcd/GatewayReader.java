package dev.etcdagent.agent.etcd;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Reads a key or prefix through etcd's JSON gateway ({@code POST /v3/kv/range}) with the JDK's
 * HTTP client. A cold gRPC connect costs about half a second; this first read costs a few tens
 * of milliseconds, so {@code @Dynamic} fields see etcd's values as soon as {@code main} starts,
 * while the gRPC session (which carries the watch) is still being built.
 *
 * <p>Used only for plain {@code http://} endpoints without authentication.
 */
public final class GatewayReader {

    private static final JsonFactory JSON = new JsonFactory();

    private GatewayReader() {
    }

    /** Reads from the first endpoint that answers; throws the last failure when none does. */
    public static RangeRead read(List<URI> endpoints, String key, boolean prefix, int timeoutMillis)
            throws IOException {
        IOException last = null;
        for (URI endpoint : endpoints) {
            try {
                return readFrom(endpoint, key, prefix, timeoutMillis);
            } catch (IOException e) {
                last = e;
            }
        }
        throw last != null ? last : new IOException("no endpoint");
    }

    private static RangeRead readFrom(URI endpoint, String key, boolean prefix, int timeoutMillis)
            throws IOException {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        Base64.Encoder base64 = Base64.getEncoder();
        String body = "{\"key\":\"" + base64.encodeToString(keyBytes) + "\""
                + (prefix ? ",\"range_end\":\"" + base64.encodeToString(Bytes.prefixEnd(keyBytes)) + "\"" : "")
                + "}";
        HttpURLConnection connection = (HttpURLConnection) new URL(endpoint + "/v3/kv/range").openConnection();
        try {
            connection.setConnectTimeout(timeoutMillis);
            connection.setReadTimeout(timeoutMillis);
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setUseCaches(false);
            connection.setRequestProperty("Content-Type", "application/json");
            // A kept-alive connection would start the JDK's Keep-Alive-Timer thread for nothing.
            connection.setRequestProperty("Connection", "close");
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body.getBytes(StandardCharsets.UTF_8));
            }
            int status = connection.getResponseCode();
            if (status != 200) {
                throw new IOException("etcd gateway " + endpoint + " answered HTTP " + status);
            }
            try (InputStream in = connection.getInputStream()) {
                return parse(in);
            }
        } finally {
            connection.disconnect();
        }
    }

    static RangeRead parse(InputStream in) throws IOException {
        List<Change> entries = new ArrayList<>();
        long revision = 0;
        long clusterId = 0;
        try (JsonParser parser = JSON.createParser(in)) {
            expect(parser.nextToken(), JsonToken.START_OBJECT);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.getCurrentName();
                JsonToken token = parser.nextToken();
                if ("header".equals(field) && token == JsonToken.START_OBJECT) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String name = parser.getCurrentName();
                        parser.nextToken();
                        if ("revision".equals(name)) {
                            revision = Long.parseLong(parser.getText());
                        } else if ("cluster_id".equals(name)) {
                            clusterId = Long.parseUnsignedLong(parser.getText());
                        } else {
                            parser.skipChildren();
                        }
                    }
                } else if ("kvs".equals(field) && token == JsonToken.START_ARRAY) {
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        entries.add(entry(parser));
                    }
                } else {
                    parser.skipChildren();
                }
            }
        }
        if (revision == 0) {
            throw new IOException("etcd gateway answer has no revision");
        }
        return new RangeRead(entries, revision, clusterId);
    }

    private static Change entry(JsonParser parser) throws IOException {
        Base64.Decoder base64 = Base64.getDecoder();
        String key = null;
        byte[] value = new byte[0];
        long modRevision = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.getCurrentName();
            parser.nextToken();
            switch (name) {
                case "key":
                    key = Bytes.text(base64.decode(parser.getText()));
                    break;
                case "value":
                    value = base64.decode(parser.getText());
                    break;
                case "mod_revision":
                    modRevision = Long.parseLong(parser.getText());
                    break;
                default:
                    parser.skipChildren();
            }
        }
        if (key == null) {
            throw new IOException("etcd gateway answer has an entry without a key");
        }
        return Bytes.put(key, value, modRevision);
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("etcd gateway answer is not a JSON object");
        }
    }
}
