package dev.etcdagent.agent.etcd;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Reads a key or prefix through etcd's JSON gateway ({@code POST /v3/kv/range}) with the JDK's
 * HTTP client. A cold gRPC connect costs about half a second; this first read costs a few tens
 * of milliseconds, so {@code @Dynamic} fields see etcd's values as soon as {@code main} starts,
 * while the gRPC session (which carries the watch) is still being built.
 *
 * <p>Used only for plain {@code http://} endpoints without authentication. Read in pages like the
 * gRPC path, so that a prefix of any size is read, and no answer is larger than a page.
 */
public final class GatewayReader {

    private static final JsonFactory JSON = new JsonFactory();

    private GatewayReader() {
    }

    /**
     * Reads from the first endpoint that answers, in pages (see {@link RangePages}), within
     * {@code timeoutMillis} in all, shared between the endpoints; throws the last failure when none does.
     */
    public static RangeRead read(List<URI> endpoints, String key, boolean prefix, int timeoutMillis)
            throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        IOException last = null;
        for (int i = 0; i < endpoints.size(); i++) {
            try {
                return readFrom(endpoints.get(i), new RangePages(key, prefix),
                        GatewayHttp.shareOf(deadline, endpoints.size() - i));
            } catch (IOException e) {
                last = e;
            }
        }
        throw last != null ? last : new IOException("no endpoint");
    }

    /** Whether {@code error} only says that the JVM is exiting: nothing to report about etcd. */
    public static boolean cutShortByExit(Throwable error) {
        return error instanceof GatewayHttp.Exiting;
    }

    /** Whether {@code error} says the endpoints serve no JSON gateway (etcd's gRPC proxy does not). */
    public static boolean servesNoGateway(Throwable error) {
        return error instanceof GatewayHttp.NotServed;
    }

    private static RangeRead readFrom(URI endpoint, RangePages pages, long deadline) throws IOException {
        while (true) {
            Page page;
            try {
                page = readPage(endpoint, pages, deadline);
            } catch (CompactedException e) {
                pages.restart();
                continue;
            }
            if (pages.add(page.entries, page.lastKey, page.more, page.revision, page.clusterId)) {
                return pages.result();
            }
        }
    }

    private static Page readPage(URI endpoint, RangePages pages, long deadline) throws IOException {
        int timeoutMillis = (int) TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        Base64.Encoder base64 = Base64.getEncoder();
        String body = "{\"key\":\"" + base64.encodeToString(pages.startKey()) + "\""
                + (pages.endKey() != null ? ",\"range_end\":\"" + base64.encodeToString(pages.endKey()) + "\"" : "")
                + ",\"limit\":" + pages.limit()
                + (pages.revision() != 0 ? ",\"revision\":" + pages.revision() : "")
                + "}";
        byte[] answer;
        try {
            answer = GatewayHttp.post(endpoint, "/v3/kv/range", body, timeoutMillis);
        } catch (GatewayHttp.Refusal refusal) {
            if (pages.revision() != 0 && String.valueOf(refusal.getMessage()).contains("required revision has been compacted")) {
                throw new CompactedException();
            }
            throw new IOException("etcd gateway " + endpoint + " refused the read: " + refusal.getMessage());
        }
        return parse(new java.io.ByteArrayInputStream(answer));
    }

    static Page parse(InputStream in) throws IOException {
        Page page = new Page();
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
                            page.revision = Long.parseLong(parser.getText());
                        } else if ("cluster_id".equals(name)) {
                            page.clusterId = Long.parseUnsignedLong(parser.getText());
                        } else {
                            parser.skipChildren();
                        }
                    }
                } else if ("kvs".equals(field) && token == JsonToken.START_ARRAY) {
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        entry(parser, page);
                    }
                } else if ("more".equals(field)) {
                    page.more = parser.getValueAsBoolean();
                } else {
                    parser.skipChildren();
                }
            }
        }
        if (page.revision == 0) {
            throw new IOException("etcd gateway answer has no revision");
        }
        return page;
    }

    /** One answer of the gateway: a page of the range. */
    static final class Page {
        final List<Change> entries = new ArrayList<>();
        byte[] lastKey;
        boolean more;
        long revision;
        long clusterId;
    }

    /** The pages' revision was compacted between two pages. */
    private static final class CompactedException extends IOException {
        private static final long serialVersionUID = 1L;
    }

    private static void entry(JsonParser parser, Page page) throws IOException {
        Base64.Decoder base64 = Base64.getDecoder();
        byte[] key = null;
        byte[] value = new byte[0];
        long modRevision = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.getCurrentName();
            parser.nextToken();
            switch (name) {
                case "key":
                    key = base64.decode(parser.getText());
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
        page.lastKey = key;
        page.entries.add(Changes.put(Bytes.text(key), value, modRevision));
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("etcd gateway answer is not a JSON object");
        }
    }
}
