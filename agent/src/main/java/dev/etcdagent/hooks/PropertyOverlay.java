package dev.etcdagent.hooks;

import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

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
    /** Moves at the end of every change of the overrides or of the JVM's own values. */
    private final transient AtomicLong version = new AtomicLong();
    /** Changes under way: a merged view built meanwhile may miss half of one. */
    private final transient AtomicInteger changing = new AtomicInteger();
    private transient volatile Merged merged;
    /** Set by the agent's apply thread only, while it brings Spring's beans up to date; null otherwise. */
    private transient volatile Pinned pinned;

    public PropertyOverlay(Properties original) {
        super();
        putAll(original);
    }

    @Override
    public String getProperty(String key) {
        Pinned pin = pinned;
        if (pin != null && pin.thread == Thread.currentThread()) {
            String override = pin.view.get(key);
            return override != null ? override : super.getProperty(key);
        }
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
        return view().isEmpty() ? super.keySet() : withOverrides().keySet();
    }

    @Override
    public Set<Map.Entry<Object, Object>> entrySet() {
        return view().isEmpty() ? super.entrySet() : withOverrides().entrySet();
    }

    @Override
    public Collection<Object> values() {
        return view().isEmpty() ? super.values() : withOverrides().values();
    }

    @Override
    public Enumeration<Object> keys() {
        return view().isEmpty() ? super.keys() : Collections.enumeration(keySet());
    }

    @Override
    public Enumeration<Object> elements() {
        return view().isEmpty() ? super.elements() : Collections.enumeration(values());
    }

    @Override
    public int size() {
        int size = super.size();
        for (String name : view().keySet()) {
            if (!super.containsKey(name)) {
                size++;
            }
        }
        return size;
    }

    @Override
    public boolean isEmpty() {
        return view().isEmpty() && super.isEmpty();
    }

    @Override
    public void forEach(BiConsumer<? super Object, ? super Object> action) {
        if (view().isEmpty()) {
            super.forEach(action);
        } else {
            withOverrides().forEach(action);
        }
    }

    private String overrideFor(Object key) {
        Pinned pin = pinned;
        if (pin != null && pin.thread == Thread.currentThread()) {
            return pin.view.get(key);
        }
        if (key instanceof String && (overriddenLengths & lengthBit((String) key)) != 0) {
            return overrides.get(key);
        }
        return null;
    }

    /** The overrides the calling thread sees: its pinned ones, or the live ones. */
    private Map<String, String> view() {
        Pinned pin = pinned;
        return pin != null && pin.thread == Thread.currentThread() ? pin.view : overrides;
    }

    /** The overrides as they are now, for {@link #pin}; on the thread that changes them, between changes. */
    public Map<String, String> overridesNow() {
        return Collections.unmodifiableMap(new HashMap<>(overrides));
    }

    /**
     * Until {@link #unpin}, the calling thread sees {@code view} as the overrides, whatever changes meanwhile:
     * the agent's apply thread brings Spring's beans up to date from the values of exactly one etcd revision,
     * while the next revision's values are laid over the live properties for every other thread.
     */
    public void pin(Map<String, String> view) {
        pinned = new Pinned(Thread.currentThread(), view);
    }

    public void unpin() {
        pinned = null;
    }

    /** A thread's fixed view of the overrides. */
    private static final class Pinned {
        final Thread thread;
        final Map<String, String> view;

        Pinned(Thread thread, Map<String, String> view) {
            this.thread = thread;
            this.view = view;
        }
    }

    /**
     * A read-only copy of the JVM's properties with the overrides laid over them, built once per change:
     * Spring Boot asks for the names of the system properties at every property lookup.
     */
    private Map<Object, Object> withOverrides() {
        Pinned pin = pinned;
        if (pin != null && pin.thread == Thread.currentThread()) {
            Map<Object, Object> copy = new HashMap<>();
            for (Map.Entry<Object, Object> own : super.entrySet()) {
                copy.put(own.getKey(), own.getValue());
            }
            copy.putAll(pin.view);
            return Collections.unmodifiableMap(copy);
        }
        Merged current = merged;
        long seen = version.get();
        if (current != null && current.version == seen) {
            return current.view;
        }
        Map<Object, Object> copy = new HashMap<>();
        for (Map.Entry<Object, Object> own : super.entrySet()) {
            copy.put(own.getKey(), own.getValue());
        }
        copy.putAll(overrides);
        Map<Object, Object> view = Collections.unmodifiableMap(copy);
        // Kept only when no change was under way or ended while it was built.
        if (changing.get() == 0 && version.get() == seen) {
            merged = new Merged(seen, view);
        }
        return view;
    }

    private void changing() {
        changing.incrementAndGet();
    }

    private void changed() {
        version.incrementAndGet();
        changing.decrementAndGet();
    }

    /** A merged view, and the version of the values it was built from. */
    private static final class Merged {
        final long version;
        final Map<Object, Object> view;

        Merged(long version, Map<Object, Object> view) {
            this.version = version;
            this.view = view;
        }
    }

    // Every change of the JVM's own values moves the version (see withOverrides); setProperty and load
    // go through put.

    @Override
    public Object put(Object key, Object value) {
        changing();
        try {
            return super.put(key, value);
        } finally {
            changed();
        }
    }

    @Override
    public Object remove(Object key) {
        changing();
        try {
            return super.remove(key);
        } finally {
            changed();
        }
    }

    @Override
    public boolean remove(Object key, Object value) {
        changing();
        try {
            return super.remove(key, value);
        } finally {
            changed();
        }
    }

    @Override
    public void putAll(Map<?, ?> values) {
        changing();
        try {
            super.putAll(values);
        } finally {
            changed();
        }
    }

    @Override
    public void clear() {
        changing();
        try {
            super.clear();
        } finally {
            changed();
        }
    }

    @Override
    public Object putIfAbsent(Object key, Object value) {
        changing();
        try {
            return super.putIfAbsent(key, value);
        } finally {
            changed();
        }
    }

    @Override
    public Object replace(Object key, Object value) {
        changing();
        try {
            return super.replace(key, value);
        } finally {
            changed();
        }
    }

    @Override
    public boolean replace(Object key, Object oldValue, Object newValue) {
        changing();
        try {
            return super.replace(key, oldValue, newValue);
        } finally {
            changed();
        }
    }

    @Override
    public Object compute(Object key,
                                       BiFunction<? super Object, ? super Object, ?> remapping) {
        changing();
        try {
            return super.compute(key, remapping);
        } finally {
            changed();
        }
    }

    @Override
    public Object computeIfAbsent(Object key, Function<? super Object, ?> mapping) {
        changing();
        try {
            return super.computeIfAbsent(key, mapping);
        } finally {
            changed();
        }
    }

    @Override
    public Object computeIfPresent(Object key,
                                                BiFunction<? super Object, ? super Object, ?> remapping) {
        changing();
        try {
            return super.computeIfPresent(key, remapping);
        } finally {
            changed();
        }
    }

    @Override
    public Object merge(Object key, Object value,
                                     BiFunction<? super Object, ? super Object, ?> remapping) {
        changing();
        try {
            return super.merge(key, value, remapping);
        } finally {
            changed();
        }
    }

    @Override
    public void replaceAll(BiFunction<? super Object, ? super Object, ?> function) {
        changing();
        try {
            super.replaceAll(function);
        } finally {
            changed();
        }
    }

    /** Lays {@code value} over the property {@code name}; {@code null} removes the override. */
    public void override(String name, String value) {
        // A lock of our own: the application may hold the properties' own lock as long as it likes.
        synchronized (overrides) {
            changing();
            try {
                overrideLocked(name, value);
            } finally {
                changed();
            }
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
