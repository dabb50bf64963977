package dev.etcdagent.agent.registration;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import dev.etcdagent.agent.config.AgentArguments;
import dev.etcdagent.agent.etcd.Change;
import dev.etcdagent.agent.etcd.Errors;
import dev.etcdagent.agent.etcd.EtcdSession;
import dev.etcdagent.agent.etcd.KeyWatch;
import dev.etcdagent.agent.etcd.WatchHandler;
import dev.etcdagent.agent.log.AgentLog;
import dev.etcdagent.hooks.ServerSocketHook;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.options.PutOption;

/**
 * The JVM's registration: {@code {service}/{instance}} → etcd's naming JSON, bound to a lease
 * of {@code ttl} seconds.
 *
 * <p>jetcd never grants a lost lease again and its streaming keep-alive can end silently, so the
 * agent keeps the lease itself: one keep-alive call every ttl/3, a watch on its own key (an
 * operator's {@code lease revoke} or {@code del} puts it back at once), and on every reconnection
 * the lease is checked and the key put again. All state lives on the agent thread.
 */
public final class Registration implements ServerSocketHook.Listener, EtcdSession.Listener {

    private static final long SHUTDOWN_REVOKE_MILLIS = 500;

    private final AgentArguments arguments;
    private final EtcdSession session;
    private final String startedAt = Instant.now().toString();

    private Object socket;
    private String address;
    private String key;
    private ByteSequence value;
    private volatile long leaseId;
    private long keyRevision;
    private boolean registering;
    private ScheduledFuture<?> keepAlive;
    private KeyWatch ownKeyWatch;

    public Registration(AgentArguments arguments, EtcdSession session) {
        this.arguments = arguments;
        this.session = session;
    }

