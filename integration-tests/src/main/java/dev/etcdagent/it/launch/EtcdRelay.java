package dev.etcdagent.it.launch;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;

/**
 * A TCP relay in front of etcd for one JVM (its {@code endpoints}), which can hold back etcd's answers:
 * while held, the JVM's requests still reach etcd (its keep-alives keep its lease, what it writes at
 * exit is written) but no answer and no watch event reaches it, as in a one-way partition. On an HTTP/2
 * connection (gRPC) only the frames of streams wait (DATA, HEADERS and their CONTINUATION, RST_STREAM,
 * PUSH_PROMISE); the connection's own frames (SETTINGS, PING, WINDOW_UPDATE, GOAWAY) pass, so gRPC's
 * keep-alive pings are answered and the connection stays up. Other connections (etcd's JSON gateway)
 * are relayed unchanged. {@link #releaseAnswers()} lets what waited through, in order.
 */
public final class EtcdRelay implements AutoCloseable {

    private static final byte[] HTTP2_PREFACE_START = {'P', 'R', 'I'};
    private static final int FRAME_HEADER_BYTES = 9;
    private static final int HEADERS = 0x1;
    private static final int CONTINUATION = 0x9;
    private static final int END_HEADERS = 0x4;

    private final ServerSocket server;
    private final InetSocketAddress etcd;
    private final List<Connection> connections = new ArrayList<>();
    private boolean holding;
    private boolean closed;

    private EtcdRelay(ServerSocket server, InetSocketAddress etcd) {
        this.server = server;
        this.etcd = etcd;
    }

    /** A relay to the etcd at {@code endpoint} ({@code http://host:port}), listening on a free loopback port. */
    public static EtcdRelay to(String endpoint) {
        URI uri = URI.create(endpoint);
        try {
            ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            EtcdRelay relay = new EtcdRelay(server, new InetSocketAddress(uri.getHost(), uri.getPort()));
            daemon("relay-accept-" + server.getLocalPort(), relay::accept);
            return relay;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the JVM behind the relay gives as {@code endpoints}. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** From now on etcd's answers wait in the relay. */
    public synchronized void holdAnswers() {
        holding = true;
    }

    /** Lets every answer that waited through, in order, and the next ones as they come. */
    public void releaseAnswers() {
        List<Connection> open;
        synchronized (this) {
            holding = false;
            open = new ArrayList<>(connections);
        }
        for (Connection connection : open) {
            connection.flush();
        }
    }

    private synchronized boolean holding() {
        return holding;
    }

    private void accept() {
        while (true) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            Connection connection;
            synchronized (this) {
                if (closed) {
                    close(client);
                    return;
                }
                try {
                    connection = new Connection(client, new Socket(etcd.getAddress(), etcd.getPort()));
                } catch (IOException e) {
                    close(client);
                    continue;
                }
                connections.add(connection);
            }
            connection.start();
        }
    }

    @Override
    public void close() {
        List<Connection> open;
        synchronized (this) {
            closed = true;
            open = new ArrayList<>(connections);
            connections.clear();
        }
        close(server);
        for (Connection connection : open) {
            connection.close();
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void close(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }

    /** One client connection and its own connection to etcd. */
    private final class Connection {
        private final Socket client;
        private final Socket upstream;
        private final CompletableFuture<Boolean> http2 = new CompletableFuture<>();
        /** Frames that wait, guarded by this. */
        private final Queue<byte[]> held = new ArrayDeque<>();

        Connection(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void start() {
            String name = "relay-" + client.getPort();
            daemon(name + "-requests", this::relayRequests);
            daemon(name + "-answers", this::relayAnswers);
        }

        private void relayRequests() {
            try (InputStream in = client.getInputStream(); OutputStream out = upstream.getOutputStream()) {
                byte[] buffer = new byte[16 * 1024];
                boolean first = true;
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (first) {
                        http2.complete(startsWith(buffer, n, HTTP2_PREFACE_START));
                        first = false;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // one side closed
            } finally {
                http2.complete(false);
                close();
            }
        }

        private void relayAnswers() {
            try (InputStream in = upstream.getInputStream()) {
                if (http2.join()) {
                    relayFrames(new DataInputStream(in));
                } else {
                    byte[] buffer = new byte[16 * 1024];
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        send(buffer, n);
                    }
                }
            } catch (IOException ignored) {
                // one side closed
            } finally {
                close();
            }
        }

        private void relayFrames(DataInputStream in) throws IOException {
            boolean inHeaderBlock = false;
            boolean heldHeaderBlock = false;
            while (true) {
                byte[] header = new byte[FRAME_HEADER_BYTES];
                in.readFully(header);
                int length = ((header[0] & 0xff) << 16) | ((header[1] & 0xff) << 8) | (header[2] & 0xff);
                byte[] frame = new byte[FRAME_HEADER_BYTES + length];
                System.arraycopy(header, 0, frame, 0, FRAME_HEADER_BYTES);
                in.readFully(frame, FRAME_HEADER_BYTES, length);
                int type = header[3] & 0xff;
                synchronized (this) {
                    boolean hold;
                    if (type == CONTINUATION && inHeaderBlock) {
                        // A header block is never split: its continuations go the way its HEADERS went.
                        hold = heldHeaderBlock;
                    } else {
                        // Once anything waits, every stream frame queues behind it, so none overtakes another.
                        hold = isStreamFrame(type) && (holding() || !held.isEmpty());
                    }
                    if (type == HEADERS || type == CONTINUATION) {
                        inHeaderBlock = (header[4] & END_HEADERS) == 0;
                        heldHeaderBlock = hold;
                    }
                    if (hold) {
                        held.add(frame);
                    } else {
                        send(frame, frame.length);
                    }
                }
            }
        }

        /** Sends what waited, from {@link #releaseAnswers()}. */
        synchronized void flush() {
            try {
                for (byte[] frame = held.poll(); frame != null; frame = held.poll()) {
                    send(frame, frame.length);
                }
            } catch (IOException e) {
                close();
            }
        }

        private synchronized void send(byte[] bytes, int length) throws IOException {
            OutputStream out = client.getOutputStream();
            out.write(bytes, 0, length);
            out.flush();
        }

        void close() {
            EtcdRelay.close(client);
            EtcdRelay.close(upstream);
        }
    }

    /** Frames that belong to a stream (a call's answer, a watch event); the rest keep the connection alive. */
    private static boolean isStreamFrame(int type) {
        return type == 0x0 || type == HEADERS || type == 0x3 || type == 0x5 || type == CONTINUATION;
    }

    private static boolean startsWith(byte[] buffer, int length, byte[] start) {
        if (length < start.length) {
            return false;
        }
        for (int i = 0; i < start.length; i++) {
            if (buffer[i] != start[i]) {
                return false;
            }
        }
        return true;
    }
}
