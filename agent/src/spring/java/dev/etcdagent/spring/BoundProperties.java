package dev.etcdagent.spring;

import java.beans.PropertyDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.ConfigurationPropertiesBean;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindingPostProcessor;
import org.springframework.boot.context.properties.bind.BindMethod;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;
import org.springframework.util.ObjectUtils;
import org.springframework.util.ReflectionUtils;

/**
 * A {@code @ConfigurationProperties} bean bound through setters or fields (a JavaBean), re-bound when a
 * property under its prefix changes. A fresh instance is bound and validated by Spring Boot's own
 * binding post-processor, exactly as at start (relaxed names, lists, maps, nested objects,
 * {@code Duration}, {@code DataSize}, {@code @Validated}); only when that succeeds are the fields behind
 * its properties that differ copied into the live bean, one after the other with no other code in
 * between. A value that does not convert or validate leaves the bean as it was.
 *
 * <p>Loaded only when Spring Boot is on the application's class path.
 */
final class BoundProperties implements LiveTarget {

    private static final String CONFIGURATION_PROPERTIES_BEAN =
            "org.springframework.boot.context.properties.ConfigurationPropertiesBean";

    private final ConfigurableApplicationContext context;
    private final String beanName;
    private final Object bean;
    private final String prefix;
    private final String relaxedPrefix;
    private final Constructor<?> constructor;
    private final List<Field> fields = new ArrayList<>();
    /** Spring Boot's binding post-processor: what bound the bean at start binds its fresh copies. */
    private ConfigurationPropertiesBindingPostProcessor binder;

    private BoundProperties(ConfigurableApplicationContext context, String beanName, Object bean, String prefix,
                            Constructor<?> constructor) {
        this.context = context;
        this.beanName = beanName;
        this.bean = bean;
        this.prefix = prefix;
        this.relaxedPrefix = Placeholders.relaxed(prefix);
        this.constructor = constructor;
        // Only the fields behind the bean's properties, which the binder sets: state that Spring's callbacks
        // or the bean's own code keep (a class loader from BeanClassLoaderAware, say) is not the binder's.
        Set<String> properties = new HashSet<>();
        for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(constructor.getDeclaringClass())) {
            if (property.getWriteMethod() != null || property.getReadMethod() != null) {
                properties.add(property.getName());
            }
        }
        for (Class<?> type = constructor.getDeclaringClass(); type != null && type != Object.class;
             type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers()) && properties.contains(field.getName())) {
                    ReflectionUtils.makeAccessible(field);
                    fields.add(field);
                }
            }
        }
    }

    static boolean available(ClassLoader loader) {
        return ClassUtils.isPresent(CONFIGURATION_PROPERTIES_BEAN, loader);
    }

    /**
     * The live target of {@code bean} when it is a JavaBean-bound properties bean; a properties bean that
     * cannot be re-bound in place is added to {@code notLive}, named with the reason.
     */
    static BoundProperties of(ConfigurableApplicationContext context, String beanName, Object bean, Class<?> type,
                              List<String> notLive) {
        ConfigurationPropertiesBean properties = ConfigurationPropertiesBean.get(context, bean, beanName);
        if (properties == null) {
            return null;
        }
        String named = beanName + " (" + type.getName() + ")";
        if (properties.asBindTarget().getBindMethod() == BindMethod.VALUE_OBJECT) {
            notLive.add(named + ": bound through its constructor");
            return null;
        }
        Constructor<?> constructor;
        try {
            constructor = ReflectionUtils.accessibleConstructor(type);
        } catch (NoSuchMethodException | RuntimeException e) {
            notLive.add(named + ": no constructor without arguments to bind a fresh copy with");
            return null;
        }
        return new BoundProperties(context, beanName, bean, properties.getAnnotation().prefix(), constructor);
    }

    @Override
    public Object bean() {
        return bean;
    }

    @Override
    public String describe() {
        return "Spring @ConfigurationProperties(\"" + prefix + "\") bean '" + beanName + "'";
    }

    @Override
    public Set<String> reads(Set<String> changed) {
        if (changed == null) {
            return null;
        }
        Set<String> read = new LinkedHashSet<>();
        for (String name : changed) {
            // Relaxed names: "promo.nested.code", "promo.maxItems", "promo.max-items", "promo.items[0]".
            if (relaxedPrefix.isEmpty() || name.equals(relaxedPrefix) || name.startsWith(relaxedPrefix + ".")
                    || name.startsWith(relaxedPrefix + "[")) {
                read.add(name);
            }
        }
        return read;
    }

    @Override
    public Runnable prepare() throws Exception {
        Object copy = BeanUtils.instantiateClass(constructor);
        if (binder == null) {
            binder = context.getBean(ConfigurationPropertiesBindingPostProcessor.BEAN_NAME,
                    ConfigurationPropertiesBindingPostProcessor.class);
        }
        try {
            binder.postProcessBeforeInitialization(copy, beanName);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(BindFailure.describe(e, prefix), e);
        }
        List<Field> changed = new ArrayList<>();
        for (Field field : fields) {
            if (!ObjectUtils.nullSafeEquals(field.get(copy), field.get(bean))) {
                changed.add(field);
            }
        }
        if (changed.isEmpty()) {
            return null;
        }
        return () -> {
            for (Field field : changed) {
                ReflectionUtils.setField(field, bean, ReflectionUtils.getField(field, copy));
            }
        };
    }
}
