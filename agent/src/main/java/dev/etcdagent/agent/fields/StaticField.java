package dev.etcdagent.agent.fields;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.Set;

import dev.etcdagent.agent.convert.Values;

/** A static field the agent writes: its declared value, reflective access, and a name for logs. */
public final class StaticField {

    private final Field field;
    private final Object declared;
    private final String name;

    private StaticField(Field field, Object declared) {
        this.field = field;
        this.declared = declared;
        this.name = field.getDeclaringClass().getName() + "." + field.getName();
    }

    /**
     * Opens the field for writing (opening its package to the agent first when it sits in a named
     * module) and records its value now, right after the class initialised, as the declared value.
     */
    static StaticField open(Field field, Instrumentation instrumentation) throws ReflectiveOperationException {
        Module module = field.getDeclaringClass().getModule();
        String pkg = field.getDeclaringClass().getPackageName();
        Module agent = StaticField.class.getModule();
        if (module.isNamed() && !module.isOpen(pkg, agent)) {
            instrumentation.redefineModule(module, Set.of(), Map.of(), Map.of(pkg, Set.of(agent)), Set.of(), Map.of());
        }
        field.setAccessible(true);
        return new StaticField(field, field.get(null));
    }

    public Object declared() {
        return declared;
    }

    public Object read() {
        try {
            return field.get(null);
        } catch (IllegalAccessException e) {
            return null;
        }
    }

    public void write(Object value) throws IllegalAccessException {
        field.set(null, value);
    }

    public java.lang.reflect.Type genericType() {
        return field.getGenericType();
    }

    public Class<?> type() {
        return field.getType();
    }

    /** {@code com.shop.Promo.enabled}. */
    public String name() {
        return name;
    }

    /** A value as a log shows it: arrays by their elements, long texts abbreviated. */
    public static String show(Object value) {
        if (value == null) {
            return "null";
        }
        if (value.getClass().isArray()) {
            StringBuilder text = new StringBuilder("[");
            for (int i = 0; i < Array.getLength(value); i++) {
                text.append(i == 0 ? "" : ", ").append(Array.get(value, i));
            }
            return Values.abbreviate(text.append(']').toString(), 200);
        }
        return Values.abbreviate(String.valueOf(value), 200);
    }
}
