package dev.etcdagent.bootstrap;

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

    // Written by the agent only; a lookup costs one hash-map probe more than the JDK's own.
    private final transient Map<String, String> overrides = new ConcurrentHashMap<>();

    public PropertyOverlay(Properties original) {
        super();
        putAll(original);
    }

    @Override
    public String getProperty(String key) {
        if (!overrides.isEmpty()) {
            String override = overrides.get(key);
            if (override != null) {
                return override;
            }
        }
        return super.getProperty(key);
    }

    /** Lays {@code value} over the property {@code name}; {@code null} removes the override. */
    public void override(String name, String value) {
        if (value == null) {
            overrides.remove(name);
        } else {
            overrides.put(name, value);
        }
    }

    /** The etcd value currently laid over {@code name}, or {@code null}. */
    public String overrideOf(String name) {
        return overrides.get(name);
    }
}
