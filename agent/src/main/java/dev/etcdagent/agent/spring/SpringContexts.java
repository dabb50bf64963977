package dev.etcdagent.agent.spring;

import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;

import dev.etcdagent.agent.boot.ClassDefiner;
import dev.etcdagent.agent.boot.NestedJar;
import dev.etcdagent.agent.etcd.Change;
import dev.etcdagent.agent.instrument.PropertyBridge;
import dev.etcdagent.agent.log.AgentLog;
import dev.etcdagent.agent.values.ValueListener;
import dev.etcdagent.agent.values.ValueOutcomes;
import dev.etcdagent.hooks.PropertyOverlay;
import dev.etcdagent.hooks.SpringContextHook;

/**
 * Makes Spring applications' {@code @Value} members and {@code @ConfigurationProperties} beans follow
 * the configuration prefix. At each context's refresh (see {@code SpringContextRewriter}) the helper
 * {@code dev.etcdagent.spring.LiveContext}, compiled against Spring and carried in the agent jar as a
 * nested jar, is defined in the class loader of that application's Spring and given the context. Each
 * set of changes that etcd made together (see {@link ValueListener#settled}) is then handed to every
 * live context on the apply loop, after the property overlay has the new values and before the status
 * record may claim their revision; what each context did with them becomes the changes' outcomes.
 */
public final class SpringContexts implements SpringContextHook.Listener, ValueListener {

    private static final String CONTEXT_CLASS = "org.springframework.context.support.AbstractApplicationContext";
    private static final String HELPER = "dev.etcdagent.spring.LiveContext";
    private static final String HELPERS_JAR = "etcd-agent-spring.jar.bin";
    /**
     * A refreshed context's beans are brought up to date this long after its refresh (a change may
     * have landed between a bean's creation and the refresh), unless a change comes first: out of
     * the way of the application's start.
     */
    private static final long CATCH_UP_MILLIS = 1_000;

    private final String prefix;
    private final ClassDefiner definer;
    private final ScheduledExecutorService apply;
    private final ValueOutcomes outcomes;
    private final PropertyOverlay overlay;
    /** Held weakly: each is held by its application's class loader, which must be free to go. */
    private final List<WeakReference<Function<Set<String>, List<String[]>>>> contexts = new CopyOnWriteArrayList<>();
    /** Property name to its latest change since the last {@link #settled}. */
    private final Map<String, Change> pending = new LinkedHashMap<>();
    /**
     * On the apply loop: per member, the changes it refused. A bean takes the whole environment when it
     * takes a change, so once it takes a later one, those earlier values are in it too.
     */
    private final Map<String, Map<String, Change>> refusedBy = new HashMap<>();
    /** The helper class per Spring, held by Spring's own context class: it goes with the application's loader. */
    private final ClassValue<Class<?>> helpers = new ClassValue<>() {
        @Override
        protected Class<?> computeValue(Class<?> contextClass) {
            return defineHelpers(contextClass.getClassLoader());
        }
    };
    private final BiConsumer<String, String> log = new BiConsumer<>() {
        @Override
        public void accept(String level, String message) {
            AgentLog.log(AgentLog.Level.parse(level), message, null);
        }
    };

    /** @param overlay the system properties, through which Spring reads etcd's values */
    public SpringContexts(String configPrefix, ClassDefiner definer, ScheduledExecutorService apply,
                          ValueOutcomes outcomes, PropertyOverlay overlay) {
        this.prefix = configPrefix + "/";
        this.definer = definer;
        this.apply = apply;
        this.outcomes = outcomes;
        this.overlay = overlay;
    }

    /** On the application's thread, inside its refresh: only queues. */
    @Override
    public void refreshed(Object context) {
        apply.execute(() -> attach(context));
    }

    private void attach(Object context) {
        Class<?> contextClass = context.getClass();
        while (contextClass != null && !CONTEXT_CLASS.equals(contextClass.getName())) {
            contextClass = contextClass.getSuperclass();
        }
        if (contextClass == null || contextClass.getClassLoader() == null) {
            return;
        }
        Function<Set<String>, List<String[]>> live;
        try {
            @SuppressWarnings("unchecked")
            Function<Set<String>, List<String[]>> created = (Function<Set<String>, List<String[]>>) helpers
                    .get(contextClass).getConstructor(Object.class, BiConsumer.class).newInstance(context, log);
            live = created;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            AgentLog.warn("Spring's @Value members and @ConfigurationProperties beans of " + context
                    + " keep their values from start-up: the agent could not attach to the context ("
                    + AgentLog.describe(e) + ")");
            return;
        }
        attached(live);
    }

