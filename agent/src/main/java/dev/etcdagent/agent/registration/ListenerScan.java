package dev.etcdagent.agent.registration;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.etcdagent.agent.log.AgentLog;
import dev.etcdagent.hooks.ServerSocketHook;

/**
 * Finds the listening TCP sockets that the JDK hooks cannot see: Netty's native epoll and io_uring
 * transports (relocated copies such as gRPC's {@code io.grpc.netty.shaded.io.netty} included) bind
 * through their own native code. Linux names this process's sockets in {@code /proc/self/fd}, and
 * {@code /proc/self/net/tcp} and {@code tcp6} say which of them listen and where. A new listener is
 * reported to the registration as an {@link InetSocketAddress}; when its descriptor closes, the same
 * instance is reported closed.
 *
 * <p>It stands between the JDK hook and the registration to learn when a JDK bind made scanning
 * pointless. It looks on the apply loop, never in premain, every 20 ms in the first 5 s (when
 * applications typically start listening), every 250 ms to the first minute and every second after, until a listener the registration accepts (one on {@code port}, if given) is
 * known by either mechanism; then it only checks, with one {@code readlink} a second, that the
 * descriptor of a listener it reported is still that socket, and stops altogether when the JDK hook
 * saw the listener. The agent itself listens on nothing.
 */
public final class ListenerScan implements ServerSocketHook.Listener {

    private static final Path FDS = Paths.get("/proc/self/fd");
    private static final Path[] TABLES = {Paths.get("/proc/self/net/tcp"), Paths.get("/proc/self/net/tcp6")};
    // While an application typically starts listening, look often: the key should be there as soon as it answers.
    private static final long FIRST_MILLIS = 20;
    private static final long FIRST_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long FAST_MILLIS = 250;
    private static final long SLOW_MILLIS = 1000;
    private static final long FAST_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(60);
    // In the first period the tables are read again this often even when no socket came or went: a socket
    // seen between its creation and its listen() must not wait for the next new socket.
    private static final long FIRST_REREAD_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    // Even with no new socket, look again now and then: a socket may start listening long after it was created.
    private static final long REREAD_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final ServerSocketHook.Listener registration;
    private final int port;
    private final ScheduledExecutorService loop;
    private final long startNanos = System.nanoTime();

    private volatile boolean jdkListenerSeen;
    // Agent thread only: the listeners this scan reported, by inode.
    private final Map<Long, Reported> reported = new HashMap<>();
    private Set<Long> inodesAtLastRead = Set.of();
    private long lastReadNanos;

    private ListenerScan(ServerSocketHook.Listener registration, int port, ScheduledExecutorService loop) {
        this.registration = registration;
        this.port = port;
        this.loop = loop;
    }

    /** The hook listener to install: {@code registration} itself where Linux's tables cannot be read. */
    public static ServerSocketHook.Listener around(ServerSocketHook.Listener registration, int port,
                                                  ScheduledExecutorService loop) {
        if (!Files.isReadable(TABLES[0]) || !Files.isDirectory(FDS)) {
            return registration;
        }
        ListenerScan scan = new ListenerScan(registration, port, loop);
        loop.execute(scan::poll);
        return scan;
    }

    @Override
    public void bound(Object socket) {
        if (port == 0 || port == localPort(socket)) {
            jdkListenerSeen = true;
        }
        registration.bound(socket);
    }

    @Override
    public void closed(Object socket) {
        registration.closed(socket);
    }

    private void poll() {
        try {
            checkReportedStillOpen();
            if (!jdkListenerSeen && !hasMatchingReported()) {
                lookForNewListeners();
            }
        } catch (IOException | RuntimeException e) {
            AgentLog.debug("reading this process's listening sockets failed; trying again", e);
        }
        if (jdkListenerSeen && reported.isEmpty()) {
            return;
        }
        long sinceStart = System.nanoTime() - startNanos;
        loop.schedule(this::poll, sinceStart < FIRST_PERIOD_NANOS ? FIRST_MILLIS
                : sinceStart < FAST_PERIOD_NANOS ? FAST_MILLIS : SLOW_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void checkReportedStillOpen() {
        for (Iterator<Reported> it = reported.values().iterator(); it.hasNext(); ) {
            Reported listener = it.next();
            if (listener.inode != inodeOf(listener.fd)) {
                it.remove();
                registration.closed(listener.address);
            }
        }
    }

    private boolean hasMatchingReported() {
        for (Reported listener : reported.values()) {
            if (port == 0 || listener.address.getPort() == port) {
                return true;
            }
        }
        return false;
    }

    private void lookForNewListeners() throws IOException {
        Map<Long, Path> sockets = socketDescriptors();
        long now = System.nanoTime();
        long reread = now - startNanos < FIRST_PERIOD_NANOS ? FIRST_REREAD_NANOS : REREAD_NANOS;
        if (sockets.keySet().equals(inodesAtLastRead) && now - lastReadNanos < reread) {
            return;
        }
        inodesAtLastRead = sockets.keySet();
        lastReadNanos = now;
        Map<Long, InetSocketAddress> listening = new HashMap<>();
        for (Path table : TABLES) {
            if (!Files.isReadable(table)) {
                continue;
            }
            try (BufferedReader lines = Files.newBufferedReader(table, StandardCharsets.US_ASCII)) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    ProcNetTcp.listening(line, sockets.keySet(), listening);
                }
            }
        }
        for (Map.Entry<Long, InetSocketAddress> listener : listening.entrySet()) {
            long inode = listener.getKey();
            if (!reported.containsKey(inode)) {
                Reported newOne = new Reported(inode, sockets.get(inode), listener.getValue());
                reported.put(inode, newOne);
                AgentLog.debug("listening socket seen in /proc: " + newOne.address);
                registration.bound(newOne.address);
            }
        }
    }

    /** This process's sockets: inode → its {@code /proc/self/fd} entry. */
    private static Map<Long, Path> socketDescriptors() throws IOException {
        Map<Long, Path> sockets = new HashMap<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(FDS)) {
            for (Path fd : fds) {
                long inode = inodeOf(fd);
                if (inode >= 0) {
                    sockets.put(inode, fd);
                }
            }
        }
        return sockets;
    }

    private static long inodeOf(Path fd) {
        try {
            return ProcNetTcp.socketInode(Files.readSymbolicLink(fd).toString());
        } catch (IOException | RuntimeException closed) {
            return -1;
        }
    }

    private static int localPort(Object socket) {
        try {
            SocketAddress local = socket instanceof ServerSocketChannel
                    ? ((ServerSocketChannel) socket).getLocalAddress()
                    : socket instanceof ServerSocket ? ((ServerSocket) socket).getLocalSocketAddress() : null;
            return local instanceof InetSocketAddress ? ((InetSocketAddress) local).getPort() : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** A listener this scan reported: its inode, its descriptor's {@code /proc/self/fd} entry, the token. */
    private static final class Reported {
        final long inode;
        final Path fd;
        final InetSocketAddress address;

        Reported(long inode, Path fd, InetSocketAddress address) {
            this.inode = inode;
            this.fd = fd;
            this.address = address;
        }
    }
}
