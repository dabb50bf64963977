package dev.etcdagent.it.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;
import dev.etcdagent.Discover;
import dev.etcdagent.Dynamic;

/**
 * The demo's consumer: answers {@code GET /} with service b's address, found through etcd, and
 * the promotion switch, read from etcd. Two annotations are all its etcd code.
 */
public final class ServiceA {

    @Discover("/service/b") static String b = "(no b)";
    @Dynamic("promo.enabled") static boolean promo = false;

    private ServiceA() {
    }

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        server.createContext("/", exchange -> {
            byte[] body = ("b=" + b + " promo=" + promo + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        System.out.println("LISTENING " + server.getAddress().getPort());
    }
}
