package dev.etcdagent.spring;

import java.lang.invoke.VarHandle;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

/**
 * One Spring application context's live wiring: the {@code @Value} members of its singleton beans and
 * its {@code @ConfigurationProperties} beans, brought up to date with Spring's {@code Environment}
 * (where etcd's values sit among the system properties) whenever etcd changes properties they read.
 *
 * <p>Defined by the agent in the class loader of the application's Spring, and called by it through JDK
 * types only: {@link #apply} takes the names that changed together (one etcd revision, or one read) and
 * answers, for each member it brought up to date or could not, {@code {name, member, reason or null}}.
 * Called on the agent's apply thread only, never concurrently.
 *
 * <p>All members one change affects are resolved first; a bean any of whose members is refused (a value
 * that does not convert, or does not validate) is left wholly as it was; then the writes of all other beans
 * are made together, fenced so that another thread that sees one of them sees the objects it refers to
 * complete. Application listeners of Spring Cloud's {@code EnvironmentChangeEvent}, when Spring Cloud is
 * there, hear of the change after the beans have it.
 */
public final class LiveContext implements Function<Set<String>, List<String[]>> {

    private static final String ENVIRONMENT_CHANGE_EVENT =
            "org.springframework.cloud.context.environment.EnvironmentChangeEvent";

    /**
     * Holds every live context from the application's own class loader: the agent holds them weakly,
     * so an undeployed application's loader, its context and this go together.
     */
    private static final Set<LiveContext> LIVE = ConcurrentHashMap.newKeySet();
    /**
     * The loader of the application's Spring, where the agent defined this class: not the context's
     * {@code getClassLoader()}, which without one set answers the calling thread's, the agent's.
     */
    private static final ClassLoader SPRING_LOADER = LiveContext.class.getClassLoader();
    /** Spring Cloud's {@code EnvironmentChangeEvent(Object, Set)}, or null without Spring Cloud. */
    private static final Constructor<?> ENVIRONMENT_CHANGE = environmentChangeEvent();

    private final ConfigurableApplicationContext context;
    private final ConfigurableListableBeanFactory beanFactory;
    /** (level, message): the agent's log. */
    private final BiConsumer<String, String> log;
    /** Found at the first change, or when the application has settled. */
    private List<LiveTarget> targets;

    public LiveContext(Object context, BiConsumer<String, String> log) {
        this.context = (ConfigurableApplicationContext) context;
        this.beanFactory = this.context.getBeanFactory();
        this.log = log;
        LIVE.add(this);
    }

    /**
     * @param changed the property names that changed together; null: bring everything up to date (a
     *                change may have landed between a bean's creation and this context's refresh)
     * @return one {@code {name, member, reason or null}} per name and member it read; null once the
     *         context is closed, and the agent forgets it
     */
    @Override
    public List<String[]> apply(Set<String> changed) {
        if (!context.isActive()) {
            LIVE.remove(this);
            return null;
        }
        Thread thread = Thread.currentThread();
        ClassLoader agentLoader = thread.getContextClassLoader();
        thread.setContextClassLoader(SPRING_LOADER);
        try {
            if (targets == null) {
                targets = findTargets();
            }
            return update(changed);
        } finally {
            thread.setContextClassLoader(agentLoader);
        }
    }

    private List<String[]> update(Set<String> changedNames) {
        // Relaxed form to the names as etcd spells them.
        Map<String, List<String>> spelled = new LinkedHashMap<>();
        if (changedNames != null) {
            for (String name : changedNames) {
                spelled.computeIfAbsent(Placeholders.relaxed(name), relaxed -> new ArrayList<>()).add(name);
            }
        }
        Set<String> changed = changedNames == null ? null : spelled.keySet();
        Map<Object, List<LiveTarget>> byBean = new IdentityHashMap<>();
        Map<LiveTarget, Set<String>> reads = new LinkedHashMap<>();
        for (LiveTarget target : targets) {
            Set<String> read = target.reads(changed);
            if (read == null || !read.isEmpty()) {
                reads.put(target, read);
                byBean.computeIfAbsent(target.bean(), bean -> new ArrayList<>()).add(target);
            }
        }
        List<String[]> outcomes = new ArrayList<>();
        List<Runnable> writes = new ArrayList<>();
        List<LiveTarget> written = new ArrayList<>();
        for (List<LiveTarget> ofBean : byBean.values()) {
            Map<LiveTarget, Runnable> beanWrites = new LinkedHashMap<>();
            Map<LiveTarget, String> refused = new LinkedHashMap<>();
            for (LiveTarget target : ofBean) {
                try {
                    Runnable write = target.prepare();
                    if (write != null) {
                        beanWrites.put(target, write);
                    }
                } catch (Exception | LinkageError e) {
                    refused.put(target, target instanceof BoundProperties ? e.getMessage() : Reasons.of(e));
                }
            }
            for (LiveTarget target : ofBean) {
                String reason = refused.get(target);
                if (reason == null && !refused.isEmpty()) {
                    reason = "not applied: " + refused.keySet().iterator().next().describe()
                            + " of the same bean was refused, and a bean takes a change whole or not at all";
                }
                if (reason != null && changedNames == null) {
                    log.accept("WARN", target.describe() + " keeps its value: " + reason);
                }
                for (String name : spelledNames(reads.get(target), spelled)) {
                    outcomes.add(new String[] {name, target.describe(), reason});
                }
            }
            if (refused.isEmpty()) {
                writes.addAll(beanWrites.values());
                written.addAll(beanWrites.keySet());
            }
        }
        write(writes, written, outcomes);
        if (!written.isEmpty() && changedNames != null) {
            announce(changedNames);
        }
        return outcomes;
    }