    /** With {@code address=host:port} there is nothing to detect: register as soon as etcd answers. */
    public void start() {
        if (arguments.address() != null) {
            session.loop().execute(() -> listening(null, arguments.address()));
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
        session.loop().execute(() -> {
            if (socket == null) {
                String host = arguments.host() != null ? arguments.host() : AdvertisedHost.forBinding(local.getAddress());
                listening(boundSocket, host + ":" + local.getPort());
            }
        });
    }

    @Override
    public void closed(Object closedSocket) {
        session.loop().execute(() -> {
            if (closedSocket != socket || socket == null) {
                return;
            }
            AgentLog.info("server socket " + address + " closed: withdrawing " + key);
            withdraw();
            socket = null;
            address = null;
        });
    }

    @Override
    public void connected(long clusterId, boolean clusterChanged) {
        if (address != null) {
            ensure(clusterChanged);
        }
    }

    private void listening(Object boundSocket, String hostPort) {
        socket = boundSocket;
        address = hostPort;
        String instance = arguments.instance() != null ? arguments.instance() : hostPort;
        key = arguments.service() + "/" + instance;
        value = ByteSequence.from(namingJson(hostPort), StandardCharsets.UTF_8);
        leaseId = 0;
        if (session.isConnected()) {
            ensure(false);
        }
    }

    /** Makes sure a live lease exists and the key is on it; on the agent thread. */
    private void ensure(boolean newCluster) {
        if (registering || address == null) {
            return;
        }
        long lease = newCluster ? 0 : leaseId;
        if (lease == 0) {
            grantAndPut();
            return;
        }
        registering = true;
        session.call(client -> client.getLeaseClient().keepAliveOnce(lease)).whenComplete((response, error) -> {
            registering = false;
            if (lease != leaseId) {
                return;
            }
            if (error == null && response.getTTL() > 0) {
                put(lease, false);
            } else if (error == null || !session.isConnected() || Errors.isLeaseNotFound(error)) {
                if (session.isConnected()) {
                    AgentLog.info("lease " + Long.toHexString(lease) + " of " + key + " is gone; granting a new one");
                    grantAndPut();
                }
            }
        });
    }

    private void grantAndPut() {
        if (registering || address == null) {
            return;
        }
        registering = true;
        stopKeepAlive();
        long ttl = arguments.ttl().getSeconds();
        session.call(client -> client.getLeaseClient().grant(ttl)).whenComplete((grant, error) -> {
            registering = false;
            if (error != null) {
                if (session.isConnected()) {
                    AgentLog.warn("cannot grant a lease for " + key + ": " + AgentLog.describe(error)
                            + permissionHint(error) + "; trying again in 1 s");
                    session.scheduler().schedule(() -> ensure(false), 1, TimeUnit.SECONDS);
                }
                return;
            }
            leaseId = grant.getID();
            put(leaseId, true);
        });
    }

    private void put(long lease, boolean fresh) {
        String putKey = key;
        session.call(client -> client.getKVClient().put(ByteSequence.from(putKey, StandardCharsets.UTF_8), value,
                PutOption.builder().withLeaseId(lease).build())).whenComplete((response, error) -> {
                    if (lease != leaseId || !putKey.equals(key)) {
                        return;
                    }
                    if (error != null) {
                        if (session.isConnected()) {
                            AgentLog.warn("cannot register " + putKey + ": " + AgentLog.describe(error)
                                    + permissionHint(error) + "; trying again in 1 s");
                            session.scheduler().schedule(() -> ensure(false), 1, TimeUnit.SECONDS);
                        }
                        return;
                    }
                    keyRevision = response.getHeader().getRevision();
                    if (fresh) {
                        AgentLog.info("registered " + putKey + " -> " + address + " (lease "
                                + Long.toHexString(lease) + ", ttl " + arguments.ttl().getSeconds() + " s)");
                    }
                    startKeepAlive();
                    watchOwnKey();
                });
    }

    private void startKeepAlive() {
        stopKeepAlive();
        long period = Math.max(200, arguments.ttl().toMillis() / 3);
        keepAlive = session.scheduler().scheduleWithFixedDelay(this::keepAliveOnce, period, period,
                TimeUnit.MILLISECONDS);
    }

    private void stopKeepAlive() {
        if (keepAlive != null) {
            keepAlive.cancel(false);
            keepAlive = null;
        }
    }

    private void keepAliveOnce() {
        long lease = leaseId;
        if (lease == 0 || !session.isConnected() || registering) {
            return;
        }
        session.call(client -> client.getLeaseClient().keepAliveOnce(lease)).whenComplete((response, error) -> {
            if (lease != leaseId || registering) {
                return;
            }
            if ((error == null && response.getTTL() <= 0) || (error != null && Errors.isLeaseNotFound(error))) {
                AgentLog.warn("lease " + Long.toHexString(lease) + " of " + key
                        + " expired or was revoked; registering again");
                leaseId = 0;
                grantAndPut();
            }
        });
    }

    /** An operator's {@code lease revoke} or {@code del} deletes the key: put it back at once. */
    private void watchOwnKey() {
        if (ownKeyWatch != null) {
            ownKeyWatch.close();
        }
        String watched = key;
        ownKeyWatch = session.watch(watched, false, keyRevision + 1, new WatchHandler() {
            @Override
            public void changed(List<Change> changes) {
                for (Change change : changes) {
                    if (change.isDelete() && watched.equals(key) && change.revision > keyRevision) {
                        AgentLog.warn(watched + " was deleted in etcd (revision " + change.revision
                                + ") while this JVM lives; registering again");
                        ensure(false);
                    }
                }
            }

            @Override
            public void ended(Throwable error, boolean compacted) {
                ownKeyWatch = null;
                if (compacted && watched.equals(key)) {
                    ensure(false);
                }
            }
        });
    }

    private void withdraw() {
        stopKeepAlive();
        if (ownKeyWatch != null) {
            ownKeyWatch.close();
            ownKeyWatch = null;
        }
        long lease = leaseId;
        leaseId = 0;
        if (lease != 0 && session.isConnected()) {
            session.call(client -> client.getLeaseClient().revoke(lease));
        }
    }

    /** On JVM exit: revoke the lease so the key goes at once, waiting at most half a second. */
    public void shutdown() {
        long lease = leaseId;
        leaseId = 0;
        if (lease == 0 || !session.isConnected() || session.client() == null) {
            return;
        }
        try {
            session.client().getLeaseClient().revoke(lease).get(SHUTDOWN_REVOKE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            AgentLog.debug("revoking lease at exit failed; etcd will expire it within the ttl", e);
        }
    }

    private String permissionHint(Throwable error) {
        String message = AgentLog.describe(error).toLowerCase(java.util.Locale.ROOT);
        if (message.contains("permission denied")) {
            return " (the etcd user needs readwrite on " + arguments.service() + "/ and lease grant/keepalive)";
        }
        return "";
    }

    private String namingJson(String hostPort) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = Json.FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("Addr", hostPort);
            json.writeObjectFieldStart("Metadata");
            json.writeNumberField("pid", ProcessHandle.current().pid());
            json.writeStringField("hostname", hostname());
            json.writeStringField("startedAt", startedAt);
            json.writeStringField("agentVersion", AgentVersion.get());
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static InetSocketAddress localAddress(Object boundSocket) {
        try {
            SocketAddress local = null;
            if (boundSocket instanceof ServerSocket) {
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
