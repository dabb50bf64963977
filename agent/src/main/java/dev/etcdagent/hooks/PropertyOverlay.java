package dev.etcdagent.hooks;

import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The JVM's system properties with values from etcd laid over them.
 *
 * <p>Installed with {@code System.setProperties}, so {@code System.getProperty}, its two-argument
 * form, {@code Boolean.getBoolean}, {@code Integer.getInteger}, {@code Long.getLong} and
 * {@code System.getProperties().getProperty} all see an etcd value while its key exists, and the
 * JVM's own value again once it is deleted. The JVM's own values are never modified.
 *
 * <p>The {@code Map} view answers the same ({@code get}, {@code containsKey}, {@code getOrDefault},
 * the key, entry and value views, {@code keys}, {@code elements}, {@code propertyNames},
 * {@code stringPropertyNames}, {@code size}, {@code forEach}): Spring's {@code Environment} reads system
 * properties that way. While etcd overrides anything, the views are read-only snapshots; with no
 * override they are the JVM's own live views.
 */
public final class PropertyOverlay extends Properties {

    private static final long serialVersionUID = 1L;

    // Written by the agent only.
    private final transient Map<String, String> overrides = new ConcurrentHashMap<>();
    // One bit per name length (mod 64) among the overrides: most lookups of names etcd does not
    // hold cost one volatile read and a bit test instead of a hash-map probe.
    private transient volatile long overriddenLengths;

    public PropertyOverlay(Properties original) {
        super();
        putAll(original);
    }

    @Override
    public String getProperty(String key) {
        if ((overriddenLengths & lengthBit(key)) != 0) {
            String override = overrides.get(key);
            if (override != null) {
                return override;
            }
        }
        return super.getProperty(key);
    }

    @Override
    public Object get(Object key) {
        String override = overrideFor(key);
        return override != null ? override : super.get(key);
    }

    @Override
    public Object getOrDefault(Object key, Object defaultValue) {
        Object value = get(key);
        return value != null ? value : defaultValue;
    }

    @Override
    public boolean containsKey(Object key) {
        return overrideFor(key) != null || super.containsKey(key);
    }

    @Override
    public Set<Object> keySet() {
        return overrides.isEmpty() ? super.keySet() : withOverrides().keySet();
    }

    @Override
    public Set<Map.Entry<Object, Object>> entrySet() {
        return overrides.isEmpty() ? super.entrySet() : withOverrides().entrySet();
    }

    @Override
    public Collection<Object> values() {
        return overrides.isEmpty() ? super.values() : withOverrides().values();
    }

    @Override
    public Enumeration<Object> keys() {
        return overrides.isEmpty() ? super.keys() : Collections.enumeration(keySet());
    }

    @Override
    public Enumeration<Object> elements() {
        return overrides.isEmpty() ? super.elements() : Collections.enumeration(values());
    }

    @Override
    public int size() {
        int size = super.size();
        for (String name : overrides.keySet()) {
            if (!super.containsKey(name)) {
                size++;
            }
        }
        return size;
    }

    @Override
    public boolean isEmpty() {
        return overrides.isEmpty() && super.isEmpty();
    }

    @Override
    public void forEach(BiConsumer<? super Object, ? super Object> action) {
        if (overrides.isEmpty()) {
            super.forEach(action);
        } else {
            withOverrides().forEach(action);
        }
    }

    private String overrideFor(Object key) {
        if (key instanceof String && (overriddenLengths & lengthBit((String) key)) != 0) {
            return overrides.get(key);
        }
        return null;
    }

    /** A read-only copy of the JVM's properties with the overrides laid over them. */
    private Map<Object, Object> withOverrides() {
        Map<Object, Object> merged = new HashMap<>();
        for (Map.Entry<Object, Object> own : super.entrySet()) {
            merged.put(own.getKey(), own.getValue());
        }
        merged.putAll(overrides);
        return Collections.unmodifiableMap(merged);
    }

    /** Lays {@code value} over the property {@code name}; {@code null} removes the override. */
    public void override(String name, String value) {
        synchronized (overrides) {
            overrideLocked(name, value);
        }
    }

    private void overrideLocked(String name, String value) {
        if (value == null) {
            overrides.remove(name);
            long lengths = 0;
            for (String overridden : overrides.keySet()) {
                lengths |= lengthBit(overridden);
            }
            overriddenLengths = lengths;
        } else {
            // The bit first, then the value: a reader that sees the value also sees its bit.
            overriddenLengths |= lengthBit(name);
            overrides.put(name, value);
        }
    }

    private static long lengthBit(String name) {
        return 1L << (name.length() & 63);
    }
}
