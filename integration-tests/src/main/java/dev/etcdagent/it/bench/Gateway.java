package dev.etcdagent.it.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** etcd's JSON gateway from the benchmark: puts without etcdctl's process start, fast polls, the leases held. */
final class Gateway {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String endpoint;

    Gateway(String endpoint) {
        this.endpoint = endpoint;
    }

    void put(String key, String value) throws IOException {
        post("/v3/kv/put", "{\"key\":\"" + b64(key) + "\",\"value\":\"" + b64(value) + "\"}");
    }

    /** Keys under a prefix; an exception while etcd does not answer. */
    List<String> keys(String prefix) throws IOException {
        byte[] end = prefix.getBytes(StandardCharsets.UTF_8);
        end[end.length - 1]++;
        JsonNode response = post("/v3/kv/range", "{\"key\":\"" + b64(prefix) + "\",\"range_end\":\""
                + Base64.getEncoder().encodeToString(end) + "\",\"keys_only\":true}");
        List<String> keys = new ArrayList<>();
        for (JsonNode kv : response.path("kvs")) {
            keys.add(new String(Base64.getDecoder().decode(kv.path("key").asText()), StandardCharsets.UTF_8));
        }
        return keys;
    }

    /** The id of every lease etcd holds ({@code /v3/lease/leases}: etcd has no gauge of them). */
    Set<String> leases() throws IOException {
        Set<String> ids = new HashSet<>();
        for (JsonNode lease : post("/v3/lease/leases", "{}").path("leases")) {
            ids.add(lease.path("ID").asText());
        }
        return ids;
    }

    private JsonNode post(String path, String body) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL(endpoint + path).openConnection();
        connection.setConnectTimeout(500);
        connection.setReadTimeout(2000);
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        try {
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body.getBytes(StandardCharsets.UTF_8));
            }
            return JSON.readTree(connection.getInputStream());
        } finally {
            connection.disconnect();
        }
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
