package dev.etcdagent.agent.fields;

import java.util.concurrent.Executor;

import dev.etcdagent.agent.convert.ConversionException;
import dev.etcdagent.agent.convert.Converter;
import dev.etcdagent.agent.convert.Values;
import dev.etcdagent.agent.etcd.Change;
import dev.etcdagent.agent.log.AgentLog;
import dev.etcdagent.agent.values.ValueListener;
import dev.etcdagent.agent.values.ValueOutcomes;

/**
 * One {@code @Dynamic} field following one key: put converts and writes, delete restores the
 * declared value, a value that does not convert leaves the field as it is with one WARN.
 *
 * <p>Only the applied-change line shows values. A refusal names the key, the field, its type, the
 * value's length and the converter's reason, which is the agent's own words: values can be secrets.
 */
final class DynamicField extends LatestValueWriter<Change> implements ValueListener {

    private final StaticField field;
    private final String key;
    private final Converter<?> converter;
    private final ValueOutcomes outcomes;

    DynamicField(StaticField field, String key, Converter<?> converter, ValueOutcomes outcomes, Executor loop) {
        super(loop);
        this.field = field;
        this.key = key;
        this.converter = converter;
        this.outcomes = outcomes;
    }

    /** Writes the key's value at class initialisation, on the initialising thread. */
    void initial(Change entry) {
        if (entry != null) {
            write(entry, entry.revision);
        }
    }

    @Override
    public void changed(Change change, String oldValue) {
        offer(change, change.revision);
    }

    @Override
    void write(Change change, long revision) {
        Object before = field.read();
        Object after;
        if (change.isDelete()) {
            after = field.declared();
        } else if (change.malformed) {
            AgentLog.warn(key + ": value is not valid UTF-8, not applied to " + field.name()
                    + ", which keeps its current value; put the value as UTF-8 text");
            outcomes.rejected(key, revision, field.name(), "not valid UTF-8");
            return;
        } else {
            try {
                after = converter.convert(change.value);
            } catch (ConversionException e) {
                AgentLog.warn(key + ": value (" + Values.length(change.value) + ") not applied to " + field.name()
                        + " (" + field.type().getSimpleName() + "): " + e.getMessage()
                        + "; the field keeps its current value");
                outcomes.rejected(key, revision, field.name(), e.getMessage());
                return;
            }
        }
        try {
            field.write(after);
        } catch (IllegalAccessException | RuntimeException e) {
            AgentLog.warn(key + ": cannot write " + field.name() + ": " + AgentLog.describe(e));
            outcomes.rejected(key, revision, field.name(), "cannot write the field: " + e.getClass().getSimpleName());
            return;
        }
        outcomes.applied(key, revision, field.name());
        AgentLog.info(key + ": " + StaticField.show(before) + " -> " + StaticField.show(after)
                + (change.isDelete() ? " (deleted: declared value)" : "")
                + " (revision " + change.revision + ") -> " + field.name());
    }
}