    /** Every write back to back, fenced: see the class comment. */
    private void write(List<Runnable> writes, List<LiveTarget> written, List<String[]> outcomes) {
        if (writes.isEmpty()) {
            return;
        }
        VarHandle.releaseFence();
        for (int i = 0; i < writes.size(); i++) {
            try {
                writes.get(i).run();
            } catch (RuntimeException | LinkageError e) {
                // Only a method the application wrote can throw here.
                String member = written.get(i).describe();
                log.accept("WARN", member + " threw " + e.getClass().getName() + " when called with the new value");
                for (String[] outcome : outcomes) {
                    if (outcome[1].equals(member) && outcome[2] == null) {
                        outcome[2] = "the method threw " + e.getClass().getSimpleName();
                    }
                }
            }
        }
        VarHandle.fullFence();
        for (LiveTarget target : written) {
            log.accept("DEBUG", target.describe() + " brought up to date");
        }
    }

    private static List<String> spelledNames(Set<String> read, Map<String, List<String>> spelled) {
        List<String> names = new ArrayList<>();
        if (read == null) {
            // Everything: a name per relaxed form the change had, if any.
            spelled.values().forEach(names::addAll);
            return names;
        }
        for (String relaxed : read) {
            names.addAll(spelled.getOrDefault(relaxed, List.of()));
        }
        return names;
    }

    /** Spring Cloud's applications listen for this event; after the beans were updated, never before. */
    private void announce(Set<String> changedNames) {
        if (ENVIRONMENT_CHANGE == null) {
            return;
        }
        try {
            context.publishEvent((ApplicationEvent) ENVIRONMENT_CHANGE.newInstance(context,
                    Collections.unmodifiableSet(new LinkedHashSet<>(changedNames))));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            log.accept("WARN", "Spring Cloud's EnvironmentChangeEvent could not be published: " + Reasons.of(e));
        }
    }

    /** Looked up once: a class that is not there costs a search of every jar at each change. */
    private static Constructor<?> environmentChangeEvent() {
        if (!ClassUtils.isPresent(ENVIRONMENT_CHANGE_EVENT, SPRING_LOADER)) {
            return null;
        }
        try {
            return ClassUtils.forName(ENVIRONMENT_CHANGE_EVENT, SPRING_LOADER).getConstructor(Object.class, Set.class);
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    private List<LiveTarget> findTargets() {
        List<LiveTarget> found = new ArrayList<>();
        List<String> notLive = new ArrayList<>();
        boolean boot = BoundProperties.available(SPRING_LOADER);
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (String name : beanFactory.getSingletonNames()) {
            Object bean = singleton(name);
            if (bean == null || !seen.add(bean)) {
                continue;
            }
            Class<?> type = ClassUtils.getUserClass(bean);
            try {
                found.addAll(ValueMember.of(beanFactory, name, bean, type));
                if (boot) {
                    BoundProperties properties = BoundProperties.of(context, name, bean, type, notLive);
                    if (properties != null) {
                        found.add(properties);
                    }
                }
            } catch (RuntimeException | LinkageError e) {
                log.accept("DEBUG", "Spring bean '" + name + "' (" + type.getName() + ") is not followed: "
                        + Reasons.of(e));
            }
        }
        if (!notLive.isEmpty()) {
            log.accept("INFO", "these Spring @ConfigurationProperties beans keep the values they were created with"
                    + " (a restart applies a change): " + String.join(", ", notLive)
                    + "; give one setters and a constructor without arguments to have it follow etcd");
        }
        log.accept("DEBUG", "Spring context " + context.getId() + ": " + found.size() + " members follow etcd");
        return found;
    }

    /**
     * The bean object behind a singleton name, unwrapped from AOP proxies; null for beans that are not
     * plain singletons (a refresh-scoped bean's target is Spring Cloud's to rebuild, a prototype's
     * next instance reads the properties anew).
     */
    private Object singleton(String name) {
        if (name.startsWith("scopedTarget.")) {
            return null;
        }
        if (beanFactory.containsBeanDefinition(name)) {
            BeanDefinition definition = beanFactory.getMergedBeanDefinition(name);
            if (!definition.isSingleton()) {
                return null;
            }
        }
        Object bean = beanFactory.getSingleton(name);
        while (bean instanceof Advised) {
            bean = AopProxyUtils.getSingletonTarget(bean);
        }
        return bean;
    }
}
