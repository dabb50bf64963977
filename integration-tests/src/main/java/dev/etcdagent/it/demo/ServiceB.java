package dev.etcdagent.it.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;

/**
 * The demo's provider: a plain HTTP server with no annotation and no etcd code. Started with
 * {@code -javaagent:etcd-agent.jar=service=/service/b}, it appears in etcd once it listens.
 */
public final class ServiceB {

    private ServiceB() {
    }

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        server.createContext("/", exchange -> {
            byte[] body = ("hello from b on port " + server.getAddress().getPort() + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        System.out.println("LISTENING " + server.getAddress().getPort());
    }
}
