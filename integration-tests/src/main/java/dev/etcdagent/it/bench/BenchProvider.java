package dev.etcdagent.it.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The benchmark's provider JVM: binds a server socket and prints {@code LISTENING <port> <epochMicros>},
 * then {@code BOUND <nanoTime>}, both stamped right after the bind. On Linux {@code System.nanoTime} reads
 * CLOCK_MONOTONIC, the same clock in every process of the machine, so the benchmark compares the second
 * line with its own stamps (an etcd watch event's, say).
 */
public final class BenchProvider {

    private BenchProvider() {
    }

    public static void main(String[] args) throws Exception {
        serve(listen());
    }

    /** Binds a loopback server socket on a free port and prints the two lines. */
    static ServerSocket listen() throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        long boundNanos = System.nanoTime();
        // Not BenchConsumer.micros(): loading BenchConsumer would have the agent bind its @Dynamic and @Discover
        // fields, work that a provider measured as "an application that listens" must not do.
        long boundMicros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
        System.out.println("LISTENING " + server.getLocalPort() + " " + boundMicros);
        System.out.println("BOUND " + boundNanos);
        return server;
    }

    /** Accepts and closes connections until the JVM is ended. */
    static void serve(ServerSocket server) throws IOException {
        while (true) {
            server.accept().close();
        }
    }
}
