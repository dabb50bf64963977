package dev.etcdagent.agent;

import java.lang.instrument.Instrumentation;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.etcdagent.agent.boot.ClassDefiner;
import dev.etcdagent.agent.config.AgentArguments;
import dev.etcdagent.agent.discovery.Discovery;
import dev.etcdagent.agent.etcd.AgentLoop;
import dev.etcdagent.agent.etcd.DaemonThreads;
import dev.etcdagent.agent.etcd.EtcdSession;
import dev.etcdagent.agent.etcd.GatewayLeases;
import dev.etcdagent.agent.etcd.HandoverLeases;
import dev.etcdagent.agent.etcd.SessionLeases;
import dev.etcdagent.agent.fields.FieldBinder;
import dev.etcdagent.agent.instrument.AgentTransformer;
import dev.etcdagent.agent.instrument.HookVisibility;
import dev.etcdagent.agent.instrument.PropertyBridge;
import dev.etcdagent.agent.log.AgentLog;
import dev.etcdagent.agent.log.LibraryLogging;
import dev.etcdagent.agent.registration.ListenerScan;
import dev.etcdagent.agent.registration.Presence;
import dev.etcdagent.agent.registration.Registration;
import dev.etcdagent.agent.status.AgentJmx;
import dev.etcdagent.agent.spring.SpringContexts;
import dev.etcdagent.agent.status.AgentStatus;
import dev.etcdagent.agent.values.LiveValues;
import dev.etcdagent.agent.values.WatchedRange;
import dev.etcdagent.hooks.ClassInitHook;
import dev.etcdagent.hooks.ServerSocketHook;
import dev.etcdagent.hooks.SpringContextHook;

/**
 * Wires the agent together. In premain only what must happen before the application's first
 * class: arguments, hooks, the transformer, the property overlay. The etcd work (first read,
 * gRPC session, watches, registration) runs on the agent's daemon thread.
 */
final class AgentRuntime {

    private AgentRuntime() {
    }

    /**
     * Netty reads its settings from system properties; shading renamed the ones our copy reads, so
     * these reach only the agent's Netty, never the application's. Unpooled buffers: the agent's
     * traffic is small, and pooled arenas would cost ~17 MB of resident memory.
     */
    private static final Map<String, String> SHADED_NETTY_SETTINGS = Map.of(
            "dev.etcdagent.shaded.io.netty.allocator.type", "unpooled");

