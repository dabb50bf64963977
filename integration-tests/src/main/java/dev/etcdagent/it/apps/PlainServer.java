package dev.etcdagent.it.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A plain {@code java.net.ServerSocket} server with no annotation and no etcd code. Prints
 * {@code LISTENING <port>}; on the stdin line {@code close} it closes the socket and prints
 * {@code CLOSED}; on {@code exit} it calls System.exit(0).
 */
public final class PlainServer {

    private PlainServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        ServerSocket server = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"));
        System.out.println("LISTENING " + server.getLocalPort());
        Thread commands = new Thread(() -> readCommands(server), "commands");
        commands.setDaemon(true);
        commands.start();
        while (!server.isClosed()) {
            try (Socket client = server.accept()) {
                client.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
            } catch (java.net.SocketException closed) {
                break;
            }
        }
        System.out.println("CLOSED");
        // Stay alive after closing, so a test can check the registration is withdrawn while the JVM lives.
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void readCommands(ServerSocket server) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.equals("close")) {
                    server.close();
                } else if (line.equals("exit")) {
                    System.exit(0);
                }
            }
        } catch (Exception ignored) {
            // stdin closed
        }
    }
}
