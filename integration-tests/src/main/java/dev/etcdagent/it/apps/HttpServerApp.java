package dev.etcdagent.it.apps;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;

/** The JDK's {@code com.sun.net.httpserver.HttpServer} on 127.0.0.1, answering "ok"; prints {@code LISTENING <port>}. */
public final class HttpServerApp {

    private HttpServerApp() {
    }

    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        System.out.println("LISTENING " + server.getAddress().getPort());
    }
}