    /** @param definer defines classes in an application's class loader; null where it could not be opened */
    static void start(String agentArgs, Instrumentation instrumentation, ClassDefiner definer) {
        long startNanos = System.nanoTime();
        for (Map.Entry<String, String> setting : SHADED_NETTY_SETTINGS.entrySet()) {
            if (System.getProperty(setting.getKey()) == null) {
                System.setProperty(setting.getKey(), setting.getValue());
            }
        }
        AgentArguments arguments = AgentArguments.parse(agentArgs, systemProperties(), System.getenv());
        AgentLog.setLevel(arguments.logLevel());
        // First: JBoss Modules reads its system packages when its main starts, right after premain.
        HookVisibility.openJBossModules();
        for (String problem : arguments.problems()) {
            AgentLog.error(problem);
        }
        AgentLog.debug("arguments: " + arguments);

        // Two threads: etcd's calls, keep-alives and watches on one; conversion, application code and
        // file writes on the other, so that nothing the application does can delay a keep-alive.
        AgentLoop loop = AgentLoop.named("etcd-agent");
        AgentLoop apply = AgentLoop.named("etcd-agent-apply");
        EtcdSession session = new EtcdSession(arguments, loop);
        LiveValues values = new LiveValues(arguments, session, apply);
        session.addListener(values);

        long ttl = arguments.ttl().toSeconds();
        // Registered through etcd's JSON gateway while the gRPC session waits for the application to settle.
        boolean gatewayFirst = values.readsWithoutSession();
        SessionStart sessionStart = new SessionStart(session, loop, gatewayFirst);
        SessionLeases sessionLeases = new SessionLeases(session, ttl);
        HandoverLeases handover = gatewayFirst ? new HandoverLeases(
                new GatewayLeases(arguments.endpoints(), loop, ttl, sessionStart), sessionLeases) : null;
        Presence presence = new Presence(handover != null ? handover : sessionLeases, ttl);
        AgentStatus status = new AgentStatus(arguments.service(), arguments.statusPrefix(), arguments.instance(),
                apply, presence);
        status.labels(arguments.labels());
        if (values.config() != null) {
            status.onInstance(new ConfigScope(values.config(), arguments.labels(), loop));
        }
        // In this order on each connection: the ranges are read again, the status record claims
        // nothing until they are, the leases go through the session, and only then the presence
        // puts its keys back.
        session.addListener(status);
        if (handover != null) {
            session.addListener(handover);
        }
        session.addListener(presence);
        SpringContexts spring = null;
        if (arguments.configPrefix() != null) {
            PropertyBridge bridge = PropertyBridge.install(arguments.configPrefix(), status);
            values.config().listen(bridge);
            if (definer != null) {
                // After the property bridge: Spring reads the new values through the overlay.
                spring = new SpringContexts(arguments.configPrefix(), definer, apply, status, bridge.overlay());
                values.config().listen(spring);
                SpringContextHook.install(spring);
            }
        }
        ClassInitHook.install(new FieldBinder(arguments.configPrefix(), values, new Discovery(values),
                instrumentation, status, apply));

        Registration registration = null;
        if (arguments.service() != null) {
            registration = new Registration(arguments, presence, status, apply);
            sessionStart.registration = registration;
            ServerSocketHook.install(arguments.address() != null ? sessionStart
                    : ListenerScan.around(sessionStart, arguments.port(), apply));
            openJavaBaseTo(instrumentation);
        }
        AgentTransformer transformer = new AgentTransformer(registration != null, spring != null);
        instrumentation.addTransformer(transformer, true);
        if (registration != null) {
            retransformLoadedSocketClasses(instrumentation);
        }
        Runtime.getRuntime().addShutdownHook(new ExitHook(status, values, session, apply));

        AgentLog.debug("premain took " + (System.nanoTime() - startNanos) / 1_000_000 + " ms");

        loop.execute(new Starter(arguments, values, session, status, sessionStart));
    }

    /** Scoped overrides follow the instance id, on the etcd loop where the range's changes are told. */
    private static final class ConfigScope implements Consumer<String> {
        private final WatchedRange config;
        private final Map<String, String> labels;
        private final AgentLoop loop;

        ConfigScope(WatchedRange config, Map<String, String> labels, AgentLoop loop) {
            this.config = config;
            this.labels = labels;
            this.loop = loop;
        }

        @Override
        public void accept(String instance) {
            // Not a lambda: the first call may come in premain.
            loop.execute(new Runnable() {
                @Override
                public void run() {
                    config.scopeTo(instance, labels);
                }
            });
        }
    }

    /**
     * The etcd loop's first task: etcd's values first (through the JSON gateway when it can), then
     * the registration or the gRPC session, see {@link SessionStart}.
     */
    private static final class Starter implements Runnable {
        private final AgentArguments arguments;
        private final LiveValues values;
        private final EtcdSession session;
        private final AgentStatus status;
        private final SessionStart sessionStart;

        Starter(AgentArguments arguments, LiveValues values, EtcdSession session, AgentStatus status,
                SessionStart sessionStart) {
            this.arguments = arguments;
            this.values = values;
            this.session = session;
            this.status = status;
            this.sessionStart = sessionStart;
        }

        @Override
        public void run() {
            try {
                // Here, not in premain: lambdas, and the JMX classes, cost tens of milliseconds at first use.
                values.onProgress(status);
                session.addListener(new AgentJmx(session, status, arguments.endpoints()));
            } catch (Throwable error) {
                AgentLog.error("the agent could not start reading etcd's values; the application runs on", error);
            }
            // The first read on a thread of its own: a bind meanwhile is registered at once on the etcd
            // loop, instead of waiting ~100 ms behind the read's HTTP call and Jackson's first parse.
            DaemonThreads.factory("etcd-agent-first-read").newThread(this::readFirst).start();
        }

        private void readFirst() {
            try {
                values.readConfigAtStart();
            } catch (Throwable error) {
                AgentLog.error("the agent could not read etcd's values at start; the application runs on", error);
            }
            session.loop().execute(() -> {
                sessionStart.afterFirstRead(values.gatewayAnswered());
                values.followThroughGateway();
            });
        }
    }

