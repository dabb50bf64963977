package dev.etcdagent.hooks;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JVM's system properties with values from etcd laid over them.
 *
 * <p>Installed with {@code System.setProperties}, so {@code System.getProperty}, its two-argument
 * form, {@code Boolean.getBoolean}, {@code Integer.getInteger}, {@code Long.getLong} and
 * {@code System.getProperties().getProperty} all see an etcd value while its key exists, and the
 * JVM's own value again once it is deleted. The JVM's own values are never modified.
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

    /** The etcd value currently laid over {@code name}, or {@code null}. */
    public String overrideOf(String name) {
        return overrides.get(name);
    }
}
