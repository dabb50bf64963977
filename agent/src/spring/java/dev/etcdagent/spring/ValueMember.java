package dev.etcdagent.spring;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.beans.TypeConverter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanExpressionContext;
import org.springframework.beans.factory.config.BeanExpressionResolver;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.DependencyDescriptor;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ObjectUtils;
import org.springframework.util.ReflectionUtils;

/**
 * An {@code @Value} field, or an {@code @Value} (or {@code @Autowired}) method with {@code @Value}
 * parameters, of one singleton bean. Its new value is resolved exactly as Spring injected it: through
 * the bean factory's {@code resolveDependency}, which resolves the placeholders against the
 * {@code Environment}, evaluates {@code #{...}} and converts with the factory's own conversion service.
 */
final class ValueMember implements LiveTarget {

    private final ConfigurableListableBeanFactory beanFactory;
    private final String beanName;
    private final Object bean;
    private final Field field;
    private final Method method;
    private final DependencyDescriptor[] dependencies;
    /** Per dependency, the {@code @Value} expression it injects, or null (another bean, resolved as Spring does). */
    private final String[] injected;
    /** Relaxed names it reads; {@link #readsAnything}: a {@code #{...}} expression may read any. */
    private final Set<String> names;
    private final boolean readsAnything;
    /** A method's arguments as last resolved: it is called again only when they change. */
    private Object[] lastArguments;

    private ValueMember(ConfigurableListableBeanFactory beanFactory, String beanName, Object bean, Field field,
                        Method method, DependencyDescriptor[] dependencies, String[] injected,
                        List<String> expressions) {
        this.beanFactory = beanFactory;
        this.beanName = beanName;
        this.bean = bean;
        this.field = field;
        this.method = method;
        this.dependencies = dependencies;
        this.injected = injected;
        this.names = Placeholders.of(expressions.toArray(new String[0]));
        this.readsAnything = expressions.stream().anyMatch(expression -> expression.contains("#{"));
    }

    /** The {@code @Value} members of {@code bean}, an instance of {@code type} (its class without proxies). */
    static List<ValueMember> of(ConfigurableListableBeanFactory beanFactory, String beanName, Object bean,
                                Class<?> type) {
        List<ValueMember> members = new ArrayList<>();
        ReflectionUtils.doWithFields(type, field -> {
            Value value = AnnotatedElementUtils.findMergedAnnotation(field, Value.class);
            if (value != null && !Modifier.isStatic(field.getModifiers()) && accessible(field)) {
                members.add(new ValueMember(beanFactory, beanName, bean, field, null,
                        new DependencyDescriptor[] {new DependencyDescriptor(field, true)},
                        new String[] {value.value()}, List.of(value.value())));
            }
        });
        for (Method method : ReflectionUtils.getUniqueDeclaredMethods(type, ReflectionUtils.USER_DECLARED_METHODS)) {
            ValueMember member = ofMethod(beanFactory, beanName, bean, method);
            if (member != null) {
                members.add(member);
            }
        }
        return members;
    }

    private static ValueMember ofMethod(ConfigurableListableBeanFactory beanFactory, String beanName, Object bean,
                                        Method method) {
        if (Modifier.isStatic(method.getModifiers()) || method.isBridge() || method.getParameterCount() == 0) {
            return null;
        }
        Value onMethod = AnnotatedElementUtils.findMergedAnnotation(method, Value.class);
        List<String> expressions = new ArrayList<>();
        if (onMethod != null) {
            expressions.add(onMethod.value());
        }
        DependencyDescriptor[] dependencies = new DependencyDescriptor[method.getParameterCount()];
        String[] injected = new String[dependencies.length];
        for (int i = 0; i < dependencies.length; i++) {
            MethodParameter parameter = new MethodParameter(method, i);
            Value onParameter = parameter.getParameterAnnotation(Value.class);
            if (onParameter != null) {
                expressions.add(onParameter.value());
                injected[i] = onParameter.value();
            } else if (onMethod != null) {
                // As Spring does: a parameter without its own @Value takes the method's.
                injected[i] = onMethod.value();
            }
            dependencies[i] = new DependencyDescriptor(parameter, true);
        }
        // Spring injects methods marked @Value, or @Autowired ones; only those reading a placeholder can change.
        boolean calledBySpring = onMethod != null || AnnotatedElementUtils.hasAnnotation(method, Autowired.class);
        if (!calledBySpring || expressions.isEmpty() || !accessible(method)) {
            return null;
        }
        ValueMember member = new ValueMember(beanFactory, beanName, bean, null, method, dependencies, injected,
                expressions);
        try {
            // What the method was called with at start, as nearly as can be told now: called again only on a change.
            member.lastArguments = member.resolve();
        } catch (RuntimeException e) {
            member.lastArguments = null;
        }
        return member;
    }

    private static boolean accessible(java.lang.reflect.AccessibleObject member) {
        try {
            member.setAccessible(true);
            return true;
        } catch (RuntimeException e) {
            // A bean class in a named module that does not open its package: left as Spring injected it.
            return false;
        }
    }

    @Override
    public Object bean() {
        return bean;
    }

    @Override
    public String describe() {
        return "Spring bean '" + beanName + "' " + (field != null ? "field " + field.getName()
                : "method " + method.getName() + "()");
    }

    @Override
    public Set<String> reads(Set<String> changed) {
        if (changed == null || readsAnything) {
            return changed;
        }
        Set<String> read = new LinkedHashSet<>();
        for (String name : changed) {
            if (names.contains(name)) {
                read.add(name);
            }
        }
        return read;
    }

    @Override
    public Runnable prepare() throws Exception {
        Object[] resolved = resolve();
        if (field != null) {
            Object value = resolved[0];
            if (ObjectUtils.nullSafeEquals(value, field.get(bean))) {
                return null;
            }
            return () -> ReflectionUtils.setField(field, bean, value);
        }
        if (lastArguments != null && Arrays.deepEquals(resolved, lastArguments)) {
            return null;
        }
        return () -> {
            lastArguments = resolved;
            ReflectionUtils.invokeMethod(method, bean, resolved);
        };
    }

    private Object[] resolve() {
        Object[] values = new Object[dependencies.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = injected[i] != null ? resolveValue(injected[i], dependencies[i])
                    : beanFactory.resolveDependency(dependencies[i], beanName, null, null);
        }
        return values;
    }

    /**
     * An {@code @Value} expression, resolved the way the bean factory's {@code resolveDependency} resolves it
     * (placeholders, then {@code #{...}}, then the type converter with the member's type descriptor), without
     * looking the annotation up again at every change.
     */
    private Object resolveValue(String expression, DependencyDescriptor dependency) {
        Object value = beanFactory.resolveEmbeddedValue(expression);
        BeanExpressionResolver evaluator = beanFactory.getBeanExpressionResolver();
        if (evaluator != null && value != null) {
            value = evaluator.evaluate((String) value, new BeanExpressionContext(beanFactory, null));
        }
        TypeConverter converter = beanFactory.getTypeConverter();
        try {
            return converter.convertIfNecessary(value, dependency.getDependencyType(), dependency.getTypeDescriptor());
        } catch (UnsupportedOperationException e) {
            // A custom TypeConverter without TypeDescriptor support, as Spring falls back to.
            return dependency.getField() != null
                    ? converter.convertIfNecessary(value, dependency.getDependencyType(), dependency.getField())
                    : converter.convertIfNecessary(value, dependency.getDependencyType(), dependency.getMethodParameter());
        }
    }
}
