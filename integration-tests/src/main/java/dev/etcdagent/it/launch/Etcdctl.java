package dev.etcdagent.it.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The real {@code etcdctl} (API v3), as an operator would run it. */
public final class Etcdctl {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String endpoints;
    private final List<String> globalArgs;

    public Etcdctl(String endpoints, List<String> globalArgs) {
        this.endpoints = endpoints;
        this.globalArgs = List.copyOf(globalArgs);
    }

    public static Etcdctl forServer(EtcdServer server) {
        return server.etcdctl();
    }

    public static Etcdctl forEndpoints(String endpoints) {
        return new Etcdctl(endpoints, List.of());
    }

    /** The same etcdctl with more global flags (TLS files, --user). */
    public Etcdctl with(String... args) {
        List<String> all = new ArrayList<>(globalArgs);
        all.addAll(List.of(args));
        return new Etcdctl(endpoints, all);
    }

    public void put(String key, String value) {
        run("put", "--", key, value);
    }

    /** Puts raw bytes (etcdctl reads the value from stdin when it is not given). */
    public void putBytes(String key, byte[] value) {
        runWithInput(value, "put", "--", key);
    }

    public String get(String key) {
        Map<String, String> found = read(key, false);
        return found.get(key);
    }

    public Map<String, String> getPrefix(String prefix) {
        return read(prefix, true);
    }

    public long leaseOf(String key) {
        JsonNode kvs = json("get", "--", key).path("kvs");
        return kvs.size() == 0 ? 0 : kvs.get(0).path("lease").asLong();
    }

    public void del(String key) {
        run("del", "--", key);
    }

    public void delPrefix(String prefix) {
        run("del", "--prefix", "--", prefix);
    }

    public long revision() {
        return json("get", "--", "/").path("header").path("revision").asLong();
    }

    public String clusterId() {
        return json("get", "--", "/").path("header").path("cluster_id").asText();
    }

    public void leaseRevoke(long lease) {
        run("lease", "revoke", Long.toHexString(lease));
    }

    public void compact(long revision) {
        run("compact", "--physical", Long.toString(revision));
    }

    private Map<String, String> read(String key, boolean prefix) {
        JsonNode response = prefix ? json("get", "--prefix", "--", key) : json("get", "--", key);
        Map<String, String> values = new LinkedHashMap<>();
        for (JsonNode kv : response.path("kvs")) {
            values.put(decode(kv.path("key").asText()), decode(kv.path("value").asText()));
        }
        return values;
    }

    private JsonNode json(String... args) {
        List<String> all = new ArrayList<>(List.of("-w", "json"));
        all.addAll(List.of(args));
        try {
            return JSON.readTree(run(all.toArray(new String[0])));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    public String run(String... args) {
        return runWithInput(null, args);
    }

    private String runWithInput(byte[] input, String... args) {
        List<String> command = new ArrayList<>(List.of("/usr/bin/etcdctl", "--endpoints=" + endpoints,
                "--command-timeout=5s", "--dial-timeout=2s"));
        command.addAll(globalArgs);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("ETCDCTL_API", "3");
        try {
            Process process = builder.start();
            if (input != null) {
                process.getOutputStream().write(input);
            }
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            byte[] err = process.getErrorStream().readAllBytes();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("etcdctl " + String.join(" ", args) + " timed out");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("etcdctl " + String.join(" ", args) + " failed: "
                        + new String(err, StandardCharsets.UTF_8).trim());
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run etcdctl (install etcd-client)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
