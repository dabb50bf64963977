package dev.etcdagent.agent.fields;

import java.util.concurrent.Executor;

import dev.etcdagent.agent.convert.ConversionException;
import dev.etcdagent.agent.convert.Converter;
import dev.etcdagent.agent.convert.Values;
import dev.etcdagent.agent.etcd.Change;
import dev.etcdagent.agent.log.AgentLog;
import dev.etcdagent.agent.values.ValueListener;

/**
 * One {@code @Dynamic} field following one key: put converts and writes, delete restores the
 * declared value, a value that does not convert leaves the field as it is with one WARN.
 *
 * <p>The first value is written by the thread initialising the class, inside its static
 * initialiser. Later values are written only by the agent thread, once the binding is armed at the
 * end of the initialiser: a write from another thread before then would wait on the class's
 * initialisation lock while holding the agent's.
 */
final class DynamicField implements ValueListener {

    private final StaticField field;
    private final String key;
    private final Converter<?> converter;
    private final Executor loop;
    private Change latest;
    private boolean pending;
    private boolean armed;

    DynamicField(StaticField field, String key, Converter<?> converter, Executor loop) {
        this.field = field;
        this.key = key;
        this.converter = converter;
        this.loop = loop;
    }

    /** Writes the key's value at class initialisation, on the initialising thread. */
    void initial(Change entry) {
        if (entry != null) {
            apply(entry);
        }
    }

    /** From now on the agent thread writes; anything that arrived meanwhile is written now. */
    void arm() {
        boolean flush;
        synchronized (this) {
            armed = true;
            flush = pending;
        }
        if (flush) {
            loop.execute(this::flush);
        }
    }

    @Override
    public void changed(Change change, String oldValue) {
        boolean flush;
        synchronized (this) {
            latest = change;
            flush = armed && !pending;
            pending = true;
        }
        if (flush) {
            loop.execute(this::flush);
        }
    }

    private void flush() {
        Change change;
        synchronized (this) {
            change = latest;
            pending = false;
        }
        if (change != null) {
            apply(change);
        }
    }

    private void apply(Change change) {
        Object before = field.read();
        Object after;
        if (change.isDelete()) {
            after = field.declared();
        } else if (change.malformed) {
            AgentLog.warn(key + ": value is not valid UTF-8, not applied to " + field.name()
                    + "; it keeps " + StaticField.show(before) + ". Put the value as UTF-8 text");
            return;
        } else {
            try {
                after = converter.convert(change.value);
            } catch (ConversionException e) {
                AgentLog.warn(key + ": value \"" + Values.abbreviate(change.value, 80) + "\" not applied to "
                        + field.name() + " (" + field.type().getSimpleName() + "): " + e.getMessage()
                        + "; it keeps " + StaticField.show(before));
                return;
            }
        }
        try {
            field.write(after);
        } catch (IllegalAccessException | RuntimeException e) {
            AgentLog.warn(key + ": cannot write " + field.name() + ": " + AgentLog.describe(e));
            return;
        }
        AgentLog.info(key + ": " + StaticField.show(before) + " -> " + StaticField.show(after)
                + (change.isDelete() ? " (deleted: declared value)" : "")
                + " (revision " + change.revision + ") -> " + field.name());
    }
}
