package dev.etcdagent;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static field that follows the live addresses ({@code host:port}) of another service.
 *
 * <p>{@code List<String>} and {@code String[]} fields hold every live address, sorted and
 * immutable, replaced whole on each change. A {@code String} field holds one live address,
 * keeps it while it lives, moves to another when it goes, and returns to its declared value
 * when none is left. Without the agent the annotation does nothing.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Discover {
    /** The service id, e.g. {@code /service/b}. */
    String value();
}
