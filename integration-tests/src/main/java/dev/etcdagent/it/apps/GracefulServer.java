package dev.etcdagent.it.apps;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * A server that shuts down the way Spring Boot, Tomcat and Quarkus do: its own shutdown hook keeps
 * serving for {@code args[0]} ms (default 0) and then closes the server socket, so that none of its
 * threads is left in native code at exit. Prints {@code LISTENING <port>}, {@code HOOK STARTED} and
 * {@code HOOK DONE}. Each client gets {@code hello}; a client that sends the line {@code return}
 * makes {@code main} return (the JVM then exits normally, only daemon threads being left) after
 * printing {@code RETURNING <epoch micros>}. Nothing reads stdin: a thread blocked in a read sits
 * in native code, and HotSpot would wait for it at exit whether the agent is there or not.
 */
public final class GracefulServer {

    private static final CountDownLatch RETURN = new CountDownLatch(1);

    private GracefulServer() {
    }

    public static void main(String[] args) throws Exception {
        long serveMillis = args.length > 0 ? Long.parseLong(args[0]) : 0;
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Thread acceptor = new Thread(() -> serve(server), "acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("HOOK STARTED");
            try {
                Thread.sleep(serveMillis);
                server.close();
                acceptor.join();
            } catch (InterruptedException | IOException e) {
                Thread.currentThread().interrupt();
            }
            System.out.println("HOOK DONE");
        }, "graceful-shutdown"));
        System.out.println("LISTENING " + server.getLocalPort());
        RETURN.await();
        System.out.println("RETURNING " + micros());
    }

    private static void serve(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket client = server.accept()) {
                client.setSoTimeout(1000);
                client.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
                BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                        StandardCharsets.UTF_8));
                if ("return".equals(in.readLine())) {
                    RETURN.countDown();
                }
            } catch (IOException closedOrGone) {
                // closed by the hook, or a client that sent nothing
            }
        }
    }

    /** Microseconds since the epoch: comparable with the launching JVM's clock. */
    public static long micros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }
}