    /**
     * Starts the gRPC session once, on the etcd loop. The session is most of the agent's start-up
     * CPU (about a second and a half of class loading and JIT for Vert.x, gRPC, Netty and protobuf), so
     * when etcd's JSON gateway can serve meanwhile (plain http, no user) it waits until the application
     * has settled: its first server socket is bound and registered through the gateway (or
     * {@link #NO_BIND_MILLIS} passed without one), and then the process used less than
     * {@link #QUIET_SHARE} of a core for {@link #QUIET_WINDOW_MILLIS}. An application that stays busy
     * gets it {@link #SETTLE_AT_MOST_MILLIS} after that at the latest; a Spring Boot application that
     * takes seconds to bind is still starting then. Nothing is missed meanwhile: the gateway is polled
     * for changes, the connected session reads every range again and watches from that read's revision
     * + 1, and takes over the registration's lease. It starts at once when the gateway stops answering,
     * and without the gateway (TLS, auth, a gRPC proxy, or no answer at start).
     */
    private static final class SessionStart implements Runnable, ServerSocketHook.Listener, Consumer<String> {
        private static final long NO_BIND_MILLIS = 3_000;
        private static final long QUIET_WINDOW_MILLIS = 250;
        private static final double QUIET_SHARE = 0.2;
        private static final long SETTLE_AT_MOST_MILLIS = 10_000;

        private final EtcdSession session;
        private final AgentLoop loop;
        private final boolean gatewayFirst;
        private final long createdNanos = System.nanoTime();
        /** Set in premain, before the hook can call. */
        Registration registration;
        private boolean started;
        private boolean registrationStarted;
        private long settleNanos;
        /** The process's CPU at the start of the current window; -1 before the first or where it cannot be read. */
        private long windowStartCpuMillis = -1;

        SessionStart(EtcdSession session, AgentLoop loop, boolean gatewayFirst) {
            this.session = session;
            this.loop = loop;
            this.gatewayFirst = gatewayFirst;
        }

        /** On the etcd loop, once etcd's values are in (or not: then the session starts at once). */
        void afterFirstRead(boolean gatewayAnswered) {
            if (!gatewayFirst || !gatewayAnswered) {
                run();
                return;
            }
            if (registration == null) {
                settle();
                return;
            }
            startRegistration();
            loop.schedule(this::settle, NO_BIND_MILLIS, TimeUnit.MILLISECONDS);
        }

        /** Starts the session now. */
        @Override
        public void run() {
            if (started) {
                return;
            }
            started = true;
            if (startSession(EtcdSession::start)) {
                startRegistration();
            }
        }

        /**
         * The JSON gateway found no member answering: the session takes over now, as a reconnection (a
         * session started but not connected yet says so too). {@code reason} null: no endpoint serves the
         * gateway (etcd's gRPC proxy); the session starts quietly.
         */
        @Override
        public void accept(String reason) {
            started = true;
            if (reason == null) {
                AgentLog.debug("the endpoints serve no JSON gateway; registering through the gRPC session");
                startSession(EtcdSession::start);
            } else {
                startSession(current -> current.startAfterLoss(reason));
            }
        }

        /** Whether the session could be asked to start. */
        private boolean startSession(Consumer<EtcdSession> how) {
            try {
                LibraryLogging.install();
                how.accept(session);
                return true;
            } catch (Throwable error) {
                AgentLog.error("the agent could not start its etcd session; the application runs on", error);
                return false;
            }
        }

        /** With {@code address=}, registers it: once, through the gateway or the session. */
        private void startRegistration() {
            if (registration != null && !registrationStarted) {
                registrationStarted = true;
                registration.start();
            }
        }

        /** From the first bind (or {@link #NO_BIND_MILLIS}): watches the process's CPU until it is quiet. */
        private void settle() {
            if (started || settleNanos != 0) {
                return;
            }
            settleNanos = System.nanoTime();
            windowStartCpuMillis = ProcessCpu.millis();
            loop.schedule(this::checkQuiet, QUIET_WINDOW_MILLIS, TimeUnit.MILLISECONDS);
        }

