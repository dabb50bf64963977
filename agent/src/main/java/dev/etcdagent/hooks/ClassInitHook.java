package dev.etcdagent.hooks;

/**
 * Called by the agent-rewritten static initialiser of every class that declares {@code @Dynamic}
 * or {@code @Discover} fields, right after the class's own initialiser code.
 *
 * <p>Defined in the bootstrap class loader at start so that classes of any class loader reach the one
 * copy. Its package is in no published jar, so no application can package a copy that shadows it
 * (a child-first loader with its own copy would call a hook nobody listens to). Nothing it calls
 * may throw into the application's class initialisation.
 */
public final class ClassInitHook {

    /** The agent's side of the hook. */
    public interface Listener {
        /** {@code fields}: the class's annotated fields as the agent read them from its bytes. */
        void initialized(Class<?> type, String fields);
    }

    private static volatile Listener listener;

    private ClassInitHook() {
    }

    public static void install(Listener newListener) {
        listener = newListener;
    }

    public static void initialized(Class<?> type, String fields) {
        Listener current = listener;
        if (current == null) {
            return;
        }
        try {
            current.initialized(type, fields);
        } catch (Throwable ignored) {
            // The agent logs its own failures; an application's class must initialise regardless.
        }
    }
}
