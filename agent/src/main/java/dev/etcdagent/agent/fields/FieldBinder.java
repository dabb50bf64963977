package dev.etcdagent.agent.fields;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

import dev.etcdagent.agent.convert.Converter;
import dev.etcdagent.agent.convert.Converters;
import dev.etcdagent.agent.discovery.Discovery;
import dev.etcdagent.agent.etcd.Change;
import dev.etcdagent.agent.log.AgentLog;
import dev.etcdagent.agent.values.LiveValues;
import dev.etcdagent.agent.values.ValueOutcomes;
import dev.etcdagent.agent.values.WatchedRange;
import dev.etcdagent.hooks.ClassInitHook;

/**
 * Binds a class's {@code @Dynamic} and {@code @Discover} static fields when its static initialiser
 * ends (the rewritten initialiser calls {@link #initialized}): each field gets etcd's current value
 * before any other code can read it, then follows every change.
 *
 * <p>Not final: tests stand in for etcd by overriding {@link #listen} and {@link #follow}.
 */
public class FieldBinder implements ClassInitHook.Listener {

    /**
     * A class's field bindings, held by the class itself: the agent's ranges hold bindings weakly, so
     * when a redeployed application's class loader becomes unreachable its bindings go with it and
     * nothing of the agent keeps the loader or writes to its dead classes.
     */
    private static final ClassValue<List<LatestValueWriter<?>>> HELD_BY_CLASS = new ClassValue<>() {
        @Override
        protected List<LatestValueWriter<?>> computeValue(Class<?> type) {
            return new CopyOnWriteArrayList<>();
        }
    };

    private final String configPrefix;
    private final LiveValues values;
    private final Discovery discovery;
    private final Instrumentation instrumentation;
    private final ValueOutcomes outcomes;
    private final Executor loop;

    public FieldBinder(String configPrefix, LiveValues values, Discovery discovery,
                       Instrumentation instrumentation, ValueOutcomes outcomes, Executor loop) {
        this.configPrefix = configPrefix;
        this.values = values;
        this.discovery = discovery;
        this.instrumentation = instrumentation;
        this.outcomes = outcomes;
        this.loop = loop;
    }

    @Override
    public void initialized(Class<?> type, String fields) {
        List<LatestValueWriter<?>> bindings = new ArrayList<>();
        // The annotations as read from the class's bytes: a loader that cannot see dev.etcdagent.Dynamic
        // (JBoss Modules, the annotations jar left out of the deployment) makes reflection drop them.
        for (FieldAnnotations.Entry annotated : FieldAnnotations.parse(fields)) {
            String what = "@" + (annotated.dynamic ? "Dynamic" : "Discover") + " field " + type.getName() + "."
                    + annotated.field;
            try {
                Field field = type.getDeclaredField(annotated.field);
                if (!Modifier.isStatic(field.getModifiers())) {
                    AgentLog.warn(what + " is an instance field and is ignored: the agent updates static fields"
                            + " only; make it static");
                    continue;
                }
                bindings.add(annotated.dynamic ? bindDynamic(field, annotated.value)
                        : bindDiscovered(field, annotated.value));
            } catch (Exception e) {
                AgentLog.warn(what + " is not bound: " + (e instanceof IllegalArgumentException
                        ? e.getMessage() : AgentLog.describe(e)));
            }
        }
        if (bindings.isEmpty()) {
            return;
        }
        HELD_BY_CLASS.get(type).addAll(bindings);
        for (LatestValueWriter<?> binding : bindings) {
            binding.arm();
        }
    }

    private DynamicField bindDynamic(Field reflected, String name) throws ReflectiveOperationException {
        String key = keyOf(reflected, name);
        Converter<?> converter = Converters.forType(reflected.getGenericType());
        StaticField field = StaticField.open(reflected, instrumentation);
        DynamicField binding = new DynamicField(field, key, converter, outcomes, loop);
        binding.initial(listen(key, binding));
        return binding;
    }

    /**
     * Adds {@code binding} to the range holding {@code key} and returns the key's entry now: once the
     * range has its first values, or the start-up budget is spent.
     */
    Change listen(String key, DynamicField binding) {
        WatchedRange range = values.configKey(key);
        values.awaitFirstRead(range);
        return range.listen(key, binding);
    }

    private DiscoveredField bindDiscovered(Field reflected, String service) throws ReflectiveOperationException {
        String id = Discovery.normalize(service);
        StaticField field = StaticField.open(reflected, instrumentation);
        DiscoveredField binding = DiscoveredField.of(field, id, loop);
        binding.initial(follow(id, binding));
        return binding;
    }

    /** Adds {@code binding} to the service's listeners and returns its addresses now. */
    SortedSet<String> follow(String service, DiscoveredField binding) {
        return discovery.follow(service, binding);
    }

    /** The contract's key rule: absolute with a leading '/', else relative to the config prefix. */
    String keyOf(Field field, String name) {
        String relative = name.isEmpty() ? field.getDeclaringClass().getName() + "." + field.getName() : name;
        if (relative.startsWith("/")) {
            return relative;
        }
        if (configPrefix == null) {
            throw new IllegalArgumentException("key '" + relative + "' is relative but there is no configuration"
                    + " prefix: pass service=<id> or config=<prefix> to the agent, or name an absolute key");
        }
        return configPrefix + "/" + relative;
    }
}
