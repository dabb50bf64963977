package dev.etcdagent.hooks;

/**
 * Called from the JDK's server sockets ({@code java.net.ServerSocket} and
 * {@code sun.nio.ch.ServerSocketChannelImpl}) once a bind succeeded and when one closes,
 * so the agent learns the JVM's listening port without polling.
 */
public final class ServerSocketHook {

    /** The agent's side of the hook; {@code socket} is the ServerSocket or ServerSocketChannel. */
    public interface Listener {
        void bound(Object socket);

        void closed(Object socket);
    }

    private static volatile Listener listener;

    private ServerSocketHook() {
    }

    public static void install(Listener newListener) {
        listener = newListener;
    }

    public static void bound(Object socket) {
        Listener current = listener;
        if (current == null) {
            return;
        }
        try {
            current.bound(socket);
        } catch (Throwable ignored) {
            // Binding succeeded for the application whatever the agent makes of it.
        }
    }

    public static void closed(Object socket) {
        Listener current = listener;
        if (current == null) {
            return;
        }
        try {
            current.closed(socket);
        } catch (Throwable ignored) {
            // Closing must never fail because of the agent.
        }
    }
}
