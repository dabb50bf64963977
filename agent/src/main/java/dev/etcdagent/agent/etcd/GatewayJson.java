package dev.etcdagent.agent.etcd;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * A small answer of etcd's JSON gateway as its scalar fields by dotted path ({@code header.revision},
 * {@code result.TTL}, {@code ID}, {@code error}). The gateway writes 64-bit numbers as strings and
 * leaves out fields whose value is zero, so an absent number is 0.
 */
final class GatewayJson {

    private static final JsonFactory JSON = new JsonFactory();

    private final Map<String, String> fields = new HashMap<>();

    private GatewayJson() {
    }

    static GatewayJson parse(byte[] answer) throws IOException {
        GatewayJson parsed = new GatewayJson();
        try (JsonParser parser = JSON.createParser(answer)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("etcd gateway answer is not a JSON object");
            }
            parsed.object(parser, "");
        }
        return parsed;
    }

    /** The answer of a failed call, or an empty one when it is not JSON. */
    static GatewayJson parseQuietly(String answer) {
        try {
            return parse(answer.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return new GatewayJson();
        }
    }

    private void object(JsonParser parser, String path) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = path + parser.getCurrentName();
            JsonToken value = parser.nextToken();
            if (value == JsonToken.START_OBJECT) {
                object(parser, name + ".");
            } else if (value == JsonToken.START_ARRAY) {
                parser.skipChildren();
            } else if (value != JsonToken.VALUE_NULL) {
                fields.put(name, parser.getText());
            }
        }
    }

    String text(String path) {
        return fields.get(path);
    }

    /** A number field; 0 when absent (the gateway leaves zeros out). */
    long number(String path) throws NumberFormatException {
        String text = fields.get(path);
        return text == null ? 0 : Long.parseLong(text);
    }

    /** The gRPC status code of a failed call's answer; 0 when there is none. */
    int code() {
        try {
            return (int) number("code");
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** An unsigned 64-bit field (cluster and member ids); 0 when absent. */
    long unsigned(String path) {
        String text = fields.get(path);
        return text == null ? 0 : Long.parseUnsignedLong(text);
    }
}
