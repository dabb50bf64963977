package dev.etcdagent.agent.discovery;

import java.io.IOException;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import dev.etcdagent.agent.convert.Values;
import dev.etcdagent.agent.etcd.Change;
import dev.etcdagent.agent.log.AgentLog;
import dev.etcdagent.agent.values.ValueListener;
import dev.etcdagent.agent.values.WatchedRange;

/**
 * The live addresses of one service: every key under {@code {service}/} holding etcd's naming JSON
 * ({@code {"Addr":"host:port",...}}, as written by Go's {@code naming/endpoints} and by this agent)
 * or a plain {@code host:port}, and the key {@code {service}} itself when it holds a plain address.
 */
final class ServiceAddresses implements ValueListener {

    private static final JsonFactory JSON = new JsonFactory();
    // Each bad value is reported once; a flood of distinct bad values must not grow memory forever.
    private static final int MAX_WARNED = 1_000;
    private static final Pattern HOST_PORT = Pattern.compile("^(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9_.-]+):([0-9]{1,5})$");

    private final String service;
    private final WatchedRange range;
    private final List<Reference<Discovery.Listener>> listeners = new CopyOnWriteArrayList<>();
    private final Set<String> warned = new HashSet<>();
    /** The address each key holds, and how many keys hold each address (two keys may share one). */
    private final Map<String, String> byKey = new HashMap<>();
    private final Map<String, Integer> keysOf = new HashMap<>();
    private SortedSet<String> current = new TreeSet<>();

    ServiceAddresses(String service, WatchedRange range) {
        this.service = service;
        this.range = range;
        range.listen(this);
        current = compute();
    }

    String service() {
        return service;
    }

    /**
     * Adds a listener and returns the current addresses, atomically. Held weakly, as field bindings
     * are held by their class: see {@link WatchedRange#listen(String, ValueListener)}.
     */
    SortedSet<String> listen(Discovery.Listener listener) {
        synchronized (range) {
            listeners.removeIf(held -> held.get() == null);
            listeners.add(new WeakReference<>(listener));
            return current;
        }
    }

    @Override
    public void changed(Change change, String oldValue) {
        // Called with the range's lock held, like listen(). One key at a time: a large service that
        // restarts must not cost a parse of every address per event.
        String before = byKey.remove(change.key);
        String after = change.isDelete() ? null : address(change);
        if (after != null) {
            byKey.put(change.key, after);
        }
        if (Objects.equals(before, after)) {
            return;
        }
        boolean setChanged = before != null && count(before, -1);
        setChanged |= after != null && count(after, 1);
        if (!setChanged) {
            return;
        }
        SortedSet<String> next = Collections.unmodifiableSortedSet(new TreeSet<>(keysOf.keySet()));
        current = next;
        for (Reference<Discovery.Listener> held : listeners) {
            Discovery.Listener listener = held.get();
            if (listener == null) {
                listeners.remove(held);
            } else {
                listener.addresses(next, change.revision);
            }
        }
    }

    /** Counts one more (or one fewer) key holding {@code address}; true when the set of addresses changed. */
    private boolean count(String address, int delta) {
        int keys = keysOf.getOrDefault(address, 0) + delta;
        if (keys <= 0) {
            keysOf.remove(address);
            return true;
        }
        keysOf.put(address, keys);
        return keys == 1 && delta > 0;
    }

    private SortedSet<String> compute() {
        for (Change entry : range.entries()) {
            String address = address(entry);
            if (address != null) {
                byKey.put(entry.key, address);
                count(address, 1);
            }
        }
        return Collections.unmodifiableSortedSet(new TreeSet<>(keysOf.keySet()));
    }

    /** The address an entry of the range holds for this service, or null (a bad value is reported once). */
    private String address(Change entry) {
        boolean self = entry.key.equals(service);
        if (!self && !entry.key.startsWith(service + "/")) {
            return null;
        }
        String address = parse(entry.value, !self);
        if (address == null && warned.size() < MAX_WARNED && warned.add(entry.key + "\u0000" + entry.value)) {
            AgentLog.warn(entry.key + ": its value (" + Values.length(entry.value) + ") is neither etcd's naming"
                    + " JSON {\"Addr\":\"host:port\"} nor host:port; not an address of " + service);
        }
        return address;
    }

    /** The address in a value, or null; {@code json}: the naming JSON is accepted too. */
    static String parse(String value, boolean json) {
        String text = value.trim();
        if (HOST_PORT.matcher(text).matches()) {
            return validPort(text) ? text : null;
        }
        if (!json || !text.startsWith("{")) {
            return null;
        }
        String addr = null;
        int op = 0;
        try (JsonParser parser = JSON.createParser(text)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.getCurrentName();
                JsonToken token = parser.nextToken();
                if ("Addr".equals(name) && token == JsonToken.VALUE_STRING) {
                    addr = parser.getText().trim();
                } else if ("Op".equals(name) && token == JsonToken.VALUE_NUMBER_INT) {
                    op = parser.getIntValue();
                } else {
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            return null;
        }
        // Op 1 is the naming package's "Delete": not a live address.
        if (addr == null || op != 0 || !HOST_PORT.matcher(addr).matches() || !validPort(addr)) {
            return null;
        }
        return addr;
    }

    private static boolean validPort(String hostPort) {
        int port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
        return port >= 1 && port <= 65_535;
    }
}
