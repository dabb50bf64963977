package dev.etcdagent.it.launch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;

/** {@code etcdctl watch --prefix}, each event stamped with System.nanoTime as it arrives. */
public final class KeyEvents implements AutoCloseable {

    static final class Event {
        final String type;
        final String key;
        final long nanos;

        Event(String type, String key, long nanos) {
            this.type = type;
            this.key = key;
            this.nanos = nanos;
        }
    }

    private final Process process;
    private final List<Event> events = new ArrayList<>();

    public KeyEvents(String endpoint, String prefix) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/etcdctl", "--endpoints=" + endpoint, "watch", "--prefix",
                prefix).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("ETCDCTL_API", "3");
        process = builder.start();
        Thread reader = new Thread(this::read, "watch-" + prefix);
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String pendingType = null;
            long pendingNanos = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                long now = System.nanoTime();
                if (pendingType != null) {
                    synchronized (events) {
                        events.add(new Event(pendingType, line, pendingNanos));
                    }
                    pendingType = null;
                } else if (line.equals("PUT") || line.equals("DELETE")) {
                    pendingType = line;
                    pendingNanos = now;
                }
            }
        } catch (IOException ignored) {
            // watch ended
        }
    }

    /** Waits for the first event of {@code type} on a key starting with {@code keyPrefix} after {@code afterNanos}. */
    public long await(String type, String keyPrefix, long afterNanos, Duration timeout) {
        long[] found = new long[1];
        Awaitility.await(type + " " + keyPrefix).atMost(timeout).pollInterval(Duration.ofMillis(1)).until(() -> {
            synchronized (events) {
                for (Event event : events) {
                    if (event.type.equals(type) && event.key.startsWith(keyPrefix) && event.nanos >= afterNanos) {
                        found[0] = event.nanos;
                        return true;
                    }
                }
            }
            return false;
        });
        return found[0];
    }

    /** The keys of every event of {@code type} (PUT or DELETE) seen so far. */
    public List<String> keys(String type) {
        List<String> keys = new ArrayList<>();
        synchronized (events) {
            for (Event event : events) {
                if (event.type.equals(type)) {
                    keys.add(event.key);
                }
            }
        }
        return keys;
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