    /** Follows a context from now on; its beans are brought up to date after {@link #CATCH_UP_MILLIS}. */
    void attached(Function<Set<String>, List<String[]>> live) {
        WeakReference<Function<Set<String>, List<String[]>>> held = new WeakReference<>(live);
        contexts.add(held);
        apply.schedule(() -> {
            Function<Set<String>, List<String[]>> current = held.get();
            if (current == null) {
                return;
            }
            // Not at a revision's end, as settled() pins it; a key changed meanwhile comes with its own update.
            overlay.pin(overlay.overridesNow());
            try {
                update(held, current, null, Map.of());
            } finally {
                overlay.unpin();
            }
        }, CATCH_UP_MILLIS, TimeUnit.MILLISECONDS);
    }

    private Class<?> defineHelpers(ClassLoader loader) {
        try {
            definer.define(loader, NestedJar.supertypesFirst(NestedJar.classes(HELPERS_JAR)));
            return Class.forName(HELPER, false, loader);
        } catch (Exception e) {
            throw new IllegalStateException("defining its Spring helpers in " + loader + " failed: "
                    + AgentLog.describe(e), e);
        }
    }

    @Override
    public void changed(Change change, String oldValue) {
        if (contexts.isEmpty() || change.malformed || !change.key.startsWith(prefix)) {
            return;
        }
        String name = change.key.substring(prefix.length());
        if (name.isEmpty() || PropertyBridge.isJdkOwned(name)) {
            return;
        }
        synchronized (pending) {
            pending.put(name, change);
        }
    }

    /**
     * Hands the changes to the apply loop with the overrides as they are now, at the end of the changes
     * (on the thread that applied them, which alone changes the overlay): the beans are resolved against
     * exactly this revision's values, even when the next revision is laid over the properties meanwhile.
     * Resolved against the live properties, a transaction's two keys could be read one before and one
     * after the next transaction, and a request could see the bean with one key of each.
     */
    @Override
    public void settled() {
        Map<String, Change> batch;
        synchronized (pending) {
            if (pending.isEmpty()) {
                return;
            }
            batch = new LinkedHashMap<>(pending);
            pending.clear();
        }
        Map<String, String> values = overlay.overridesNow();
        apply.execute(() -> {
            overlay.pin(values);
            try {
                for (WeakReference<Function<Set<String>, List<String[]>>> held : contexts) {
                    Function<Set<String>, List<String[]>> live = held.get();
                    if (live == null) {
                        contexts.remove(held);
                    } else {
                        update(held, live, batch.keySet(), batch);
                    }
                }
            } finally {
                overlay.unpin();
            }
        });
    }

    /** On the apply loop: one context takes {@code names} (null: everything) and its outcomes are told. */
    private void update(WeakReference<Function<Set<String>, List<String[]>>> held,
                        Function<Set<String>, List<String[]>> live, Set<String> names, Map<String, Change> batch) {
        List<String[]> results;
        long start = System.nanoTime();
        try {
            results = live.apply(names);
            if (AgentLog.enabled(AgentLog.Level.DEBUG)) {
                AgentLog.debug("Spring context took " + (names == null ? "every property" : names) + " in "
                        + (System.nanoTime() - start) / 1000 + " µs");
            }
        } catch (RuntimeException | LinkageError e) {
            AgentLog.warn("Spring's beans did not take etcd's change: " + AgentLog.describe(e));
            return;
        }
        if (results == null) {
            // The context closed.
            contexts.remove(held);
            return;
        }
        for (String[] result : results) {
            Change change = batch.get(result[0]);
            if (change == null) {
                continue;
            }
            if (result[2] == null) {
                outcomes.applied(change.key, change.revision, result[1]);
                Map<String, Change> nowTaken = refusedBy.remove(result[1]);
                if (nowTaken != null) {
                    for (Change refused : nowTaken.values()) {
                        outcomes.applied(refused.key, change.revision, result[1]);
                    }
                }
            } else {
                refusedBy.computeIfAbsent(result[1], member -> new HashMap<>()).put(change.key, change);
                outcomes.rejected(change.key, change.revision, result[1], result[2]);
                AgentLog.warn(change.key + " (revision " + change.revision + "): not applied to " + result[1] + ": "
                        + result[2] + "; the bean keeps its values");
            }
        }
    }
}
