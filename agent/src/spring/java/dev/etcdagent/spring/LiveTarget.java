package dev.etcdagent.spring;

import java.util.Set;

/** Something in a bean that follows Spring's properties: an {@code @Value} member, or a whole properties bean. */
interface LiveTarget {

    /** The bean whose state this writes: every target of one bean is written, or refused, together. */
    Object bean();

    /** For log lines and status records, e.g. {@code Spring bean 'promoController' field enabled}; never a value. */
    String describe();

    /** Of {@code changed} (relaxed names; null: everything), those this target reads. */
    Set<String> reads(Set<String> changed);

    /**
     * Resolves the target's new state as Spring would now; throws when it does not convert or validate.
     * Returns the write that makes it so, or null when the bean already has it. Writes nothing itself.
     */
    Runnable prepare() throws Exception;
}
