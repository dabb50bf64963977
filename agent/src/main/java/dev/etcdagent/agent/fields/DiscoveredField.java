package dev.etcdagent.agent.fields;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;

import dev.etcdagent.agent.discovery.Discovery;
import dev.etcdagent.agent.log.AgentLog;

/**
 * One {@code @Discover} field following one service's addresses. {@code List}/{@code String[]}
 * fields get the whole sorted set, immutable, replaced whole. A {@code String} field keeps its
 * address while it lives, moves to another (chosen at random, so consumers spread) when it goes,
 * and returns to its declared value when none is left.
 */
final class DiscoveredField extends LatestValueWriter<SortedSet<String>> implements Discovery.Listener {

    private enum Shape { LIST, ARRAY, ONE }

    private final StaticField field;
    private final String service;
    private final Shape shape;

    private DiscoveredField(StaticField field, String service, Shape shape, Executor loop) {
        super(loop);
        this.field = field;
        this.service = service;
        this.shape = shape;
    }

    /** The binding for a field, or an IllegalArgumentException naming the supported types. */
    static DiscoveredField of(StaticField field, String service, Executor loop) {
        Class<?> type = field.type();
        Shape shape;
        if (type == String.class) {
            shape = Shape.ONE;
        } else if (type == String[].class) {
            shape = Shape.ARRAY;
        } else if ((type == List.class || type == Collection.class) && elementIsString(field.genericType())) {
            shape = Shape.LIST;
        } else {
            throw new IllegalArgumentException("@Discover field " + field.name() + " has type "
                    + field.genericType().getTypeName() + ": use List<String>, String[] or String");
        }
        return new DiscoveredField(field, service, shape, loop);
    }

    private static boolean elementIsString(Type type) {
        if (!(type instanceof ParameterizedType)) {
            return true;
        }
        Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
        return element == String.class || element.getTypeName().equals("?");
    }

    void initial(SortedSet<String> addresses) {
        write(addresses, 0);
    }

    @Override
    public void addresses(SortedSet<String> addresses, long revision) {
        offer(addresses, revision);
    }

    @Override
    void write(SortedSet<String> addresses, long revision) {
        Object before = field.read();
        Object after;
        switch (shape) {
            case LIST:
                after = addresses.isEmpty() && field.declared() != null
                        ? field.declared() : List.copyOf(addresses);
                break;
            case ARRAY:
                after = addresses.isEmpty() && field.declared() != null
                        ? field.declared() : addresses.toArray(new String[0]);
                break;
            default:
                after = pickOne(before, addresses);
        }
        if (sameValue(before, after)) {
            return;
        }
        try {
            field.write(after);
        } catch (IllegalAccessException | RuntimeException e) {
            AgentLog.warn(service + ": cannot write " + field.name() + ": " + AgentLog.describe(e));
            return;
        }
        if (revision != 0 || !addresses.isEmpty()) {
            AgentLog.info(service + ": " + StaticField.show(before) + " -> " + StaticField.show(after)
                    + (revision != 0 ? " (revision " + revision + ")" : "") + " -> " + field.name());
        }
    }

    private Object pickOne(Object before, SortedSet<String> addresses) {
        if (addresses.isEmpty()) {
            return field.declared();
        }
        if (before instanceof String && addresses.contains(before)) {
            return before;
        }
        List<String> choices = new ArrayList<>(addresses);
        return choices.get(ThreadLocalRandom.current().nextInt(choices.size()));
    }

    private static boolean sameValue(Object before, Object after) {
        if (before instanceof String[] && after instanceof String[]) {
            return java.util.Arrays.equals((String[]) before, (String[]) after);
        }
        return java.util.Objects.equals(before, after);
    }
}
