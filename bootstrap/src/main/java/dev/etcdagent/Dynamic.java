package dev.etcdagent;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static field whose value follows a key in etcd.
 *
 * <p>The key is {@link #value()}: a name without a leading {@code /} is relative to the JVM's
 * configuration prefix ({@code /config/service/a} for {@code service=/service/a}), a name with one
 * is absolute, and no name means {@code <fully qualified class name>.<field name>}.
 * A put changes the field within milliseconds; a delete returns it to its declared value.
 * Without the agent the annotation does nothing and the field keeps its declared value.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Dynamic {
    /** The etcd key, relative to the configuration prefix unless it starts with {@code /}. */
    String value() default "";
}
