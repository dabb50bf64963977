package dev.etcdagent.agent.registration;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.concurrent.Executor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import dev.etcdagent.agent.config.AgentArguments;
import dev.etcdagent.agent.log.AgentLog;
import dev.etcdagent.hooks.ServerSocketHook;

/**
 * The JVM's registration: {@code {service}/{instance}} → the naming JSON etcd's own endpoints
 * manager writes, published on the JVM's {@link Presence} while the listening socket is open.
 *
 * <p>The socket is the first bind that matches {@code port} (or {@code address=host:port}, with
 * nothing to detect). A socket is a token: a {@code ServerSocket}, a {@code ServerSocketChannel},
 * or an {@code InetSocketAddress} for a bind seen elsewhere (native transports); the same object
 * passed to {@link #closed} withdraws the key. State lives on the apply loop.
 */
public final class Registration implements ServerSocketHook.Listener {

    /** Told on the apply loop of the registered {@code host:port}, and of null when it is withdrawn. */
    public interface AddressListener {
        void address(String hostPort);
    }

    private final AgentArguments arguments;
    private final Presence presence;
    private final AddressListener addressListener;
    private final Executor loop;

    private Object socket;
    private String key;
    // Apply loop only.
    private InetSocketAddress registeredLocal;
    private PortChoice choice;
    private long registeredNanos;
    private int toldOthers;

    public Registration(AgentArguments arguments, Presence presence, AddressListener addressListener, Executor loop) {
        this.arguments = arguments;
        this.presence = presence;
        this.addressListener = addressListener;
        this.loop = loop;
    }

    /** With {@code address=host:port} there is nothing to detect: register as soon as etcd answers. */
    public void start() {
        if (arguments.address() != null) {
            loop.execute(() -> listening(arguments.address(), arguments.address()));
        }
    }

    @Override
    public void bound(Object boundSocket) {
        if (arguments.address() != null) {
            return;
        }
        InetSocketAddress local = localAddress(boundSocket);
        if (local == null || (arguments.port() != 0 && local.getPort() != arguments.port())) {
            return;
        }
        loop.execute(() -> {
            int port = local.getPort();
            String host = arguments.host() != null ? arguments.host() : AdvertisedHost.forBinding(local.getAddress());
            if (arguments.port() == 0 && !chosen(boundSocket, local, host + ":" + port)) {
                return;
            }
            if (socket == null) {
                listening(boundSocket, host + ":" + port);
                registeredLocal = local;
                registeredNanos = System.nanoTime();
            }
        });
    }

    /**
     * Without {@code port=}: whether this listener may be registered now, by {@link PortChoice}'s rule;
     * it replaces the registered one when it is the application's named port.
     */
    private boolean chosen(Object boundSocket, InetSocketAddress local, String hostPort) {
        if (choice == null) {
            choice = PortChoice.of(System::getProperty, System::getenv, jvmArguments(),
                    System.getProperty("jboss.modules.system.pkgs") != null);
        }
        int port = local.getPort();
        if (!choice.accepts(port)) {
            AgentLog.debug("not registering port " + port + ": it is " + choice.excluded.get(port));
            return false;
        }
        if (socket == null) {
            return true;
        }
        int current = registeredLocal.getPort();
        boolean reachableBefore = !registeredLocal.getAddress().isLoopbackAddress();
        boolean onlyLoopback = local.getAddress().isLoopbackAddress();
        // A loopback-only listener (Tomcat's shutdown port) never replaces one other hosts can reach.
        if (!(reachableBefore && onlyLoopback) && choice.prefers(port, current, System.nanoTime() - registeredNanos)) {
            AgentLog.info("registering port " + port + " instead of " + current + ": " + (choice.preferred != 0
                    ? port + " is the application's port (" + choice.preferredBy + ")"
                    : "both opened within " + PortChoice.SETTLE_NANOS / 1_000_000 + " ms, and the lower port is taken")
                    + "; give port= to choose another");
            String oldKey = key;
            // The new key first: withdrawing the only key would revoke the lease.
            listening(boundSocket, hostPort);
            registeredLocal = local;
            registeredNanos = System.nanoTime();
            if (!oldKey.equals(key)) {
                presence.withdraw(oldKey);
            }
            return false;
        }
        if (port != current && !(reachableBefore && onlyLoopback) && toldOthers++ < 3) {
            AgentLog.info("registered port " + current + ", the first listener this JVM opened; it also listens on "
                    + port + ": give port=" + port + " to register that one instead");
        }
        return false;
    }

    private static List<String> jvmArguments() {
        try {
            return ProcessHandle.current().info().arguments().map(List::of).orElse(List.of());
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    @Override
    public void closed(Object closedSocket) {
        loop.execute(() -> {
            if (socket == null || closedSocket != socket) {
                return;
            }
            AgentLog.info("server socket of " + key + " closed: withdrawing it");
            presence.withdraw(key);
            socket = null;
            key = null;
            addressListener.address(null);
        });
    }

    private void listening(Object token, String hostPort) {
        socket = token;
        String instance = arguments.instance() != null ? arguments.instance() : hostPort;
        key = arguments.service() + "/" + instance;
        presence.publish(key, namingJson(hostPort));
        addressListener.address(hostPort);
    }

    /**
     * Exactly what etcd's endpoints manager writes for an endpoint without metadata: gRPC's Go
     * resolver copies {@code Metadata} into its address, and {@code round_robin} panics on an object.
     */
    static byte[] namingJson(String hostPort) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = Json.FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberField("Op", 0);
            json.writeStringField("Addr", hostPort);
            json.writeNullField("Metadata");
            json.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static InetSocketAddress localAddress(Object boundSocket) {
        try {
            SocketAddress local = null;
            if (boundSocket instanceof InetSocketAddress) {
                local = (SocketAddress) boundSocket;
            } else if (boundSocket instanceof ServerSocket) {
                local = ((ServerSocket) boundSocket).getLocalSocketAddress();
            } else if (boundSocket instanceof ServerSocketChannel) {
                local = ((ServerSocketChannel) boundSocket).getLocalAddress();
            }
            return local instanceof InetSocketAddress ? (InetSocketAddress) local : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Loaded at first use, not with this class: premain builds this class, and Jackson costs ~15 ms to load. */
    private static final class Json {
        static final JsonFactory FACTORY = new JsonFactory();
    }
}
