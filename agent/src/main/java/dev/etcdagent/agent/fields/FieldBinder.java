package dev.etcdagent.agent.fields;

import java.lang.annotation.Annotation;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import dev.etcdagent.agent.convert.Converter;
import dev.etcdagent.agent.convert.Converters;
import dev.etcdagent.agent.discovery.Discovery;
import dev.etcdagent.agent.log.AgentLog;
import dev.etcdagent.agent.values.LiveValues;
import dev.etcdagent.agent.values.ValueOutcomes;
import dev.etcdagent.agent.values.WatchedRange;
import dev.etcdagent.hooks.ClassInitHook;

/**
 * Binds a class's {@code @Dynamic} and {@code @Discover} static fields when its static initialiser
 * ends (the rewritten initialiser calls {@link #initialized}): each field gets etcd's current value
 * before any other code can read it, then follows every change.
 */
public final class FieldBinder implements ClassInitHook.Listener {

    private static final String DYNAMIC = "dev.etcdagent.Dynamic";
    private static final String DISCOVER = "dev.etcdagent.Discover";

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
    public void initialized(Class<?> type) {
        List<Runnable> arm = new ArrayList<>();
        for (Field field : type.getDeclaredFields()) {
            for (Annotation annotation : field.getDeclaredAnnotations()) {
                // By name: an application loader that loads its own copy of the annotations still counts.
                String name = annotation.annotationType().getName();
                if (!DYNAMIC.equals(name) && !DISCOVER.equals(name)) {
                    continue;
                }
                String what = "@" + annotation.annotationType().getSimpleName() + " field "
                        + type.getName() + "." + field.getName();
                if (!Modifier.isStatic(field.getModifiers())) {
                    AgentLog.warn(what + " is an instance field and is ignored: the agent updates static fields"
                            + " only; make it static");
                    continue;
                }
                try {
                    String value = (String) annotation.annotationType().getMethod("value").invoke(annotation);
                    arm.add(DYNAMIC.equals(name) ? bindDynamic(field, value) : bindDiscovered(field, value));
                } catch (Exception e) {
                    AgentLog.warn(what + " is not bound: " + (e instanceof IllegalArgumentException
                            ? e.getMessage() : AgentLog.describe(e)));
                }
            }
        }
        for (Runnable binding : arm) {
            binding.run();
        }
    }

    private Runnable bindDynamic(Field reflected, String name) throws ReflectiveOperationException {
        String key = keyOf(reflected, name);
        Converter<?> converter = Converters.forType(reflected.getGenericType());
        StaticField field = StaticField.open(reflected, instrumentation);
        WatchedRange range = values.configKey(key);
        range.awaitFirstRead(LiveValues.FIRST_READ_MILLIS);
        DynamicField binding = new DynamicField(field, key, converter, outcomes, loop);
        binding.initial(range.listen(key, binding));
        return binding::arm;
    }

    private Runnable bindDiscovered(Field reflected, String service) throws ReflectiveOperationException {
        String id = Discovery.normalize(service);
        StaticField field = StaticField.open(reflected, instrumentation);
        DiscoveredField binding = DiscoveredField.of(field, id, loop);
        binding.initial(discovery.follow(id, binding));
        return binding::arm;
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
