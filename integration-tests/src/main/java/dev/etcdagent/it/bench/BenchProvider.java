package dev.etcdagent.it.bench;

import java.net.InetAddress;
import java.net.ServerSocket;

/** The benchmark's provider JVM: binds a server socket and prints {@code LISTENING <port> <epochMicros>}. */
public final class BenchProvider {

    private BenchProvider() {
    }

    public static void main(String[] args) throws Exception {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        System.out.println("LISTENING " + server.getLocalPort() + " " + BenchConsumer.micros());
        while (true) {
            server.accept().close();
        }
    }
}
