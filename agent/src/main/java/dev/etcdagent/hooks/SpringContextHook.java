package dev.etcdagent.hooks;

/**
 * Called from Spring's {@code AbstractApplicationContext.finishRefresh()}, as the agent rewrote it: by
 * then every non-lazy singleton bean exists, and the agent can make their {@code @Value} members and
 * {@code @ConfigurationProperties} beans follow etcd.
 */
public final class SpringContextHook {

    /** The agent's side of the hook; {@code context} is the refreshed application context. */
    public interface Listener {
        void refreshed(Object context);
    }

    private static volatile Listener listener;

    private SpringContextHook() {
    }

    public static void install(Listener newListener) {
        listener = newListener;
    }

    public static void refreshed(Object context) {
        Listener current = listener;
        if (current == null) {
            return;
        }
        try {
            current.refreshed(context);
        } catch (Throwable ignored) {
            // The application's context starts whatever the agent makes of it.
        }
    }
}
