package dev.etcdagent.it.launch;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Writes many keys at once through etcd's JSON gateway, in transactions of at most 128 puts
 * (etcd's default {@code --max-txn-ops}): a big prefix in seconds, where one etcdctl process per
 * key would take minutes.
 */
public final class BulkPuts {

    private static final int PUTS_PER_TXN = 128;
    private static final int MAX_TXN_BYTES = 1_000_000;

    private BulkPuts() {
    }

    /**
     * Fills {@code prefix} with {@code keys} keys {@code bulk.00000}, … of {@code valueBytes} bytes each,
     * and {@code bulk.last} (which sorts after them) = {@code last}.
     */
    public static void fill(String endpoint, String prefix, int keys, int valueBytes, String last) {
        Map<String, String> entries = new LinkedHashMap<>();
        String filler = "x".repeat(valueBytes);
        for (int i = 0; i < keys; i++) {
            entries.put(prefix + String.format(Locale.ROOT, "bulk.%05d", i), filler);
        }
        entries.put(prefix + "bulk.last", last);
        put(endpoint, entries);
    }

    /** Puts every entry; values are plain text. */
    public static void put(String endpoint, Map<String, String> entries) {
        StringBuilder body = new StringBuilder();
        int puts = 0;
        for (Map.Entry<String, String> entry : entries.entrySet()) {
            if (puts == PUTS_PER_TXN || body.length() > MAX_TXN_BYTES) {
                commit(endpoint, body);
                body.setLength(0);
                puts = 0;
            }
            body.append(body.length() == 0 ? "" : ",").append("{\"request_put\":{\"key\":\"")
                    .append(b64(entry.getKey())).append("\",\"value\":\"").append(b64(entry.getValue())).append("\"}}");
            puts++;
        }
        if (puts > 0) {
            commit(endpoint, body);
        }
    }

    private static void commit(String endpoint, StringBuilder success) {
        try {
            HttpURLConnection connection = (HttpURLConnection) new URL(endpoint + "/v3/kv/txn").openConnection();
            connection.setConnectTimeout(2_000);
            connection.setReadTimeout(10_000);
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            try {
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(("{\"success\":[" + success + "]}").getBytes(StandardCharsets.UTF_8));
                }
                if (connection.getResponseCode() != 200) {
                    throw new IllegalStateException("etcd " + endpoint + " refused a transaction: HTTP "
                            + connection.getResponseCode());
                }
                connection.getInputStream().readAllBytes();
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to etcd " + endpoint, e);
        }
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