        /** At the end of each window; where the process's CPU cannot be read, one window stands in for quiet. */
        private void checkQuiet() {
            if (started) {
                return;
            }
            long cpuMillis = ProcessCpu.millis();
            boolean unknown = cpuMillis < 0 || windowStartCpuMillis < 0;
            boolean quiet = !unknown && cpuMillis - windowStartCpuMillis <= QUIET_SHARE * QUIET_WINDOW_MILLIS;
            long settlingMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - settleNanos);
            if (quiet || unknown || settlingMillis >= SETTLE_AT_MOST_MILLIS) {
                AgentLog.debug("starting the etcd session "
                        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - createdNanos) + " ms after start ("
                        + (quiet ? "the application is quiet" : unknown ? "process CPU unknown" : "still busy") + ")");
                run();
                return;
            }
            windowStartCpuMillis = cpuMillis;
            loop.schedule(this::checkQuiet, QUIET_WINDOW_MILLIS, TimeUnit.MILLISECONDS);
        }

        @Override
        public void bound(Object socket) {
            registration.bound(socket);
            loop.execute(gatewayFirst ? this::settle : this);
        }

        @Override
        public void closed(Object socket) {
            registration.closed(socket);
        }
    }

    /**
     * The agent's one shutdown hook: the keys go first (before the application's own hooks can take
     * their time), then the last change reaches the snapshot, then the etcd client and its event
     * loops end, so that no agent thread sits in native code when the JVM exits (HotSpot would
     * wait up to 300 ms for it). Each step is bounded.
     */
    private static final class ExitHook extends Thread {
        private static final long REVOKE_MILLIS = 500;

        private final AgentStatus status;
        private final LiveValues values;
        private final EtcdSession session;
        private final AgentLoop apply;

        ExitHook(AgentStatus status, LiveValues values, EtcdSession session, AgentLoop apply) {
            super("etcd-agent-exit");
            this.status = status;
            this.values = values;
            this.session = session;
            this.apply = apply;
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            // The status record says "stopping" right before the revoke: a clean exit, not a lost JVM.
            CompletableFuture<Void> stopped = status.stopPresence();
            // The snapshot is written while etcd answers the revoke.
            values.flushSnapshot();
            long flushed = System.nanoTime();
            try {
                stopped.get(REVOKE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                AgentLog.debug("the lease was not revoked at exit; etcd expires it within the ttl", e);
            }
            long revoked = System.nanoTime();
            // A field write or record still queued has nothing left to do: the JVM is going.
            apply.shutdownNow();
            session.close();
            long closed = System.nanoTime();
            AgentLog.debug("exit: snapshot " + millis(flushed - start) + " ms, lease revoked " + millis(revoked - start)
                    + " ms, etcd client closed " + millis(closed - revoked) + " ms");
        }

        private static long millis(long nanos) {
            return TimeUnit.NANOSECONDS.toMillis(nanos);
        }
    }

    /** java.base must read the bootstrap class path's unnamed module to call the socket hook. */
    private static void openJavaBaseTo(Instrumentation instrumentation) {
        Module javaBase = Object.class.getModule();
        Module hooks = ServerSocketHook.class.getModule();
        instrumentation.redefineModule(javaBase, Set.of(hooks), Map.of(), Map.of(), Set.of(), Map.of());
    }

    /** A socket class loaded before premain (rare: only with an early agent or attach) is rewritten now. */
    private static void retransformLoadedSocketClasses(Instrumentation instrumentation) {
        for (Class<?> loaded : instrumentation.getAllLoadedClasses()) {
            String name = loaded.getName();
            if (name.equals("java.net.ServerSocket") || name.equals("sun.nio.ch.ServerSocketChannelImpl")) {
                try {
                    instrumentation.retransformClasses(loaded);
                } catch (Exception | LinkageError e) {
                    AgentLog.warn("cannot watch " + name + " for the listening port (" + AgentLog.describe(e)
                            + "): pass address=host:port");
                }
            }
        }
    }

    private static Map<String, String> systemProperties() {
        Map<String, String> properties = new HashMap<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("etcd.agent.")) {
                properties.put(name, System.getProperty(name));
            }
        }
        return properties;
    }
}
