package dev.etcdagent.it.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The real {@code etcdctl} (API v3), as an operator would run it. */
public final class Etcdctl {

    private static final String ETCDCTL = "/usr/bin/etcdctl";
    /** The longest one etcdctl call may take before it is destroyed. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String endpoints;
    private final List<String> globalArgs;

    public Etcdctl(String endpoints, List<String> globalArgs) {
        this.endpoints = endpoints;
        this.globalArgs = List.copyOf(globalArgs);
    }

    /** The endpoints this etcdctl talks to. */
    public String endpoints() {
        return endpoints;
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

    /** Puts the key attached to a lease (see {@link #leaseGrant}). */
    public void put(String key, String value, long lease) {
        run("put", "--lease=" + Long.toHexString(lease), "--", key, value);
    }

    /**
     * Puts every key in one transaction, so at one revision ({@code etcdctl txn}, its requests from stdin). Keys and
     * values are quoted: spaces are fine; a quote, a backslash, a line break or a leading {@code -} is refused.
     */
    public void putInOneTransaction(Map<String, String> values) {
        // No compares, the success requests, no failure requests: each section ends with an empty line.
        StringBuilder requests = new StringBuilder("\n");
        values.forEach((key, value) -> requests.append("put ").append(txnArgument(key)).append(' ')
                .append(txnArgument(value)).append('\n'));
        requests.append("\n\n");
        runWithInput(requests.toString().getBytes(StandardCharsets.UTF_8), "txn");
    }

    private static String txnArgument(String text) {
        if (text.startsWith("-") || text.indexOf('"') >= 0 || text.indexOf('\\') >= 0 || text.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("etcdctl txn cannot take " + text
                    + ": it starts with '-' or holds a quote, a backslash or a line break");
        }
        return '"' + text + '"';
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

    /** The lease the key is attached to, 0 when none (or no such key). */
    public long leaseOf(String key) {
        JsonNode kvs = json("get", "--", key).path("kvs");
        return kvs.size() == 0 ? 0 : kvs.get(0).path("lease").asLong();
    }

    /** The revision of the key's last put, 0 when there is no such key. */
    public long modRevisionOf(String key) {
        JsonNode kvs = json("get", "--", key).path("kvs");
        return kvs.size() == 0 ? 0 : kvs.get(0).path("mod_revision").asLong();
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

    /** The cluster id as {@code etcdctl endpoint status} reports it for the first endpoint. */
    public String endpointClusterId() {
        return json("endpoint", "status").path(0).path("Status").path("header").path("cluster_id").asText();
    }

    /** The leader the first endpoint's member knows of; 0 when it has none (cut off, or in an election). */
    public long endpointLeader() {
        return json("endpoint", "status").path(0).path("Status").path("leader").asLong();
    }

    /** Grants a lease of {@code ttlSeconds} and returns its id. */
    public long leaseGrant(long ttlSeconds) {
        return json("lease", "grant", Long.toString(ttlSeconds)).path("ID").asLong();
    }

    /** The ids of all live leases. */
    public List<Long> leaseList() {
        List<Long> leases = new ArrayList<>();
        for (JsonNode lease : json("lease", "list").path("leases")) {
            leases.add(lease.path("id").asLong());
        }
        return leases;
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

    /**
     * Runs etcdctl; fails with its stderr on a non-zero exit. The process is destroyed if it runs
     * longer than {@link #TIMEOUT} (etcdctl's own --command-timeout is shorter, so this is a backstop).
     */
    private String runWithInput(byte[] input, String... args) {
        List<String> command = new ArrayList<>(List.of(ETCDCTL, "--endpoints=" + endpoints,
                "--command-timeout=5s", "--dial-timeout=2s"));
        command.addAll(globalArgs);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("ETCDCTL_API", "3");
        String description = "etcdctl --endpoints=" + endpoints + " " + String.join(" ", args);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + ETCDCTL + " (install etcd-client)", e);
        }
        try {
            CompletableFuture<byte[]> out = readAllAsync(process.getInputStream());
            CompletableFuture<byte[]> err = readAllAsync(process.getErrorStream());
            try (OutputStream stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input);
                }
            }
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(description + " timed out after " + TIMEOUT);
            }
            String stderr = new String(err.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(description + " failed (exit " + process.exitValue() + "): "
                        + stderr.trim());
            }
            return new String(out.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(description + " failed", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(description + " failed: its output could not be read", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(description + " interrupted", e);
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    /** Drains a stream on a daemon thread, so a chatty process never blocks on a full pipe. */
    private static CompletableFuture<byte[]> readAllAsync(InputStream in) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (in) {
                result.complete(in.readAllBytes());
            } catch (IOException e) {
                result.completeExceptionally(e);
            }
        }, "etcdctl-output");
        reader.setDaemon(true);
        reader.start();
        return result;
    }
}
